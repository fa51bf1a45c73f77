package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckRunConclusionIsTheRepositorysChoice: report.check_run_conclusion
// chooses between action_required (the default) and neutral, and a change
// of mind reaches the existing check run at the next report.
func TestCheckRunConclusionIsTheRepositorysChoice(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"default", "", "action_required"},
		{"neutral", "report:\n  check_run_conclusion: neutral\n", "neutral"},
		{"explicitly action_required", "report:\n  check_run_conclusion: action_required\n", "action_required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fixPermissions)
			if tt.file != "" {
				e.fake.SetFile(org, repoName, "main", configPath, []byte(tt.file))
			}
			e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
			pr := e.diagnosed(missingWriteScenario())
			crs := e.fake.CheckRuns(org, repoName)
			require.Len(t, crs, 1)
			assert.Equal(t, tt.want, crs[0].Conclusion)

			if tt.want == "neutral" {
				// The repository changes its mind; a recheck updates the check run.
				e.fake.SetFile(org, repoName, "main", configPath, []byte("report:\n  check_run_conclusion: action_required\n"))
				e.command(pr, "maya", "/ghcr recheck")
				crs = e.fake.CheckRuns(org, repoName)
				require.Len(t, crs, 1)
				assert.Equal(t, "action_required", crs[0].Conclusion)
			}
		})
	}
}
