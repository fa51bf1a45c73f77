package markdown

import "strings"

// textSpecial are the characters that could make untrusted text more than
// text: emphasis, code, links and images, HTML, table pipes, strikethrough
// and e-mail autolinks. Each is backslash-escaped, which Markdown renders as
// the character itself; so is an "&" that starts a character reference.
const textSpecial = "\\`*_[]<>!|~@"

// Text renders untrusted text (a job, step or image name, a log line, an
// error) as Markdown that reads exactly as the text and does nothing else:
// one line, no link, image, HTML or emphasis, no mention or backlink, no
// secret, at most max runes (0 = no limit).
func Text(s string, max int) string {
	return escapeBlockStart(escapeText(s, max))
}

// escapeText is Text for where no block can start (a link's label).
func escapeText(s string, max int) string {
	s = Neutralize(cleanLine(s, max))
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(textSpecial, s[i]) >= 0 || startsAutolink(s, i) || s[i] == '&' && startsCharRef(s[i:]) {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TextCell is Text for a table cell (Text escapes pipes already).
func TextCell(s string, max int) string {
	if s = Text(s, max); strings.TrimSpace(s) == "" {
		return " "
	}
	return s
}

// Plain makes untrusted text safe for a field GitHub shows as plain text (a
// check run or issue title, an annotation, a workflow command, an output):
// one line, no secrets, no mentions or backlinks, at most max runes.
func Plain(s string, max int) string {
	s = strings.Join(strings.Fields(cleanLine(s, max)), " ")
	return Truncate(Neutralize(s), max)
}

// startsAutolink reports whether the byte at i is the ':' of "://" or the
// '.' of "www.", where GFM would start an autolink.
func startsAutolink(s string, i int) bool {
	switch s[i] {
	case ':':
		return strings.HasPrefix(s[i:], "://")
	case '.':
		return i >= 3 && strings.EqualFold(s[i-3:i], "www")
	}
	return false
}
