package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

const preflightCheck = "ghcr-doctor preflight"

// releaseWorkflow publishes an image with GITHUB_TOKEN; packages: write is line 13.
const releaseWorkflow = `name: release
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  image:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write
    steps:
      - uses: actions/checkout@v4
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - run: docker build -t ghcr.io/acme/app:latest .
      - run: docker push ghcr.io/acme/app:latest
`

// testWorkflow publishes nothing.
const testWorkflow = `name: test
on: pull_request
jobs:
  unit:
    runs-on: ubuntu-latest
    steps:
      - run: go test ./...
`

// withoutPackagesWrite is releaseWorkflow after a pull request dropped packages: write.
var withoutPackagesWrite = strings.Replace(releaseWorkflow, "      packages: write\n", "", 1)

// newPreflightEnv is a repository whose default branch has the workflows,
// under read-only default workflow permissions.
func newPreflightEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, allPermissions)
	e.fake.SetRepoWorkflowPermissions(org, repoName, "read")
	e.fake.SetOrgWorkflowPermissions(org, "read")
	e.fake.Push(org, repoName, "main", "Add the workflows", map[string][]byte{
		workflowPath: []byte(releaseWorkflow), ".github/workflows/test.yml": []byte(testWorkflow), "README.md": []byte("# app\n"),
	})
	return e
}

// openPull pushes files to a branch, opens a pull request from it and delivers "opened".
func (e *env) openPull(files map[string][]byte) (number int, head string) {
	e.t.Helper()
	head = e.fake.Push(org, repoName, "feature", "Change the workflows", files)
	number = e.fake.AddPull(org, repoName, githubfake.Pull{Title: "Change the workflows", HeadRef: "feature", HeadSHA: head, User: "maya"})
	e.deliver("pull_request", e.fake.PullRequestEvent("opened", org, repoName, number, ""))
	return number, head
}

// preflightRuns are the preflight check runs of a commit.
func (e *env) preflightRuns(sha string) []githubfake.CheckRun {
	var out []githubfake.CheckRun
	for _, cr := range e.fake.CheckRuns(org, repoName) {
		if cr.Name == preflightCheck && cr.HeadSHA == sha {
			out = append(out, cr)
		}
	}
	return out
}

// suggestionLines reads the lines of a comment's ```suggestion block.
func suggestionLines(t *testing.T, body string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(body, "```suggestion\n")
	require.True(t, ok, "the comment carries a suggested change:\n%s", body)
	block, _, ok := strings.Cut(rest, "\n```")
	require.True(t, ok)
	return strings.Split(block, "\n")
}

// applySuggestion commits a suggestion exactly as GitHub does: the
// commented lines are replaced by the block's lines.
func applySuggestion(t *testing.T, src string, c githubfake.ReviewComment) string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	first := c.Line
	if c.StartLine > 0 {
		first = c.StartLine
	}
	require.True(t, first >= 1 && c.Line <= len(lines), "the comment is on the file's lines")
	out := append(append(append([]string(nil), lines[:first-1]...), suggestionLines(t, c.Body)...), lines[c.Line:]...)
	return strings.Join(out, "\n") + "\n"
}

