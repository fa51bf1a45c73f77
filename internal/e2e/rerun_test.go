package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRerunButtonRechecks: GitHub's "Re-run" on ghcr-doctor's check run
// diagnoses the run again and notes it on the check run, like Recheck.
func TestRerunButtonRechecks(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	pr := e.diagnosed(missingWriteScenario())
	crs := e.fake.CheckRuns(org, repoName)
	require.Len(t, crs, 1)
	runsBefore := e.jobLogDownloads()

	e.deliver("check_run", e.fake.CheckRunRerequestedEvent(org, repoName, crs[0].ID, "maya"))
	assert.Greater(t, e.jobLogDownloads(), runsBefore, "the run's logs were read again")
	assert.Len(t, e.fake.CheckRuns(org, repoName), 1, "the check run is updated, not duplicated")
	summary := e.fake.CheckRuns(org, repoName)[0].Output.Summary
	assert.Contains(t, summary, "Re-run (check run)")
	assert.Contains(t, summary, "pressed by `maya`")
	assert.Len(t, e.markerComments(pr), 1)
}

// jobLogDownloads counts the job log requests the bot made.
func (e *env) jobLogDownloads() int {
	n := 0
	for _, r := range e.fake.Requests() {
		if len(r.Path) > 5 && r.Path[len(r.Path)-5:] == "/logs" {
			n++
		}
	}
	return n
}
