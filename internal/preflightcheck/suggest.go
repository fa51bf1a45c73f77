package preflightcheck

import (
	"strconv"
	"strings"
)

// SuggestedChange is an edit of a file as a review comment suggests it: the lines
// StartLine..Line of the file (StartLine 0: the one line Line) are
// replaced by Lines.
type SuggestedChange struct {
	StartLine int
	Line      int
	Lines     []string
}

// First is the first line the change covers.
func (c SuggestedChange) First() int {
	if c.StartLine > 0 {
		return c.StartLine
	}
	return c.Line
}

// fileLines splits a file into lines without their terminators.
func fileLines(src []byte) []string {
	if len(src) == 0 {
		return nil
	}
	ls := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	for i, l := range ls {
		ls[i] = strings.TrimSuffix(l, "\r")
	}
	return ls
}

// changeOf finds the lines that differ between a file and its edited
// version: the common beginning and end are kept, the rest is the change.
// A pure insertion is anchored on the line before it (or, at the top of
// the file, the line after), which the suggestion repeats, since a
// suggestion replaces at least one line. ok is false when nothing changed.
func changeOf(src, out []byte) (c SuggestedChange, ok bool) {
	a, b := fileLines(src), fileLines(out)
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	removed, added := a[p:len(a)-s], b[p:len(b)-s]
	switch {
	case len(removed) == 0 && len(added) == 0:
		return SuggestedChange{}, false
	case len(removed) > 0:
		c = SuggestedChange{StartLine: p + 1, Line: len(a) - s, Lines: added}
	case p > 0:
		c = SuggestedChange{Line: p, Lines: append([]string{a[p-1]}, added...)}
	case len(a) > 0:
		c = SuggestedChange{Line: 1, Lines: append(append([]string(nil), added...), a[0])}
	default:
		return SuggestedChange{}, false // an empty file has no line to comment on
	}
	if c.StartLine == c.Line {
		c.StartLine = 0
	}
	return c, true
}

// Apply replaces the lines of the change in src, exactly as GitHub commits
// an accepted suggestion.
func (c SuggestedChange) Apply(src []byte) []byte {
	a := fileLines(src)
	out := append(append(append([]string(nil), a[:c.First()-1]...), c.Lines...), a[c.Line:]...)
	return []byte(strings.Join(out, "\n") + "\n")
}

// lineRange is the new-file side of a hunk: lines a review comment may use.
type lineRange struct{ first, last int }

// diffRanges reads the new-side line ranges of a patch's hunks
// ("@@ -a,b +c,d @@").
func diffRanges(patch string) []lineRange {
	var out []lineRange
	for _, l := range strings.Split(patch, "\n") {
		if !strings.HasPrefix(l, "@@ ") {
			continue
		}
		_, rest, ok := strings.Cut(l, " +")
		if !ok {
			continue
		}
		spec, _, _ := strings.Cut(rest, " ")
		startText, countText, hasCount := strings.Cut(spec, ",")
		start, err := strconv.Atoi(startText)
		if err != nil {
			continue
		}
		count := 1
		if hasCount {
			if count, err = strconv.Atoi(countText); err != nil {
				continue
			}
		}
		if count > 0 {
			out = append(out, lineRange{first: start, last: start + count - 1})
		}
	}
	return out
}

// inOneHunk reports whether the lines first..last lie inside one hunk of
// the patch: GitHub refuses review comments anywhere else.
func inOneHunk(patch string, first, last int) bool {
	for _, r := range diffRanges(patch) {
		if first >= r.first && last <= r.last {
			return true
		}
	}
	return false
}
