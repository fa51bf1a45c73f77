package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/repoconfig"
)

// configReads counts the reads of the configuration file on a default
// branch, the repository's and the organisation's.
func configReads(reqs []githubfake.Request) int {
	n := 0
	for _, r := range reqs {
		if r.Method == "GET" && (r.Path == "/repos/acme/app/contents/"+repoconfig.Path || r.Path == "/repos/acme/.github/contents/"+repoconfig.Path) {
			n++
		}
	}
	return n
}

// TestMissingConfigurationIsAskedForOnceUntilAPushAddsIt: the failed runs
// of a repository without a configuration file ask for it (and the
// organisation's) once; a push to the default branch that adds the file
// is honoured by the next run at once.
func TestMissingConfigurationIsAskedForOnceUntilAPushAddsIt(t *testing.T) {
	e := newEnv(t, allPermissions)
	first := e.counted("workflow_run", e.addRun(missingWriteScenario()))
	assert.Equal(t, 2, configReads(first), "the repository's file and the organisation's")

	again := missingWriteScenario()
	again.runID = 7002
	second := e.counted("workflow_run", e.addRun(again))
	assert.Zero(t, configReads(second), "known missing: not asked for again")
	require.Len(t, e.markerComments(12), 1)

	before := e.fake.BranchSHA(org, repoName, "main")
	after := e.fake.Push(org, repoName, "main", "Configure ghcr-doctor", map[string][]byte{repoconfig.Path: []byte("enabled: false\n")})
	e.deliver("push", e.fake.PushEvent(org, repoName, "main", before, after))

	third := missingWriteScenario()
	third.runID, third.pr = 7003, 14
	reqs := e.counted("workflow_run", e.addRun(third))
	assert.Equal(t, 1, configReads(reqs), "the pushed file is read at once")
	assert.Empty(t, e.markerComments(14), "and honoured: the bot is off")
}
