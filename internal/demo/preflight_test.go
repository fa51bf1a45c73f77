package demo_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo"
)

// TestPreflightDemoWarnsThenTurnsGreen plays the preflight scenario: the
// story must show the warning with its annotation, the suggested change as
// a diff, the suggestion committed, and the green check afterwards.
func TestPreflightDemoWarnsThenTurnsGreen(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := demo.RunPreflight(ctx, demo.Options{Out: &out})
	require.NoError(t, err, "output:\n%s", out.String())
	text := out.String()
	t.Log(text)

	assert.Equal(t, "action_required", res.Warned.Conclusion)
	require.NotEmpty(t, res.Warned.Output.Annotations)
	assert.Equal(t, "success", res.Fixed.Conclusion)
	assert.Empty(t, res.Fixed.Output.Annotations)
	assert.NotEqual(t, res.Warned.HeadSHA, res.Fixed.HeadSHA, "the fix is a new commit")
	assert.Zero(t, res.CommentsLeft, "the resolved suggestion is gone")
	assert.Contains(t, res.Applied, "      packages: write\n", "the committed suggestion grants packages: write")

	a := res.Warned.Output.Annotations[0]
	for _, want := range []string{
		"ghcr-doctor demo: preflight",
		"opens pull request #",
		"+    permissions:",
		`The check run "ghcr-doctor preflight" on commit ` + res.Warned.HeadSHA[:7],
		"ACTION REQUIRED",
		".github/workflows/release.yml:" + strconv.Itoa(a.StartLine) + " failure:",
		"Suggested change",
		"+      packages: write",
		"[ Commit suggestion ]",
		`clicks "Commit suggestion"`,
		`The check run "ghcr-doctor preflight" on commit ` + res.Fixed.HeadSHA[:7],
		"SUCCESS",
		"review comment is gone",
		"no run failed",
	} {
		assert.Contains(t, text, want)
	}
	assert.Less(t, strings.Index(text, "ACTION REQUIRED"), strings.Index(text, "SUCCESS"), "warned first, green after")
	assert.NotContains(t, text, "<!--", "markers are not shown")
	assert.NotContains(t, text, "```", "the suggestion block is shown as a diff, not as its Markdown")
	assert.NotContains(t, text, "\x1b[", "no colour without Color")
}
