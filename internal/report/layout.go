package report

import "strings"

// quoteBlock renders lines as a GitHub alert ("NOTE", "WARNING").
func quoteBlock(kind string, lines []string) string {
	var b strings.Builder
	b.WriteString("> [!" + kind + "]\n")
	for i, l := range lines {
		if i > 0 {
			b.WriteString(">\n")
		}
		b.WriteString("> " + l + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

// capped returns at most n items and how many were left out.
func capped[T any](items []T, n int) ([]T, int) {
	if n < 0 {
		n = 0
	}
	if len(items) <= n {
		return items, 0
	}
	return items[:n], len(items) - n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
