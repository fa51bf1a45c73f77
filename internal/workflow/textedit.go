package workflow

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"
)

// Edit is the result of a format-preserving change to a workflow file.
type Edit struct {
	// Out is the edited file.
	Out []byte
	// Diff is a unified diff of the change (hunks only, 3 lines of context,
	// carriage returns dropped); DiffWithPath adds file headers.
	Diff string
	// Changed is true when Out differs from the input.
	Changed bool
	// Note explains the change in one or two sentences for a PR body.
	Note string
}

// DiffWithPath returns the diff with "--- a/path" and "+++ b/path" headers.
func (e Edit) DiffWithPath(path string) string {
	if e.Diff == "" {
		return ""
	}
	return "--- a/" + path + "\n+++ b/" + path + "\n" + e.Diff
}

// lines is a file split into lines that keep their terminators.
type lines struct {
	text []string
	eol  string // the file's line ending, used for inserted lines
}

func splitLines(src []byte) lines {
	l := lines{eol: "\n"}
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		l.eol = "\r\n"
	}
	s := string(src)
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			l.text = append(l.text, s)
			break
		}
		l.text = append(l.text, s[:i+1])
		s = s[i+1:]
	}
	return l
}

// line returns the 1-based line n without its terminator.
func (l lines) line(n int) string {
	if n < 1 || n > len(l.text) {
		return ""
	}
	return strings.TrimRight(l.text[n-1], "\r\n")
}

// ending returns the terminator of 1-based line n ("" for a last line without one).
func (l lines) ending(n int) string {
	t := l.text[n-1]
	return t[len(strings.TrimRight(t, "\r\n")):]
}

// splice replaces del lines starting at 1-based line at with ins (each
// without terminator); del 0 inserts before line at.
type splice struct {
	at, del int
	ins     []string
}

// apply performs non-overlapping splices and returns the new file.
func (l lines) apply(sp []splice) []byte {
	// Bottom-up, and at the same line replacements before insertions, so that
	// earlier splices never shift the lines later ones refer to.
	sort.SliceStable(sp, func(a, b int) bool {
		if sp[a].at != sp[b].at {
			return sp[a].at > sp[b].at
		}
		return sp[a].del > sp[b].del
	})
	text := append([]string(nil), l.text...)
	for _, s := range sp {
		at := s.at - 1
		if at > len(text) {
			at = len(text)
		}
		// Lines appended to a file without a final newline: the old last line
		// gets one, the new last line goes without, as the file did.
		noFinalEOL := at == len(text) && at > 0 && !strings.HasSuffix(text[at-1], "\n") && len(s.ins) > 0
		if noFinalEOL {
			text[at-1] += l.eol
		}
		repl := make([]string, 0, len(s.ins))
		for i, t := range s.ins {
			end := l.eol
			switch {
			case i < len(s.ins)-1:
			case s.del > 0 && at+s.del-1 < len(text):
				end = l.ending(at + s.del) // keep what the replaced line ended with
			case noFinalEOL:
				end = ""
			}
			repl = append(repl, t+end)
		}
		text = append(text[:at], append(repl, text[at+s.del:]...)...)
	}
	return []byte(strings.Join(text, ""))
}

// byteOffset converts a 1-based character column to a byte offset in s.
func byteOffset(s string, col int) int {
	off := 0
	for i := 1; i < col && off < len(s); i++ {
		_, n := utf8.DecodeRuneInString(s[off:])
		off += n
	}
	return off
}

// tokenEnd returns the byte offset just past the YAML token starting at start:
// a quoted scalar, an alias, a flow collection or a plain word.
func tokenEnd(s string, start int) int {
	if start >= len(s) {
		return start
	}
	switch s[start] {
	case '"':
		for i := start + 1; i < len(s); i++ {
			if s[i] == '\\' {
				i++
				continue
			}
			if s[i] == '"' {
				return i + 1
			}
		}
		return len(s)
	case '\'':
		for i := start + 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return len(s)
	case '{', '[':
		depth := 0
		for i := start; i < len(s); i++ {
			switch s[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(s)
	}
	i := start
	for i < len(s) && !strings.ContainsRune(" \t,}]#", rune(s[i])) {
		i++
	}
	return i
}

// commentOrBlank reports whether a line holds only whitespace or a comment.
func commentOrBlank(s string) bool {
	t := strings.TrimSpace(s)
	return t == "" || strings.HasPrefix(t, "#")
}

// UnifiedDiff is a unified diff of two versions of the file at path, with
// "--- a/path" and "+++ b/path" headers; "" when they are equal.
func UnifiedDiff(path string, before, after []byte) string {
	return Edit{Diff: unifiedDiff(before, after)}.DiffWithPath(path)
}
