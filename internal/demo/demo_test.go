package demo_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo"
)

// TestEveryScenarioRunsToItsFix plays each scenario in-process and checks
// that the story names the cause and the fix.
func TestEveryScenarioRunsToItsFix(t *testing.T) {
	require.GreaterOrEqual(t, len(demo.Scenarios()), 5)
	for _, s := range demo.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			res, err := demo.Run(ctx, s, demo.Options{Out: &out})
			require.NoError(t, err, "output:\n%s", out.String())
			t.Logf("%s took %s", s.Name, res.Duration.Round(time.Millisecond))
			text := out.String()

			assert.Equal(t, s.Cause, res.Cause, "output:\n%s", text)
			for _, want := range s.Expect {
				assert.Contains(t, text, want)
			}
			assert.Contains(t, text, "The failed run")
			assert.Contains(t, text, `The check run "ghcr-doctor"`)
			assert.Contains(t, text, "/ghcr fix")
			assert.NotEmpty(t, res.Reply)
			assert.NotContains(t, text, "<!--", "markers are not shown")
			assert.NotContains(t, text, "\x1b[", "no colour without Color")
			if res.FixPull != nil {
				assert.Contains(t, text, "--- a/.github/workflows/release.yml")
				assert.Contains(t, text, "Pull request #")
			} else {
				assert.Contains(t, text, "No API can apply this fix")
			}
		})
	}
}

func TestScenarioNamesAreUniqueAndFound(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range demo.Scenarios() {
		assert.False(t, seen[s.Name], "duplicate %s", s.Name)
		seen[s.Name] = true
		got, ok := demo.Find(s.Name)
		assert.True(t, ok)
		assert.Equal(t, s.Title, got.Title)
		assert.NotEmpty(t, s.Expect, "%s names what the output must show", s.Name)
	}
	_, ok := demo.Find("nope")
	assert.False(t, ok)
	assert.Contains(t, demo.Scenarios()[0].Expect, "Opened pull request", "the default scenario ends with the fix pull request (the quick start promises diagnose and fix)")
}
