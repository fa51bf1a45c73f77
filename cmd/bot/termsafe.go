package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// terminalSafe makes text from a log or an archive (a zip member's name
// above all) safe to print on a terminal: control characters, escape
// sequences among them, invisible format characters such as bidirectional
// overrides, and invalid UTF-8 are shown as Go escapes (\x1b, \u202e), so
// a crafted name can neither move the cursor, recolour or retitle the
// terminal nor reorder what it shows.
func terminalSafe(s string) string {
	if isTerminalSafe(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case strconv.IsPrint(r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += size
	}
	return b.String()
}

func isTerminalSafe(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !strconv.IsPrint(r) {
			return false
		}
		i += size
	}
	return true
}
