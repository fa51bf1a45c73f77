package markdown

import (
	"regexp"
	"strings"
)

// zeroWidthSpace breaks a mention or a reference without changing how it
// reads.
const zeroWidthSpace = "\u200b"

// Neutralize breaks what GitHub would turn into a notification or a
// backlink: "@user", "@org/team", "#12", "GH-12" and "owner/repo#12" get a
// zero-width space, so quoting a log never pings anyone and a job name
// never adds a reference to another issue. An "@" inside a word (an e-mail
// address, "action@v4") is left alone, as GitHub does not treat it as a
// mention.
func Neutralize(s string) string {
	return neutralizeReferences(neutralizeMentions(s))
}

func neutralizeMentions(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := rune(0)
	for i, r := range s {
		b.WriteRune(r)
		if r == '@' && !isWordRune(prev) && i+1 < len(s) && isAlnum(s[i+1]) {
			b.WriteString(zeroWidthSpace)
		}
		prev = r
	}
	return b.String()
}

// issueReference finds "#12" (alone or after owner/repo) and "GH-12".
var issueReference = regexp.MustCompile(`(?i)(#|\bgh-)([0-9])`)

func neutralizeReferences(s string) string {
	if !strings.Contains(s, "#") && !strings.Contains(strings.ToLower(s), "gh-") {
		return s
	}
	return issueReference.ReplaceAllString(s, "${1}"+zeroWidthSpace+"${2}")
}

func isWordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
