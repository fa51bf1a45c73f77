package term

import (
	"html"
	"regexp"
	"strings"
)

var (
	entity  = regexp.MustCompile(`^&(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});`)
	htmlTag = regexp.MustCompile(`(?i)^<(/?)(br|sub|sup|b|strong|i|em|code|summary|details|p)\s*/?>`)
)

// lineBreak marks a <br> in inline text; wrap turns it into a new line.
const lineBreak = "\n"

// inline renders the inline Markdown of one block: code spans, links,
// emphasis, escapes, character references and the few HTML tags reports use.
func (r *renderer) inline(s string) string {
	var b strings.Builder
	boldOn, italicOn := false, false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i += 2
		case c == '`':
			n := run(s, i, '`')
			end := closing(s, i+n, n)
			if end < 0 {
				b.WriteString(s[i : i+n])
				i += n
				continue
			}
			b.WriteString(r.code(s[i+n : end-n]))
			i = end
		case c == '[':
			text, url, next, ok := parseLink(s, i)
			if !ok {
				b.WriteByte(c)
				i++
				continue
			}
			b.WriteString(r.link(r.inline(text), url))
			i = next
		case c == '*' && strings.HasPrefix(s[i:], "**"):
			boldOn = !boldOn
			if r.o.Color {
				b.WriteString(map[bool]string{true: bold, false: boldOff}[boldOn])
			}
			i += 2
		case c == '_' && emphasisEdge(s, i, italicOn):
			italicOn = !italicOn
			if r.o.Color {
				b.WriteString(map[bool]string{true: italic, false: italicOff}[italicOn])
			}
			i++
		case c == '<' && htmlTag.MatchString(s[i:]):
			m := htmlTag.FindStringSubmatch(s[i:])
			if strings.EqualFold(m[2], "br") {
				b.WriteString(lineBreak)
			}
			i += len(m[0])
		case c == '&' && entity.MatchString(s[i:]):
			m := entity.FindString(s[i:])
			b.WriteString(html.UnescapeString(m))
			i += len(m)
		default:
			b.WriteByte(c)
			i++
		}
	}
	if (boldOn || italicOn) && r.o.Color {
		b.WriteString(reset)
	}
	return b.String()
}

func (r *renderer) code(content string) string {
	if len(content) >= 2 && content[0] == ' ' && content[len(content)-1] == ' ' && strings.Trim(content, " ") != "" {
		content = content[1 : len(content)-1]
	}
	if r.o.Color {
		return cyan + content + colorOff
	}
	fence := strings.Repeat("`", longestRun(content, '`')+1)
	if strings.HasPrefix(content, "`") || strings.HasSuffix(content, "`") {
		content = " " + content + " "
	}
	return fence + content + fence
}

// link writes a link as its text followed by the address; an address that
// is its own text is written once.
func (r *renderer) link(text, url string) string {
	if text == url || strings.TrimSpace(text) == "" {
		return r.o.style(url, underline)
	}
	return text + " " + r.o.style("<"+url+">", dim)
}

// parseLink reads "[text](url)" at i.
func parseLink(s string, i int) (text, url string, next int, ok bool) {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				if j+1 >= len(s) || s[j+1] != '(' {
					return "", "", 0, false
				}
				end := strings.IndexByte(s[j+2:], ')')
				if end < 0 {
					return "", "", 0, false
				}
				url = s[j+2 : j+2+end]
				if strings.ContainsAny(url, " \t") {
					return "", "", 0, false
				}
				return s[i+1 : j], url, j + 3 + end, true
			}
		}
	}
	return "", "", 0, false
}

// emphasisEdge reports whether an underscore at i opens (or, when open,
// closes) emphasis: it must not sit inside a word.
func emphasisEdge(s string, i int, open bool) bool {
	prevWord := i > 0 && isWord(s[i-1])
	nextWord := i+1 < len(s) && isWord(s[i+1])
	if open {
		return !nextWord && i > 0 && s[i-1] != ' '
	}
	return !prevWord && i+1 < len(s) && s[i+1] != ' '
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

func run(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// closing returns the index just past the first run of exactly n
// backticks at or after from, or -1.
func closing(s string, from, n int) int {
	for i := from; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		m := run(s, i, '`')
		if m == n {
			return i + m
		}
		i += m
	}
	return -1
}

func longestRun(s string, c byte) int {
	longest := 0
	for i := 0; i < len(s); {
		if s[i] != c {
			i++
			continue
		}
		n := run(s, i, c)
		longest = max(longest, n)
		i += n
	}
	return longest
}