// TestPreflightSuggestsPackagesWriteAndTurnsGreenOnceApplied: a pull
// request that drops packages: write from a publishing job gets an
// action_required check annotated on the job's permissions line and one
// review comment whose suggestion, committed as GitHub commits it, makes
// the next check green; the comment then goes, and none is posted again.
func TestPreflightSuggestsPackagesWriteAndTurnsGreenOnceApplied(t *testing.T) {
	e := newPreflightEnv(t)
	n, head := e.openPull(map[string][]byte{workflowPath: []byte(withoutPackagesWrite)})

	runs := e.preflightRuns(head)
	require.Len(t, runs, 1)
	cr := runs[0]
	assert.Equal(t, "completed", cr.Status)
	assert.Equal(t, "action_required", cr.Conclusion)
	assert.Equal(t, "https://github.com/"+org+"/"+repoName+"/pull/1/files", cr.DetailsURL)
	require.Len(t, cr.Output.Annotations, 1, "one job is at risk; the test workflow publishes nothing")
	a := cr.Output.Annotations[0]
	assert.Equal(t, workflowPath, a.Path)
	assert.Equal(t, "failure", a.AnnotationLevel)
	assert.Equal(t, "    permissions:", strings.Split(withoutPackagesWrite, "\n")[a.StartLine-1], "the annotation is on the job's permissions line")
	assert.Equal(t, 10, a.StartLine)
	assert.Contains(t, cr.Output.Summary, "| `image` |")

	comments := e.fake.ReviewComments(org, repoName, n)
	require.Len(t, comments, 1)
	c := comments[0]
	assert.Equal(t, workflowPath, c.Path)
	assert.Equal(t, e.fake.BotLogin(), c.User)
	require.Len(t, e.fake.Reviews(org, repoName, n), 1)
	assert.Equal(t, "COMMENTED", e.fake.Reviews(org, repoName, n)[0].State)
	assert.Empty(t, e.fake.Comments(org, repoName, n), "the preflight never writes an issue comment")

	// The same head delivered again (a redelivery) changes nothing.
	e.deliver("pull_request", e.fake.PullRequestEvent("reopened", org, repoName, n, ""))
	assert.Len(t, e.preflightRuns(head), 1)
	assert.Len(t, e.fake.ReviewComments(org, repoName, n), 1)

	// The author commits the suggestion from the pull request.
	fixed := applySuggestion(t, withoutPackagesWrite, c)
	assert.Equal(t, releaseWorkflow, fixed, "the suggestion puts packages: write back, nothing else")
	next := e.fake.Push(org, repoName, "feature", "Apply suggestions from code review", map[string][]byte{workflowPath: []byte(fixed)})
	e.deliver("pull_request", e.fake.PullRequestEvent("synchronize", org, repoName, n, head))

	runs = e.preflightRuns(next)
	require.Len(t, runs, 1)
	assert.Equal(t, "success", runs[0].Conclusion)
	assert.Empty(t, runs[0].Output.Annotations)
	assert.Empty(t, e.fake.ReviewComments(org, repoName, n), "the resolved suggestion is removed")
	assert.Len(t, e.fake.Reviews(org, repoName, n), 1, "no second review")
}

// TestPreflightOfACleanPullRequestIsQuiet: a pull request that changes a
// publishing workflow without risk gets a green check and nothing else.
func TestPreflightOfACleanPullRequestIsQuiet(t *testing.T) {
	e := newPreflightEnv(t)
	changed := strings.Replace(releaseWorkflow, "app:latest", "app:edge", 2)
	n, head := e.openPull(map[string][]byte{workflowPath: []byte(changed)})

	runs := e.preflightRuns(head)
	require.Len(t, runs, 1)
	assert.Equal(t, "success", runs[0].Conclusion)
	assert.Empty(t, runs[0].Output.Annotations)
	assert.Empty(t, e.fake.Reviews(org, repoName, n))
	assert.Empty(t, e.fake.ReviewComments(org, repoName, n))
	assert.Empty(t, e.fake.Comments(org, repoName, n))
}

// TestPreflightOfAPullRequestWithoutWorkflowChanges: no check at all.
func TestPreflightOfAPullRequestWithoutWorkflowChanges(t *testing.T) {
	e := newPreflightEnv(t)
	n, head := e.openPull(map[string][]byte{"README.md": []byte("# app, documented\n")})
	assert.Empty(t, e.preflightRuns(head))
	assert.Empty(t, e.fake.Reviews(org, repoName, n))
}

// TestPreflightOnPushes: the first push to the default branch after
// installation checks every workflow once, even when it changes only the
// README; later README pushes are ignored; a workflow change is checked.
func TestPreflightOnPushes(t *testing.T) {
	e := newPreflightEnv(t)
	push := func(files map[string][]byte) string {
		before := e.fake.BranchSHA(org, repoName, "main")
		after := e.fake.Push(org, repoName, "main", "Change", files)
		e.deliver("push", e.fake.PushEvent(org, repoName, "main", before, after))
		return after
	}
	first := push(map[string][]byte{"README.md": []byte("# app\n\nOne.\n")})
	runs := e.preflightRuns(first)
	require.Len(t, runs, 1, "the first push after installation checks every workflow")
	assert.Equal(t, "success", runs[0].Conclusion)
	assert.Contains(t, runs[0].Output.Summary, "read 2 workflow file(s)")

	second := push(map[string][]byte{"README.md": []byte("# app\n\nTwo.\n")})
	assert.Empty(t, e.preflightRuns(second), "a push that changes no workflow is ignored")

	third := push(map[string][]byte{workflowPath: []byte(withoutPackagesWrite)})
	runs = e.preflightRuns(third)
	require.Len(t, runs, 1)
	assert.Equal(t, "action_required", runs[0].Conclusion)
	assert.Equal(t, "https://github.com/"+org+"/"+repoName+"/commit/"+third, runs[0].DetailsURL)
	require.Len(t, runs[0].Output.Annotations, 1)

	tag := e.fake.BranchSHA(org, repoName, "main")
	e.deliver("push", e.fake.PushEvent(org, repoName, "refs/tags/v1.0.0", strings.Repeat("0", 40), tag))
	other := e.fake.Push(org, repoName, "feature", "Elsewhere", map[string][]byte{workflowPath: []byte(releaseWorkflow)})
	e.deliver("push", e.fake.PushEvent(org, repoName, "feature", tag, other))
	assert.Empty(t, e.preflightRuns(other), "only the default branch is checked on push")
	assert.Len(t, e.preflightRuns(third), 1, "a tag push adds no check")
}

