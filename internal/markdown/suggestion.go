package markdown

import (
	"errors"
	"strings"
)

// ErrNotVerbatim is returned by Suggestion for lines it cannot show as they are.
var ErrNotVerbatim = errors.New("the lines cannot be suggested verbatim")

// Suggestion renders lines of a file as a GitHub suggested change: a
// "suggestion" code block whose fence no line can close. Applying it
// replaces the commented lines with these exact lines, so they are never
// cleaned or cut: lines holding what the policy would change (control
// characters, invisible direction overrides, a secret) are refused with
// ErrNotVerbatim, and the caller shows the fix another way. Mentions and
// references are inert inside a code block.
func Suggestion(lines []string) (string, error) {
	longest := 0
	for _, l := range lines {
		if stripControls(l, false) != l || Redact(l) != l {
			return "", ErrNotVerbatim
		}
		longest = max(longest, longestBacktickRun(l))
	}
	fence := strings.Repeat("`", max(3, longest+1))
	var b strings.Builder
	b.WriteString(fence + "suggestion\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	b.WriteString(fence + "\n")
	return b.String(), nil
}
