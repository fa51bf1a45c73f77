package demo

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// suggestion is a review comment's suggested change as GitHub reads it:
// the file's lines first..last are to be replaced by lines; intro and
// outro are the comment's text around the ```suggestion block.
type suggestion struct {
	first, last  int
	lines        []string
	intro, outro string
}

// suggestionFence opens a suggestion block: three or more backticks or tildes.
var suggestionFence = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})suggestion\\s*$")

// parseSuggestion reads the suggested change of a review comment.
func parseSuggestion(c githubfake.ReviewComment) (suggestion, error) {
	body := strings.ReplaceAll(c.Body, "\r\n", "\n")
	ls := strings.Split(body, "\n")
	for i, l := range ls {
		m := suggestionFence.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		marker := m[1]
		for j := i + 1; j < len(ls); j++ {
			t := strings.TrimSpace(ls[j])
			if len(t) >= len(marker) && strings.Trim(t, marker[:1]) == "" {
				s := suggestion{first: c.Line, last: c.Line, lines: append([]string(nil), ls[i+1:j]...),
					intro: strings.Join(ls[:i], "\n"), outro: strings.Join(ls[j+1:], "\n")}
				if c.StartLine > 0 {
					s.first = c.StartLine
				}
				if s.first < 1 || s.first > s.last {
					return suggestion{}, fmt.Errorf("the review comment covers lines %d to %d", s.first, s.last)
				}
				return s, nil
			}
		}
		return suggestion{}, errors.New("the review comment's suggestion block is not closed")
	}
	return suggestion{}, errors.New("the review comment carries no suggested change")
}

// apply commits the suggestion as GitHub's "Commit suggestion" does: the
// commented lines are replaced by the block's lines, the rest is kept.
func (s suggestion) apply(src string) (string, error) {
	ls := splitLines(src)
	if s.last > len(ls) {
		return "", fmt.Errorf("the suggestion covers line %d of a file of %d lines", s.last, len(ls))
	}
	out := append(append(append([]string(nil), ls[:s.first-1]...), s.lines...), ls[s.last:]...)
	return strings.Join(out, "\n") + "\n", nil
}

// diff shows the suggestion as GitHub's review shows it: the commented
// lines removed, the suggested ones added.
func (s suggestion) diff(src string) []string {
	ls := splitLines(src)
	var out []string
	for i := s.first; i <= s.last && i <= len(ls); i++ {
		out = append(out, "-"+ls[i-1])
	}
	for _, l := range s.lines {
		out = append(out, "+"+l)
	}
	return out
}