// TestPreflightNeutralByChoice: preflight.conclusion: neutral informs
// without blocking; the suggestion is still offered.
func TestPreflightNeutralByChoice(t *testing.T) {
	e := newPreflightEnv(t)
	e.fake.Push(org, repoName, "main", "Configure ghcr-doctor", map[string][]byte{configPath: []byte("preflight:\n  conclusion: neutral\n")})
	n, head := e.openPull(map[string][]byte{workflowPath: []byte(withoutPackagesWrite)})
	runs := e.preflightRuns(head)
	require.Len(t, runs, 1)
	assert.Equal(t, "neutral", runs[0].Conclusion)
	assert.Len(t, runs[0].Output.Annotations, 1)
	assert.Len(t, e.fake.ReviewComments(org, repoName, n), 1)
}

// TestPreflightOutsideTheDiffIsAnAnnotationOnly: the default branch lacks
// packages: write already and the pull request edits a line far from the
// job's permissions: GitHub allows no review comment there (the simulated
// GitHub refuses it with 422), so the annotation and the summary carry the fix.
func TestPreflightOutsideTheDiffIsAnAnnotationOnly(t *testing.T) {
	e := newPreflightEnv(t)
	e.fake.Push(org, repoName, "main", "Drop packages: write", map[string][]byte{workflowPath: []byte(withoutPackagesWrite)})
	changed := strings.Replace(withoutPackagesWrite, "docker push ghcr.io/acme/app:latest", "docker push ghcr.io/acme/app:edge", 1)
	n, head := e.openPull(map[string][]byte{workflowPath: []byte(changed)})
	runs := e.preflightRuns(head)
	require.Len(t, runs, 1)
	assert.Equal(t, "action_required", runs[0].Conclusion)
	assert.Len(t, runs[0].Output.Annotations, 1)
	assert.Contains(t, runs[0].Output.Summary, "outside this pull request's diff")
	assert.Empty(t, e.fake.Reviews(org, repoName, n))
	assert.Zero(t, e.fake.CountRequests("POST", "/repos/"+org+"/"+repoName+"/pulls/"), "no review was even tried")
}

// TestPreflightOfALocalActionChangeChecksEveryWorkflow: a change to a
// composite action under .github/actions can change any workflow that uses it.
func TestPreflightOfALocalActionChangeChecksEveryWorkflow(t *testing.T) {
	e := newPreflightEnv(t)
	e.fake.Push(org, repoName, "main", "Break the release", map[string][]byte{workflowPath: []byte(withoutPackagesWrite)})
	n, head := e.openPull(map[string][]byte{".github/actions/login/action.yml": []byte("name: login\nruns:\n  using: composite\n  steps: []\n")})
	runs := e.preflightRuns(head)
	require.Len(t, runs, 1)
	assert.Contains(t, runs[0].Output.Summary, "read 2 workflow file(s)")
	assert.Equal(t, "action_required", runs[0].Conclusion, "the unchanged release workflow is at risk")
	assert.Empty(t, e.fake.Reviews(org, repoName, n), "the workflow's lines are not in this diff")
}

// TestPreflightRequestBudget: the check of a pull request that changes one
// of two workflows costs a fixed, small number of GitHub requests.
func TestPreflightRequestBudget(t *testing.T) {
	e := newPreflightEnv(t)
	e.fake.ResetRequests()
	e.openPull(map[string][]byte{workflowPath: []byte(withoutPackagesWrite)})
	assert.LessOrEqual(t, len(e.fake.Requests()), 15, "token, configuration (2), files, check run (list, create, complete), workflows (list, 2 files), root listing, default permissions (2), review comments, review")
}

