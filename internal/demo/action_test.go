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

func TestActionDemoShowsTheSummaryPage(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := demo.RunAction(ctx, demo.Options{Out: &out})
	require.NoError(t, err, "output:\n%s", out.String())
	text := out.String()

	assert.Contains(t, res.Summary, "## ghcr-doctor: `ghcr.io/acme/app` was refused")
	assert.Equal(t, "true", res.Outputs["found"])
	assert.Equal(t, "package_access", res.Outputs["cause"])
	for _, want := range []string{
		"ghcr-doctor demo: action",
		"The failed run",
		`Job "ghcr-doctor", step "Run ghcr-doctor/ghcr-doctor@v1"`,
		"Error: ghcr-doctor: cannot push ghcr.io/acme/app  .github/workflows/release.yml#L22",
		"The run's summary page",
		"ghcr-doctor: `ghcr.io/acme/app` was refused",
		"Manage Actions access",
		"cause = package_access",
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "/ghcr fix", "no App, no commands")
	assert.NotContains(t, text, "\x1b[", "no colour without Color")
	assert.NotContains(t, text, "::error", "annotations are shown as the run's page shows them")
}
