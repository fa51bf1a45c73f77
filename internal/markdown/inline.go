package markdown

import (
	"regexp"
	"strings"
)

// Inline makes one of the bot's own Markdown sentences safe for one line of
// a post: it keeps the sentence's code spans, links and emphasis, escapes
// HTML outside code spans, keeps the line from starting a block, breaks
// mentions and backlinks, redacts secrets and cuts it to max runes (0 = no
// limit). The untrusted values in the sentence must have been put in with
// Code or Text: Inline does not escape brackets.
func Inline(s string, max int) string {
	return escapeOutsideCode(escapeBlockStart(cleanLine(s, max)))
}

// InlineCell is Inline for a table cell: pipes are escaped too (GitHub
// splits cells on them even inside code spans, unless escaped).
func InlineCell(s string, max int) string {
	return cell(Inline(s, max))
}

func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	if strings.TrimSpace(s) == "" {
		return " "
	}
	return s
}

var orderedMarker = regexp.MustCompile(`^[0-9]{1,9}[.)]`)

// escapeBlockStart backslash-escapes what would make a line start a block of
// its own (a heading, a fence, a list, a rule, a quote) when the text begins
// a list item or a paragraph.
func escapeBlockStart(s string) string {
	s = strings.TrimLeft(s, " \t")
	if s == "" {
		return s
	}
	switch c := s[0]; {
	case strings.HasPrefix(s, "```"), strings.HasPrefix(s, "~~~"), c == '#', c == '=', c == '>':
		return `\` + s
	case (c == '-' || c == '+' || c == '*') && (len(s) == 1 || s[1] == ' ' || s[1] == '\t'):
		return `\` + s
	case (c == '-' || c == '*' || c == '_') && strings.Trim(s, string(c)+" \t") == "":
		return `\` + s
	case orderedMarker.MatchString(s):
		n := len(orderedMarker.FindString(s)) - 1
		return s[:n] + `\` + s[n:]
	}
	return s
}

// escapeOutsideCode escapes <, > and & everywhere except inside code spans
// (an & only where it would start a character reference such as "&lt;" or
// "&#8238;", so that addresses with query strings stay autolinked) and
// breaks mentions and backlinks outside them, finding the spans the way
// CommonMark does: a run of n backticks opens a span that the next run of
// exactly n backticks closes; a backslash outside a span escapes the next
// punctuation mark. An unmatched run is closed at the end of the text, so
// that a code span cut by a length limit still holds what it held.
func escapeOutsideCode(s string) string {
	var b, text strings.Builder
	b.Grow(len(s) + 16)
	flush := func() {
		b.WriteString(Neutralize(text.String()))
		text.Reset()
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			text.WriteByte(c)
			text.WriteByte(s[i+1])
			i += 2
		case c == '`':
			n := backtickRun(s, i)
			end := closingRun(s, i+n, n)
			if end < 0 {
				// A span cut short (Inline truncates) would leave its
				// untrusted content outside code: close it instead.
				flush()
				b.WriteString(neutralizeMentions(s[i:]) + " " + s[i:i+n])
				return b.String()
			}
			flush()
			b.WriteString(neutralizeMentions(s[i:end]))
			i = end
		case c == '<':
			text.WriteString("&lt;")
			i++
		case c == '>':
			text.WriteString("&gt;")
			i++
		case c == '&' && startsCharRef(s[i:]):
			text.WriteString("&amp;")
			i++
		default:
			text.WriteByte(c)
			i++
		}
	}
	flush()
	return b.String()
}

var charRef = regexp.MustCompile(`^&(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});`)

// startsCharRef reports whether s starts with an HTML character reference.
func startsCharRef(s string) bool { return charRef.MatchString(s) }

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
