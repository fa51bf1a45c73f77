package report

import (
	"strings"
)

// link renders a Markdown link whose text and address are safe: only
// http(s) addresses become links, anything else is shown as text.
func link(text, rawURL string) string {
	label := linkText(text)
	u, ok := safeURL(rawURL)
	if !ok {
		return label
	}
	return "[" + label + "](" + u + ")"
}

func linkText(s string) string {
	s = Inline(s, 300)
	s = strings.NewReplacer("[", `\[`, "]", `\]`).Replace(s)
	if strings.TrimSpace(s) == "" {
		return "link"
	}
	return s
}

// safeURL returns an http(s) address with the characters that could end a
// Markdown link or an HTML attribute percent-encoded, and secrets redacted.
func safeURL(s string) (string, bool) {
	s = strings.TrimSpace(cleanLine(s, 0))
	lower := strings.ToLower(s)
	if len(s) > maxURL || !(strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")) {
		return "", false
	}
	return strings.NewReplacer(" ", "%20", "\t", "%09", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E",
		"`", "%60", `"`, "%22", "'", "%27", "[", "%5B", "]", "%5D").Replace(s), true
}

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
