package demo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

func TestSuggestionAppliesAsGitHubCommitsIt(t *testing.T) {
	const src = "a\nb\nc\nd\n"
	tests := []struct {
		name      string
		startLine int
		line      int
		body      string
		want      string
		wantDiff  []string
		wantErr   string
	}{
		{name: "one line becomes two", line: 2, body: "Add it.\n\n```suggestion\nb\nb2\n```\nThanks.",
			want: "a\nb\nb2\nc\nd\n", wantDiff: []string{"-b", "+b", "+b2"}},
		{name: "a range is replaced", startLine: 2, line: 3, body: "```suggestion\nx\n```",
			want: "a\nx\nd\n", wantDiff: []string{"-b", "-c", "+x"}},
		{name: "an empty block deletes the lines", line: 4, body: "```suggestion\n```",
			want: "a\nb\nc\n", wantDiff: []string{"-d"}},
		{name: "a longer fence holds backticks", line: 1, body: "````suggestion\n```\n````",
			want: "```\nb\nc\nd\n", wantDiff: []string{"-a", "+```"}},
		{name: "CRLF bodies", line: 1, body: "```suggestion\r\nz\r\n```\r\n", want: "z\nb\nc\nd\n", wantDiff: []string{"-a", "+z"}},
		{name: "no block", line: 1, body: "```yaml\nz\n```", wantErr: "carries no suggested change"},
		{name: "unclosed block", line: 1, body: "```suggestion\nz\n", wantErr: "not closed"},
		{name: "a range upside down", startLine: 3, line: 2, body: "```suggestion\nz\n```", wantErr: "covers lines 3 to 2"},
		{name: "past the end", line: 9, body: "```suggestion\nz\n```", wantErr: "line 9 of a file of 4 lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseSuggestion(githubfake.ReviewComment{StartLine: tt.startLine, Line: tt.line, Body: tt.body})
			if err == nil {
				var got string
				got, err = s.apply(src)
				if err == nil {
					assert.Equal(t, tt.want, got)
					assert.Equal(t, tt.wantDiff, s.diff(src))
				}
			}
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
		})
	}
}

func TestSuggestionKeepsTheCommentAroundIt(t *testing.T) {
	s, err := parseSuggestion(githubfake.ReviewComment{Line: 1, Body: "before\n```suggestion\nz\n```\nafter"})
	require.NoError(t, err)
	assert.Equal(t, "before", s.intro)
	assert.Equal(t, "after", s.outro)
}
