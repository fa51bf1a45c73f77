// Package term renders the GitHub-flavoured Markdown of ghcr-doctor's
// reports (comments, check runs, replies) as readable terminal text:
// headings, tables with aligned columns, alerts, lists, code blocks and
// links written out. With colour it uses ANSI styles; without, it keeps
// code spans in backticks so plain output still reads unambiguously.
package term

import (
	"regexp"
	"strings"
)

// Options choose the style of the output.
type Options struct {
	// Color uses ANSI styles (bold headings, coloured diffs).
	Color bool
	// Width wraps paragraphs and list items at this many columns; 0 does not wrap.
	Width int
}

// ANSI styles.
const (
	reset     = "\x1b[0m"
	bold      = "\x1b[1m"
	dim       = "\x1b[2m"
	italic    = "\x1b[3m"
	underline = "\x1b[4m"
	red       = "\x1b[31m"
	green     = "\x1b[32m"
	yellow    = "\x1b[33m"
	cyan      = "\x1b[36m"
	// Ends of single styles, so that a span inside a styled line keeps the line's style.
	boldOff   = "\x1b[22m"
	italicOff = "\x1b[23m"
	colorOff  = "\x1b[39m"
)

func (o Options) style(s, codes string) string {
	if !o.Color || s == "" {
		return s
	}
	return codes + s + reset
}

// Heading styles a title line.
func (o Options) Heading(s string) string { return o.style(s, bold+underline) }

// Bold styles s as bold.
func (o Options) Bold(s string) string { return o.style(s, bold) }

// Dim styles s as secondary text.
func (o Options) Dim(s string) string { return o.style(s, dim) }

// DiffLine colours one line of a unified diff.
func (o Options) DiffLine(l string) string {
	switch {
	case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
		return o.style(l, bold)
	case strings.HasPrefix(l, "+"):
		return o.style(l, green)
	case strings.HasPrefix(l, "-"):
		return o.style(l, red)
	case strings.HasPrefix(l, "@@"):
		return o.style(l, cyan)
	}
	return l
}

var htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)

// Clean removes terminal escapes and control characters (but newlines and
// tabs) from text that came from elsewhere, so it cannot restyle or
// rewrite the terminal.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n', r == '\t':
			return r
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			return -1
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return -1
		}
		return r
	}, s)
}

// Render turns Markdown into terminal text.
func Render(md string, o Options) string {
	md = htmlComment.ReplaceAllString(Clean(strings.ReplaceAll(md, "\r\n", "\n")), "")
	r := &renderer{o: o, lines: strings.Split(md, "\n")}
	r.run()
	return r.result()
}

type renderer struct {
	o     Options
	lines []string
	out   []string
}

func (r *renderer) emit(lines ...string) { r.out = append(r.out, lines...) }

func (r *renderer) blank() {
	if len(r.out) > 0 && r.out[len(r.out)-1] != "" {
		r.out = append(r.out, "")
	}
}

// result joins the output, with at most one blank line in a row and none
// at the ends.
func (r *renderer) result() string {
	var kept []string
	for _, l := range r.out {
		l = strings.TrimRight(l, " ")
		if l == "" && (len(kept) == 0 || kept[len(kept)-1] == "") {
			continue
		}
		kept = append(kept, l)
	}
	for len(kept) > 0 && kept[len(kept)-1] == "" {
		kept = kept[:len(kept)-1]
	}
	if len(kept) == 0 {
		return ""
	}
	return strings.Join(kept, "\n") + "\n"
}

var (
	headingLine = regexp.MustCompile(`^(#{1,6})\s+(.*)$`)
	fenceOpen   = regexp.MustCompile("^\\s{0,3}(`{3,}|~{3,})\\s*([^`\\s]*)")
	bulletItem  = regexp.MustCompile(`^(\s*)[-*+]\s+(.*)$`)
	orderedItem = regexp.MustCompile(`^(\s*)([0-9]{1,9})[.)]\s+(.*)$`)
	ruleLine    = regexp.MustCompile(`^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$`)
	summaryLine = regexp.MustCompile(`(?i)^\s*<summary>(.*)</summary>\s*$`)
	detailsLine = regexp.MustCompile(`(?i)^\s*</?details>\s*$`)
	alertLine   = regexp.MustCompile(`^\[!([A-Z]+)\]\s*$`)
)

