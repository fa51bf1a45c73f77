package markdown

import "strings"

// Code renders untrusted text as an inline code span that its content cannot
// close, cut to max runes (0 = no limit).
func Code(s string, max int) string {
	s = neutralizeMentions(cleanLine(s, max))
	if s == "" {
		return "` `"
	}
	fence := strings.Repeat("`", longestBacktickRun(s)+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.Trim(s, " ") == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// CodeCell is Code for a table cell.
func CodeCell(s string, max int) string {
	return strings.ReplaceAll(Code(s, max), "|", `\|`)
}

// Fence renders untrusted lines as a fenced code block that no line can
// close: the fence is longer than the longest run of backticks inside. Each
// line is cleaned and cut to maxLine runes (0 = no limit). info is the
// bot's own ("text", "diff").
func Fence(info string, lines []string, maxLine int) string {
	clean := make([]string, len(lines))
	longest := 0
	for i, l := range lines {
		clean[i] = neutralizeMentions(cleanLine(l, maxLine))
		longest = max(longest, longestBacktickRun(clean[i]))
	}
	fence := strings.Repeat("`", max(3, longest+1))
	var b strings.Builder
	b.WriteString(fence + info + "\n")
	for _, l := range clean {
		b.WriteString(l + "\n")
	}
	b.WriteString(fence + "\n")
	return b.String()
}

// backtickRun is the length of the run of backticks starting at i.
func backtickRun(s string, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] == '`' {
		n++
	}
	return n
}

// closingRun returns the index just past the first run of exactly n
// backticks at or after from, or -1.
func closingRun(s string, from, n int) int {
	for i := from; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		m := backtickRun(s, i)
		if m == n {
			return i + m
		}
		i += m
	}
	return -1
}

// longestBacktickRun is the longest run of backticks in s.
func longestBacktickRun(s string) int {
	longest := 0
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		n := backtickRun(s, i)
		longest = max(longest, n)
		i += n
	}
	return longest
}
