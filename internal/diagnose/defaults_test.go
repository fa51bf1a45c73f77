package diagnose

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

const ruleWorkflowSomeJobsDeclare = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - run: make test
  build:
    runs-on: ubuntu-latest
    steps:
      - run: docker push ghcr.io/acme/app:latest
`

const ruleWorkflowCaller = `on: push
jobs:
  call:
    permissions:
      contents: read
    uses: acme/shared/.github/workflows/publish.yml@v1
`

func TestDefaultsDecide(t *testing.T) {
	tests := []struct {
		name string
		wf   string // "" for an unreadable workflow
		want bool
	}{
		{"unreadable workflow", "", true},
		{"job-level permissions", ruleWorkflowJobBlock, false},
		{"workflow-level permissions", ruleWorkflowWrite, false},
		{"no permissions anywhere", ruleWorkflowNoBlock, true},
		{"one job of two declares", ruleWorkflowSomeJobsDeclare, true},
		{"a reusable workflow's calling job declares", ruleWorkflowCaller, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var file *workflow.File
			if tt.wf != "" {
				var err error
				file, err = workflow.Parse([]byte(tt.wf))
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, DefaultsDecide(file))
		})
	}
}

// TestDefaultsThatDoNotDecideChangeNothing diagnoses each run whose
// workflow declares every job's permissions with every combination of
// defaults, and with the defaults left unread: the causes and fixes must be
// the same, and the unread defaults are neither a check nor an unknown.
func TestDefaultsThatDoNotDecideChangeNothing(t *testing.T) {
	runs := []struct {
		name   string
		wf     string
		mutate func(*Facts)
	}{
		{"job block, push", ruleWorkflowJobBlock, nil},
		{"workflow block, push", ruleWorkflowWrite, nil},
		{"job block, fork pull request", ruleWorkflowJobBlock, func(f *Facts) {
			f.Run.Event, f.Run.HeadRepo, f.Run.PullRequests = "pull_request", "fork/app", nil
		}},
		{"workflow block, Dependabot", ruleWorkflowWrite, func(f *Facts) {
			f.Run.Event, f.Run.Actor = "pull_request", "dependabot[bot]"
		}},
	}
	defaults := [][2]Fact[string]{
		{KnownFact("read"), KnownFact("read")},
		{KnownFact("write"), KnownFact("read")},
		{KnownFact("write"), KnownFact("write")},
		{UnknownFact[string]("no access", "administration:read"), UnknownFact[string]("no access", "organization_administration:read")},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			unread := Diagnose(factsFor(t, r.wf, scan.KindWriteDenied, nil, func(f *Facts) {
				if r.mutate != nil {
					r.mutate(f)
				}
				f.RepoDefault, f.OrgDefault = DefaultsNotNeeded(), DefaultsNotNeeded()
			}), Options{})
			require.NotEmpty(t, unread)
			for _, d := range unread[0].Checks {
				assert.NotContains(t, d.Name, "default workflow permissions")
			}
			for _, u := range unread[0].Unknowns {
				assert.NotContains(t, u.What, "default workflow permissions")
			}
			for _, def := range defaults {
				read := Diagnose(factsFor(t, r.wf, scan.KindWriteDenied, nil, func(f *Facts) {
					if r.mutate != nil {
						r.mutate(f)
					}
					f.RepoDefault, f.OrgDefault = def[0], def[1]
				}), Options{})
				require.Len(t, read, len(unread))
				for i := range read {
					assert.Equal(t, read[i].Causes, unread[i].Causes, "defaults %v/%v", def[0], def[1])
				}
			}
		})
	}
}
