package markdown

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)

// stripControls removes terminal escapes, control characters and the
// invisible bidirectional overrides that could make text read differently
// from what it is. Tabs are kept; newlines are kept only if keepNewlines.
func stripControls(s string, keepNewlines bool) string {
	s = ansiEscape.ReplaceAllString(s, "")
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return r
		case r == '\n':
			if keepNewlines {
				return r
			}
			return ' '
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			return -1
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0xfeff:
			return -1
		}
		return r
	}, s)
}

// Truncate shortens s to at most max runes, ending with "…" when cut
// (max <= 0: no limit).
func Truncate(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// cleanLine prepares one line of untrusted text: no controls, no line
// breaks, no secrets, at most max runes (0 = no limit). Secrets are redacted
// before truncating so a cut can never reveal part of one.
func cleanLine(s string, max int) string {
	return Truncate(Redact(stripControls(prefixForCut(s, max), false)), max)
}

// secretReach bounds how far past a cut a secret can start and still be
// seen whole: more than the longest secret the patterns know.
const secretReach = 1024

// prefixForCut drops what lies far beyond where text will be cut at max
// runes, so that redacting a 10 KB line costs no more than a short one; it
// keeps enough past the cut for a secret straddling it to be recognised.
func prefixForCut(s string, max int) string {
	limit := 4*max + secretReach
	if max <= 0 || len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "")
}
