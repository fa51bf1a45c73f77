package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// A person's comment carrying a marker copied from a report is never taken
// for the report, whatever GitHub answers about the App while the run is
// handled: the App learnt its login at start-up.
func TestACopiedMarkerInAPersonsCommentIsNeverTheReport(t *testing.T) {
	tests := []struct {
		name  string
		fault *githubfake.Fault
	}{
		{"GitHub answers", nil},
		{"GET /app fails", &githubfake.Fault{Method: "GET", PathPattern: "^/app$", Status: 502, Times: 1000}},
		{"GET /app is refused", &githubfake.Fault{Method: "GET", PathPattern: "^/app$", Status: 401, Times: 1000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, allPermissions)
			failed := scenario{workflow: wfTwoImages, pr: 12, event: "pull_request", log: twoPackagesLog(t)}
			payload := e.addRun(failed)
			copied := legacyMarker("ghcr.io/acme/api") + "\nI copied this from another pull request.\n"
			mallory := e.fake.AddComment(org, repoName, 12, "mallory", copied)
			if tt.fault != nil {
				e.fake.InjectFault(*tt.fault)
			}

			e.deliver("workflow_run", payload)
			cs := e.fake.Comments(org, repoName, 12)
			require.Len(t, cs, 2, "the report is a comment of the App's own")
			assert.Equal(t, mallory, cs[0].ID)
			assert.Equal(t, copied, cs[0].Body, "the person's comment is left as it was")
			assert.Equal(t, e.fake.BotLogin(), cs[1].User)
			m, ok := report.ParseMarker(cs[1].Body)
			require.True(t, ok)
			assert.Len(t, m.Packages, 2)
		})
	}
}
