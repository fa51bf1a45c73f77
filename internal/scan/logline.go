package scan

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// utf8BOM is the byte order mark a job log may start with.
const utf8BOM = "\xef\xbb\xbf"

// Markers the runner writes at the start of a log line's text.
const (
	markerGroup    = "##[group]"
	markerEndGroup = "##[endgroup]"
)

// maxFindingTextRunes bounds Finding.Text; longer lines end with an ellipsis.
const maxFindingTextRunes = 1000

// cleanLogLine turns one raw job-log line (without its '\n') into the text a
// person reads: no byte order mark (first line only), no runner timestamp,
// no ANSI escape sequences or other control characters, valid UTF-8.
func cleanLogLine(raw []byte, firstLine bool) string {
	if firstLine && len(raw) >= len(utf8BOM) && string(raw[:len(utf8BOM)]) == utf8BOM {
		raw = raw[len(utf8BOM):]
	}
	for len(raw) > 0 && raw[len(raw)-1] == '\r' {
		raw = raw[:len(raw)-1]
	}
	raw = raw[ghCLIPrefixLen(raw):]
	raw = raw[timestampPrefixLen(raw):]
	if isPlainText(raw) {
		return string(raw)
	}
	return strings.ToValidUTF8(stripControlSequences(raw), "\uFFFD")
}

// ghCLIPrefixLen is the length of the "<job>\t<step>\t" prefix that
// `gh run view --log` writes before each runner line, or 0.
func ghCLIPrefixLen(b []byte) int {
	i := bytes.IndexByte(b, '\t')
	if i < 0 {
		return 0
	}
	j := bytes.IndexByte(b[i+1:], '\t')
	if j < 0 {
		return 0
	}
	k := i + 1 + j + 1
	if timestampPrefixLen(b[k:]) == 0 {
		return 0
	}
	return k
}

// isPlainText reports whether b is valid UTF-8 without control characters
// other than tab, so it needs no cleaning.
func isPlainText(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return utf8.Valid(b)
}

// stripControlSequences drops ANSI escape sequences (CSI such as colours,
// OSC such as hyperlinks, and two-byte escapes) and control characters,
// keeping tabs.
func stripControlSequences(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == 0x1b:
			i = skipEscapeSequence(b, i)
		case c == '\t':
			sb.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			// Drop NUL and other control characters.
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// skipEscapeSequence returns the index of the last byte of the escape
// sequence starting at b[i] (which is ESC).
func skipEscapeSequence(b []byte, i int) int {
	if i+1 >= len(b) {
		return i
	}
	switch b[i+1] {
	case '[': // CSI: parameters 0x30-0x3f, intermediates 0x20-0x2f, final 0x40-0x7e.
		j := i + 2
		for j < len(b) && b[j] >= 0x20 && b[j] <= 0x3f {
			j++
		}
		if j < len(b) && b[j] >= 0x40 && b[j] <= 0x7e {
			return j
		}
		return j - 1
	case ']': // OSC: ends with BEL or ESC '\'.
		for j := i + 2; j < len(b); j++ {
			if b[j] == 0x07 {
				return j
			}
			if b[j] == 0x1b && j+1 < len(b) && b[j+1] == '\\' {
				return j + 1
			}
		}
		return len(b) - 1
	default:
		return i + 1
	}
}

// timestampPrefixLen returns the length of the runner's timestamp prefix
// ("2026-01-11T21:51:33.5480147Z ") at the start of b, or 0 when there is
// none. Any number of fractional digits is accepted.
func timestampPrefixLen(b []byte) int {
	const minLen = len("2006-01-02T15:04:05Z")
	if len(b) < minLen || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return 0
	}
	for _, p := range [...]int{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18} {
		if b[p] < '0' || b[p] > '9' {
			return 0
		}
	}
	i := 19
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i >= len(b) || b[i] != 'Z' {
		return 0
	}
	i++
	if i < len(b) && b[i] == ' ' {
		i++
	}
	return i
}

// splitLogMarker splits a "##[name]rest" line into the marker name and the
// rest; name is "" when the line has no marker.
func splitLogMarker(text string) (name, rest string) {
	if !strings.HasPrefix(text, "##[") {
		return "", text
	}
	end := strings.IndexByte(text, ']')
	if end < 0 {
		return "", text
	}
	return text[3:end], text[end+1:]
}

// truncateText shortens s to at most max runes, marking the cut with "…".
func truncateText(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
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