// TestPreflightOfAForkPullRequest: a pull request from a fork is checked
// with the App's own token (its head commit is readable in the base
// repository), and gets its suggestion like any other.
func TestPreflightOfAForkPullRequest(t *testing.T) {
	e := newPreflightEnv(t)
	head := e.fake.Push(org, repoName, "fork-head", "Change the workflows", map[string][]byte{workflowPath: []byte(withoutPackagesWrite)})
	n := e.fake.AddPull(org, repoName, githubfake.Pull{Title: "From a fork", HeadRef: "main", HeadSHA: head, HeadRepoFullName: "outsider/app", User: "outsider"})
	e.deliver("pull_request", e.fake.PullRequestEvent("opened", org, repoName, n, ""))
	runs := e.preflightRuns(head)
	require.Len(t, runs, 1)
	assert.Equal(t, "action_required", runs[0].Conclusion)
	assert.Len(t, e.fake.ReviewComments(org, repoName, n), 1)
}

// noFalseAlarms has a job of every kind that must not be reported as at
// risk: a pull of a public image, a push to another registry, a login with
// a personal token (a notice), write-all, a reusable workflow, an image
// name built from the matrix.
const noFalseAlarms = `name: varied
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  pull-only:
    runs-on: ubuntu-latest
    steps:
      - run: docker pull ghcr.io/acme/base:1
  docker-hub:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/login-action@v3
        with:
          username: acme
          password: ${{ secrets.DOCKERHUB_TOKEN }}
      - run: docker push docker.io/acme/app:latest
  personal-token:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: acme-bot
          password: ${{ secrets.GHCR_PAT }}
      - run: docker push ghcr.io/acme/tool:latest
  everything:
    runs-on: ubuntu-latest
    permissions: write-all
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - run: docker push ghcr.io/acme/all:latest
  reusable:
    uses: acme/shared/.github/workflows/publish.yml@v1
  matrix:
    runs-on: ubuntu-latest
    permissions:
      packages: write
    strategy:
      matrix:
        image: [api, web]
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - run: docker push ghcr.io/acme/${{ matrix.image }}:latest
`

// TestPreflightRaisesNoFalseAlarms: none of these jobs fails the check or
// gets a suggestion; the personal token is a notice.
func TestPreflightRaisesNoFalseAlarms(t *testing.T) {
	e := newPreflightEnv(t)
	n, head := e.openPull(map[string][]byte{".github/workflows/varied.yml": []byte(noFalseAlarms)})
	runs := e.preflightRuns(head)
	require.Len(t, runs, 1)
	assert.Equal(t, "success", runs[0].Conclusion, runs[0].Output.Summary)
	for _, a := range runs[0].Output.Annotations {
		assert.Equal(t, "notice", a.AnnotationLevel, "%s: %s", a.Title, a.Message)
	}
	assert.Len(t, runs[0].Output.Annotations, 3, "notices for the personal token, the reusable workflow and the matrix name")
	assert.Contains(t, runs[0].Output.Summary, "| `personal-token` |")
	assert.Empty(t, e.fake.Reviews(org, repoName, n))
}

// TestPreflightFollowsALocalReusableWorkflow: the workflows of the
// repository reach the analysis, so a job calling a reusable workflow of
// the repository is judged by what the called workflow publishes, with
// the caller's permissions.
func TestPreflightFollowsALocalReusableWorkflow(t *testing.T) {
	e := newPreflightEnv(t)
	callee := strings.Replace(withoutPackagesWrite, "on:\n  push:\n    branches: [main]\n", "on:\n  workflow_call:\n", 1)
	caller := "name: ship\non:\n  push:\n    branches: [main]\npermissions:\n  contents: read\njobs:\n  ship:\n    uses: ./.github/workflows/publish.yml\n"
	_, head := e.openPull(map[string][]byte{".github/workflows/publish.yml": []byte(callee), ".github/workflows/ship.yml": []byte(caller)})
	runs := e.preflightRuns(head)
	require.Len(t, runs, 1)
	assert.Equal(t, "action_required", runs[0].Conclusion, runs[0].Output.Summary)
	assert.Contains(t, runs[0].Output.Summary, "| `ship.yml` line 9 | `ship` | ghcr.io | ⛔", "the caller's job is at risk, not unknown")
}
