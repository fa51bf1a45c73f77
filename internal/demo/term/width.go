package term

import (
	"regexp"
	"strings"
)

var ansiStyle = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// Width is how many terminal columns s takes: styles take none, wide
// characters and emoji two, combining marks and zero-width characters none.
func Width(s string) int {
	n := 0
	for _, r := range ansiStyle.ReplaceAllString(s, "") {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r == 0x200b, r == 0x200d, r == 0xfe0f, r >= 0x0300 && r <= 0x036f:
		return 0
	case r >= 0x1100 && r <= 0x115f, r >= 0x2e80 && r <= 0xa4cf, r >= 0xac00 && r <= 0xd7a3,
		r >= 0xf900 && r <= 0xfaff, r >= 0xfe30 && r <= 0xfe4f, r >= 0xff00 && r <= 0xff60,
		r >= 0xffe0 && r <= 0xffe6, r >= 0x1f300 && r <= 0x1faff,
		r == 0x2705, r == 0x274c, r == 0x2753, r == 0x2754, r == 0x2755, r == 0x2757, r == 0x231b, r == 0x23f3:
		return 2
	}
	return 1
}

// wrap breaks text into lines of at most width columns at spaces (a word
// longer than that gets a line of its own); line breaks in the text are
// kept. width <= 0 only splits at the line breaks.
func wrap(text string, width int) []string {
	var out []string
	for _, para := range strings.Split(text, lineBreak) {
		if width <= 0 {
			out = append(out, para)
			continue
		}
		words := strings.Fields(para)
		line, lineWidth := "", 0
		for _, w := range words {
			ww := Width(w)
			switch {
			case line == "":
				line, lineWidth = w, ww
			case lineWidth+1+ww <= width:
				line += " " + w
				lineWidth += 1 + ww
			default:
				out = append(out, line)
				line, lineWidth = w, ww
			}
		}
		out = append(out, line)
	}
	return out
}