func (r *renderer) run() {
	for i := 0; i < len(r.lines); {
		l := r.lines[i]
		switch {
		case strings.TrimSpace(l) == "":
			r.blank()
			i++
		case fenceOpen.MatchString(l):
			i = r.fence(i)
		case isTableStart(r.lines, i):
			i = r.table(i)
		case strings.HasPrefix(strings.TrimLeft(l, " "), ">"):
			i = r.quote(i)
		case headingLine.MatchString(l):
			m := headingLine.FindStringSubmatch(l)
			r.blank()
			r.emit(r.o.Heading(r.inline(m[2])))
			r.blank()
			i++
		case detailsLine.MatchString(l):
			i++
		case summaryLine.MatchString(l):
			r.blank()
			r.emit(r.o.Bold("▸ " + r.inline(summaryLine.FindStringSubmatch(l)[1])))
			i++
		case ruleLine.MatchString(l):
			r.blank()
			r.emit(r.o.Dim(strings.Repeat("─", 40)))
			i++
		case bulletItem.MatchString(l):
			m := bulletItem.FindStringSubmatch(l)
			r.item(m[1]+"  ", "• ", m[2])
			i++
		case orderedItem.MatchString(l):
			m := orderedItem.FindStringSubmatch(l)
			r.item(m[1]+"  ", m[2]+". ", m[3])
			i++
		default:
			i = r.paragraph(i)
		}
	}
}

// fence copies a fenced code block, indented; diffs are coloured.
func (r *renderer) fence(i int) int {
	m := fenceOpen.FindStringSubmatch(r.lines[i])
	marker, info := m[1], m[2]
	r.blank()
	for i++; i < len(r.lines); i++ {
		l := r.lines[i]
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, marker[:1]) && strings.Trim(t, marker[:1]) == "" && len(t) >= len(marker) {
			i++
			break
		}
		if info == "diff" {
			l = r.o.DiffLine(l)
		}
		r.emit("    " + l)
	}
	r.blank()
	return i
}

// quote renders a blockquote or GitHub alert with a bar in front.
func (r *renderer) quote(i int) int {
	var body []string
	for ; i < len(r.lines); i++ {
		t := strings.TrimLeft(r.lines[i], " ")
		if !strings.HasPrefix(t, ">") {
			break
		}
		body = append(body, strings.TrimPrefix(strings.TrimPrefix(t, ">"), " "))
	}
	r.blank()
	bar := r.o.style("│ ", yellow)
	for _, l := range body {
		if m := alertLine.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			r.emit(bar + r.o.Bold(m[1]))
			continue
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		for _, w := range wrap(r.inline(l), r.o.Width-2) {
			r.emit(bar + w)
		}
	}
	r.blank()
	return i
}

// item renders one list item with a hanging indent.
func (r *renderer) item(indent, marker, text string) {
	lines := wrap(r.inline(text), r.o.Width-len(indent)-len(marker))
	pad := strings.Repeat(" ", len([]rune(marker)))
	for k, l := range lines {
		if k == 0 {
			r.emit(indent + marker + l)
			continue
		}
		r.emit(indent + pad + l)
	}
}

// paragraph joins consecutive text lines and wraps them.
func (r *renderer) paragraph(i int) int {
	var parts []string
	for ; i < len(r.lines); i++ {
		l := r.lines[i]
		if strings.TrimSpace(l) == "" || fenceOpen.MatchString(l) || headingLine.MatchString(l) || isTableStart(r.lines, i) ||
			strings.HasPrefix(strings.TrimLeft(l, " "), ">") || bulletItem.MatchString(l) || orderedItem.MatchString(l) ||
			summaryLine.MatchString(l) || detailsLine.MatchString(l) || (len(parts) > 0 && ruleLine.MatchString(l)) {
			break
		}
		parts = append(parts, strings.TrimSpace(l))
	}
	if len(parts) == 0 {
		return i + 1
	}
	r.emit(wrap(r.inline(strings.Join(parts, " ")), r.o.Width)...)
	return i
}
