package markdown

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSuggestion(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  string
		err   error
	}{
		{"plain lines", []string{"    permissions:", "      packages: write"}, "```suggestion\n    permissions:\n      packages: write\n```\n", nil},
		{"a mention stays as it is", []string{"# ask @octocat"}, "```suggestion\n# ask @octocat\n```\n", nil},
		{"backticks lengthen the fence", []string{"run: echo ```"}, "````suggestion\nrun: echo ```\n````\n", nil},
		{"a tab is kept", []string{"\tkey: value"}, "```suggestion\n\tkey: value\n```\n", nil},
		{"an empty line", []string{""}, "```suggestion\n\n```\n", nil},
		{"a control character is refused", []string{"a\x1b[31mb"}, "", ErrNotVerbatim},
		{"a direction override is refused", []string{"a\u202eb"}, "", ErrNotVerbatim},
		{"a secret is refused", []string{"token: ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789"}, "", ErrNotVerbatim},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Suggestion(tc.lines)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
