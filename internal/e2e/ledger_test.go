package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// listed counts the requests that looked for existing reports or fix pull
// requests.
func listed(reqs []githubfake.Request) map[string]int {
	n := map[string]int{}
	for _, r := range reqs {
		switch r.Route {
		case "/repos/{owner}/{repo}/commits/{ref}/check-runs", "/repos/{owner}/{repo}/issues/{number}/comments", "/repos/{owner}/{repo}/pulls":
			if r.Method == "GET" {
				n[r.Route]++
			}
		}
	}
	return n
}

// TestLedgerKeepsOneReportFromInstallationToResolution follows an
// installation the report ledger knows from its installation event: the
// first report is written without looking for one, a /ghcr fix is linked
// from the report, a re-run failing again edits the same comment and check
// run, a success resolves them, and a success on a pull request without a
// report does not look for one.
func TestLedgerKeepsOneReportFromInstallationToResolution(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "maintain")
	e.installed()

	s := missingWriteScenario()
	e.fake.SetFile(org, repoName, "main", workflowPath, []byte(s.workflow))
	reqs := e.counted("workflow_run", e.addRun(s))
	assert.Empty(t, listed(reqs), "nothing to look for in a new installation")
	require.Len(t, e.markerComments(s.pr), 1, "log:\n%s", e.logs.String())
	require.Len(t, e.fake.CheckRuns(org, repoName), 1)

	e.command(s.pr, "maya", "/ghcr fix")
	pulls := e.botPulls()
	require.Len(t, pulls, 1, "log:\n%s", e.logs.String())

	again := missingWriteScenario()
	again.attempt = 2
	reqs = e.counted("workflow_run", e.addRun(again))
	assert.Equal(t, 1, listed(reqs)["/repos/{owner}/{repo}/issues/{number}/comments"], "the recorded comment is looked up")
	assert.Equal(t, 1, listed(reqs)["/repos/{owner}/{repo}/pulls"], "the recorded fix branch is looked up")
	diag := e.markerComments(s.pr)
	require.Len(t, diag, 1, "the re-run edits the one comment")
	assert.Contains(t, diag[0].Body, "A pull request with this change is open")
	assert.Contains(t, diag[0].Body, "/pull/"+itoa(pulls[0].Number))
	assert.Len(t, e.fake.CheckRuns(org, repoName), 1, "and the one check run")

	ok := missingWriteScenario()
	ok.runID, ok.conclusion, ok.log = 7002, "success", "all good\n"
	e.deliver("workflow_run", e.addRun(ok))
	diag = e.markerComments(s.pr)
	require.Len(t, diag, 1)
	assert.Contains(t, diag[0].Body, "resolved")

	other := missingWriteScenario()
	other.runID, other.conclusion, other.log, other.pr = 7003, "success", "all good\n", 13
	reqs = e.counted("workflow_run", e.addRun(other))
	assert.Equal(t, map[string]int{"/repos/{owner}/{repo}/commits/{ref}/check-runs": 1}, listed(reqs),
		"of a success on the same commit from another pull request, only the commit's check run, which exists, is looked up")
	assert.Len(t, reqs, 1, "and nothing else is asked")
}
