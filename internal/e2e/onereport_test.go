package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// twoPackagesLog is a job log in which pushes of ghcr.io/acme/api and
// ghcr.io/acme/web were both refused.
func twoPackagesLog(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "two_packages_refused.log"))
	require.NoError(t, err)
	return string(b)
}

func TestTwoRefusedPackagesMakeOneCommentThenResolve(t *testing.T) {
	e := newEnv(t, allPermissions)
	failed := scenario{workflow: wfTwoImages, pr: 12, event: "pull_request", log: twoPackagesLog(t)}
	e.deliver("workflow_run", e.addRun(failed))

	body := e.reportBody(failed)
	assert.Contains(t, body, "`ghcr.io/acme/api`")
	assert.Contains(t, body, "`ghcr.io/acme/web`")
	assert.Contains(t, body, "2 packages were refused")
	m, ok := report.ParseMarker(body)
	require.True(t, ok)
	assert.Equal(t, report.StateOpen, m.State)
	require.Len(t, m.Packages, 2)
	crs := e.fake.CheckRuns(org, repoName)
	require.Len(t, crs, 1, "one check run")
	assert.Contains(t, crs[0].Output.Summary, "`ghcr.io/acme/web`")

	writes := e.writeRequests()
	e.deliver("workflow_run", e.fake.WorkflowRunEvent("completed", org, repoName, 7001))
	assert.Equal(t, writes, e.writeRequests(), "a redelivered event writes nothing")

	e.deliver("workflow_run", e.addRun(scenario{workflow: wfTwoImages, pr: 12, event: "pull_request", runID: 7002, conclusion: "success", log: "all good\n"}))
	cs := e.fake.Comments(org, repoName, 12)
	require.Len(t, cs, 1, "the comment is edited, not duplicated")
	m, ok = report.ParseMarker(cs[0].Body)
	require.True(t, ok)
	assert.Equal(t, report.StateResolved, m.State)
	assert.EqualValues(t, 7002, m.Run)
	assert.Contains(t, cs[0].Body, "- [x] `ghcr.io/acme/api`")
	assert.Contains(t, cs[0].Body, "- [x] `ghcr.io/acme/web`")
}

func TestTwoRefusedPackagesOnAPushMakeOneTrackingIssue(t *testing.T) {
	e := newEnv(t, allPermissions)
	failed := scenario{workflow: wfTwoImages, log: twoPackagesLog(t)}
	e.deliver("workflow_run", e.addRun(failed))

	body := e.reportBody(failed)
	assert.Contains(t, body, "`ghcr.io/acme/api`")
	assert.Contains(t, body, "`ghcr.io/acme/web`")
	issues := e.fake.Issues(org, repoName)
	require.Len(t, issues, 1)
	assert.Equal(t, "ghcr-doctor: cannot push ghcr.io/acme/api and 1 more package from main (release.yml)", issues[0].Title)

	e.deliver("workflow_run", e.addRun(scenario{workflow: wfTwoImages, runID: 7003, conclusion: "success", log: "ok\n"}))
	issues = e.fake.Issues(org, repoName)
	require.Len(t, issues, 1)
	assert.Equal(t, "closed", issues[0].State)
}

// legacyMarker is the marker an earlier version, which kept one comment
// per package, wrote on pull request #12 for one package of release.yml.
func legacyMarker(pkg string) string {
	key := "comment|acme/app|pr=12|workflow=" + workflowPath + "|package=" + pkg
	sum := sha256.Sum256([]byte(key + "\x00"))
	return "<!-- ghcr-doctor:v1 key=" + hex.EncodeToString(sum[:])[:16] + " workflow=" + workflowPath +
		" package=" + pkg + " state=open hash=0123456789abcdef run=6999 cause=package_access -->"
}

func TestPerPackageCommentsOfEarlierVersionsAreAdopted(t *testing.T) {
	e := newEnv(t, allPermissions)
	failed := scenario{workflow: wfTwoImages, pr: 12, event: "pull_request", log: twoPackagesLog(t)}
	payload := e.addRun(failed)
	bot := e.fake.BotLogin()
	apiID := e.fake.AddComment(org, repoName, 12, bot, legacyMarker("ghcr.io/acme/api")+"\n## ghcr-doctor: `ghcr.io/acme/api` was refused\n")
	webID := e.fake.AddComment(org, repoName, 12, bot, legacyMarker("ghcr.io/acme/web")+"\n## ghcr-doctor: `ghcr.io/acme/web` was refused\n")

	e.deliver("workflow_run", payload)
	cs := e.fake.Comments(org, repoName, 12)
	require.Len(t, cs, 2, "no comment is added")
	require.Equal(t, apiID, cs[0].ID)
	adopted, ok := report.ParseMarker(cs[0].Body)
	require.True(t, ok)
	assert.Equal(t, report.StateOpen, adopted.State)
	assert.Empty(t, adopted.Package, "the first comment now holds the report of both packages")
	assert.Len(t, adopted.Packages, 2)

	require.Equal(t, webID, cs[1].ID)
	superseded, ok := report.ParseMarker(cs[1].Body)
	require.True(t, ok)
	assert.Equal(t, report.StateResolved, superseded.State)
	assert.Contains(t, cs[1].Body, "#issuecomment-")
}
