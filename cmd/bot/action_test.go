package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// The workflow token's permissions the Action asks for, as GitHub grants
// them to GITHUB_TOKEN (it can never have administration).
var (
	actionPerms        = map[string]string{"actions": "read", "contents": "read", "metadata": "read"}
	actionCommentPerms = map[string]string{"actions": "read", "contents": "read", "metadata": "read", "pull_requests": "write"}
	forkPerms          = map[string]string{"actions": "read", "contents": "read", "metadata": "read", "pull_requests": "read"}
)

const diagnoseRun = int64(8001) // the run of the workflow the Action's job is in, when not the failed one

// actionWorld is a simulated GitHub holding one failed run of a scenario,
// and the files a runner gives a step.
type actionWorld struct {
	fake                    *githubfake.Server
	dir                     string
	summary, output, events string
}

// newActionWorld stores the scenario's failed run 7001 in a fake GitHub
// whose tokens act as github-actions[bot], and sets the environment a
// runner gives the step of a later job of that run.
func newActionWorld(t *testing.T, s demo.Scenario) *actionWorld {
	t.Helper()
	fake := githubfake.New(githubfake.Options{AppID: 99, AppSlug: "github-actions", AppKey: sharedFakeKey(t)})
	t.Cleanup(fake.Close)
	fake.AddInstallation(testInstall, testOwner, "Organization", allPermissions)
	fake.AddRepo(githubfake.Repo{Owner: testOwner, Name: testRepo, ID: 1001, OwnerType: "Organization", InstallationID: testInstall})
	fake.SetRepoWorkflowPermissions(testOwner, testRepo, orWord(s.RepoDefault, "write"))
	fake.SetOrgWorkflowPermissions(testOwner, "write")
	fake.SetFile(testOwner, testRepo, testHeadSHA, testWorkflow, []byte(s.Workflow))
	branch, actor := "main", orWord(s.Actor, "octocat")
	var prs []int
	if s.PullRequest != 0 {
		branch = "feature"
		fake.AddPull(testOwner, testRepo, githubfake.Pull{Number: s.PullRequest, Title: "Change the release", HeadSHA: testHeadSHA,
			HeadRef: branch, BaseRef: "main", HeadRepoFullName: s.HeadRepo, User: actor})
		if s.HeadRepo == "" {
			prs = []int{s.PullRequest}
		}
	}
	fake.AddRun(testOwner, testRepo, githubfake.Run{ID: testRun, Attempt: 1, Name: "Release", Path: testWorkflow, HeadSHA: testHeadSHA,
		HeadBranch: branch, Event: orWord(s.Event, "push"), Status: "in_progress", Actor: actor, HeadRepoFullName: s.HeadRepo,
		PullRequests: prs, WorkflowID: 55})
	fake.AddJob(testOwner, testRepo, testRun, githubfake.Job{ID: 70011, Name: "build", Conclusion: "failure",
		Log: []byte(demo.JobLog(s.TokenPermissions, s.Step, s.Output...))})
	fake.AddJob(testOwner, testRepo, testRun, githubfake.Job{ID: 70012, Name: "ghcr-doctor", Status: "in_progress"})

	dir := t.TempDir()
	w := &actionWorld{fake: fake, dir: dir, summary: filepath.Join(dir, "summary.md"), output: filepath.Join(dir, "output"),
		events: filepath.Join(dir, "event.json")}
	for _, f := range []string{w.summary, w.output} {
		require.NoError(t, os.WriteFile(f, nil, 0o600))
	}
	w.setEvent(t, map[string]any{"action": "opened"})
	env := map[string]string{
		"GITHUB_REPOSITORY": testOwner + "/" + testRepo, "GITHUB_RUN_ID": "7001", "GITHUB_RUN_ATTEMPT": "1",
		"GITHUB_API_URL": fake.URL(), "GITHUB_SERVER_URL": "https://github.com", "GITHUB_EVENT_PATH": w.events,
		"GITHUB_STEP_SUMMARY": w.summary, "GITHUB_OUTPUT": w.output, "RUNNER_TEMP": dir,
		"GITHUB_TOKEN": "", "GH_TOKEN": "", "INPUT_GITHUB-TOKEN": "", "INPUT_COMMENT": "", "INPUT_FAIL-ON-FINDING": "",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	w.useToken(t, actionPerms)
	return w
}

// useToken gives the step a token with these permissions, as the
// github-token input.
func (w *actionWorld) useToken(t *testing.T, perms map[string]string) {
	t.Helper()
	tok, err := demo.InstallationToken(context.Background(), w.fake, testInstall, perms)
	require.NoError(t, err)
	t.Setenv("INPUT_GITHUB-TOKEN", tok)
}

func (w *actionWorld) setEvent(t *testing.T, ev map[string]any) {
	t.Helper()
	b, err := json.Marshal(ev)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(w.events, b, 0o600))
}

func (w *actionWorld) readSummary(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(w.summary)
	require.NoError(t, err)
	return string(b)
}

// outputs parses GITHUB_OUTPUT as the runner does, requiring the
// multi-line form with one delimiter per output.
func (w *actionWorld) outputs(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(w.output)
	require.NoError(t, err)
	out := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		require.True(t, ok, "line %q is not name<<delimiter", lines[i])
		require.Regexp(t, `^ghadelimiter_[0-9a-f]{32}$`, delim)
		var value []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			value = append(value, lines[i])
		}
		require.Less(t, i, len(lines), "output %s is not closed", name)
		out[name] = strings.Join(value, "\n")
	}
	return out
}

var commandLine = regexp.MustCompile(`(?m)^::(error|warning|notice)( [^:]*)?::.*$`)

func annotationsOf(stdout string) []string { return commandLine.FindAllString(stdout, -1) }

func TestActionCannotReadTheDefaults(t *testing.T) {
	w := newActionWorld(t, scenario(t, "missing-permissions"))
	r := runBot(t, "", "action")
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	summary := w.readSummary(t)
	assert.Contains(t, summary, "Could not check", "no job declares its permissions and the token cannot read the defaults")
	assert.Contains(t, summary, "ran as an Action with this workflow's token")
}

func TestActionSeedCase(t *testing.T) {
	w := newActionWorld(t, scenario(t, "package-access"))
	r := runBot(t, "", "action")
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)

	summary := w.readSummary(t)
	assert.True(t, strings.HasPrefix(summary, "## ghcr-doctor: `ghcr.io/acme/app` was refused"), summary)
	assert.Contains(t, summary, "Manage Actions access")
	assert.Contains(t, summary, "https://github.com/orgs/acme/packages/container/app/settings")
	assert.NotContains(t, summary, "Could not check", "the job declares its permissions: the defaults the token cannot read do not matter")
	assert.NotContains(t, summary, "/ghcr fix", "commands need the App")
	assert.NotContains(t, summary, "<!--", "no marker outside the App's comment")

	anns := annotationsOf(r.stdout)
	require.NotEmpty(t, anns, r.stdout)
	assert.Regexp(t, `^::error file=\.github/workflows/release\.yml,line=\d+,title=ghcr-doctor%3A cannot push ghcr\.io/acme/app::.+%0AFix: `, anns[0])
	errors := 0
	for _, a := range anns {
		if strings.HasPrefix(a, "::error") {
			errors++
		}
	}
	assert.Equal(t, 1, errors, "one error per refused package: %q", anns)
	assert.Equal(t, strings.Count(r.stdout, "\n"), len(anns), "standard output holds only workflow commands")

	out := w.outputs(t)
	assert.Equal(t, "true", out["found"])
	assert.Equal(t, "package_access", out["cause"])
	assert.Contains(t, out["fix"], "Manage Actions access")
	assert.NotContains(t, out["fix"], "\n")
	report, err := os.ReadFile(out["report"])
	require.NoError(t, err)
	assert.Equal(t, summary, string(report))
	assert.Equal(t, w.dir, filepath.Dir(out["report"]), "the report file is in RUNNER_TEMP")

	assert.Contains(t, r.stderr, "ghcr-doctor: diagnosing attempt 1 of run 7001 of acme/app")
	assert.Empty(t, w.fake.Comments(testOwner, testRepo, 1), "no comment unless asked")
}

func TestActionScenarios(t *testing.T) {
	nothing := scenario(t, "package-access")
	nothing.Name, nothing.Output = "no-packages-error", []string{"--- FAIL: TestWidget (0.01s)", "##[error]Process completed with exit code 1."}
	tests := []struct {
		s           demo.Scenario
		wantFound   string
		wantCause   string
		wantSummary []string
		wantError   bool
	}{
		{scenario(t, "package-access"), "true", "package_access", []string{"Manage Actions access"}, true},
		{scenario(t, "job-permissions"), "true", "missing_packages_write", []string{"+      packages: write", "```diff"}, true},
		{scenario(t, "fork-pull-request"), "true", "fork_pull_request", []string{"contributor/app", "head.repo.full_name"}, true},
		{nothing, "false", "", []string{"## ghcr-doctor: no GitHub Packages error found",
			"The log of the failed job of run 7001 shows no refused push or login to GitHub Packages:\n\n- `build`\n"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.s.Name, func(t *testing.T) {
			w := newActionWorld(t, tt.s)
			r := runBot(t, "", "action")
			require.Equal(t, 0, r.code, r.stderr)
			out := w.outputs(t)
			assert.Equal(t, tt.wantFound, out["found"])
			assert.Equal(t, tt.wantCause, out["cause"])
			assert.Equal(t, tt.wantFound == "false", out["fix"] == "")
			summary := w.readSummary(t)
			for _, want := range tt.wantSummary {
				assert.Contains(t, summary, want)
			}
			assert.Equal(t, tt.wantError, strings.Contains(r.stdout, "::error file=.github/workflows/release.yml"), r.stdout)
			if !tt.wantError {
				assert.Empty(t, r.stdout)
				assert.Contains(t, r.stderr, "no GitHub Packages error in the 1 failed job")
			}
		})
	}
}

func TestActionWorkflowRunDiagnosesTheEventsRun(t *testing.T) {
	w := newActionWorld(t, scenario(t, "package-access"))
	// The Action runs in another workflow's run, which has not failed.
	w.fake.AddRun(testOwner, testRepo, githubfake.Run{ID: diagnoseRun, Attempt: 1, Name: "ghcr-doctor", Path: ".github/workflows/ghcr-doctor.yml",
		HeadSHA: testHeadSHA, HeadBranch: "main", Event: "workflow_run", Status: "in_progress", WorkflowID: 56})
	w.fake.AddJob(testOwner, testRepo, diagnoseRun, githubfake.Job{ID: 80011, Name: "diagnose", Status: "in_progress"})
	t.Setenv("GITHUB_RUN_ID", "8001")
	w.setEvent(t, map[string]any{"action": "completed", "workflow_run": map[string]any{"id": testRun, "run_attempt": 1, "conclusion": "failure"}})

	r := runBot(t, "", "action")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "diagnosing attempt 1 of run 7001 of acme/app, workflow Release")
	assert.True(t, strings.HasPrefix(w.readSummary(t), "## ghcr-doctor: `ghcr.io/acme/app` was refused"))
	assert.Equal(t, "package_access", w.outputs(t)["cause"])
	assert.Zero(t, w.fake.CountRequests("GET", "/repos/acme/app/actions/runs/8001"), "the Action's own run is not read")
}

func TestActionCommentTwiceIsOneComment(t *testing.T) {
	s := scenario(t, "job-permissions")
	w := newActionWorld(t, s)
	w.useToken(t, actionCommentPerms)
	t.Setenv("INPUT_COMMENT", "true")

	first := runBot(t, "", "action")
	require.Equal(t, 0, first.code, first.stderr)
	assert.Contains(t, first.stderr, "pull-request comment: 1 written, 0 edited, 0 unchanged")
	second := runBot(t, "", "action")
	require.Equal(t, 0, second.code, second.stderr)
	assert.Contains(t, second.stderr, "pull-request comment: 0 written, 0 edited, 1 unchanged")

	comments := w.fake.Comments(testOwner, testRepo, s.PullRequest)
	require.Len(t, comments, 1)
	assert.Equal(t, "github-actions[bot]", comments[0].User)
	assert.True(t, strings.HasPrefix(comments[0].Body, "<!-- ghcr-doctor:v1 "), "the App's marker, so the App finds it")
	assert.Contains(t, comments[0].Body, "+      packages: write")
}

func TestActionErrors(t *testing.T) {
	tests := []struct {
		name      string
		setUp     func(t *testing.T, w *actionWorld)
		wantError []string
	}{
		{"no token", func(t *testing.T, _ *actionWorld) { t.Setenv("INPUT_GITHUB-TOKEN", "") },
			[]string{"no token: the github-token input is empty and GITHUB_TOKEN is not set"}},
		{"a token without actions: read", func(t *testing.T, w *actionWorld) {
			w.useToken(t, map[string]string{"contents": "read", "metadata": "read"})
		}, []string{"the token may not read attempt 1 of run 7001 of acme/app", "403", "it needs actions: read", "permissions: {actions: read, contents: read}"}},
		{"a bad token", func(t *testing.T, _ *actionWorld) { t.Setenv("INPUT_GITHUB-TOKEN", "ghs_nope") },
			[]string{"GitHub refused the token (401)"}},
		{"not in Actions", func(t *testing.T, _ *actionWorld) { t.Setenv("GITHUB_REPOSITORY", "") },
			[]string{"GITHUB_REPOSITORY is not set"}},
		{"no run", func(t *testing.T, _ *actionWorld) { t.Setenv("GITHUB_RUN_ID", "") },
			[]string{`GITHUB_RUN_ID must be a run's ID, not ""`}},
		{"a run that does not exist", func(t *testing.T, _ *actionWorld) { t.Setenv("GITHUB_RUN_ID", "999") },
			[]string{"attempt 1 of run 999 not found in acme/app"}},
		{"a broken event file", func(t *testing.T, w *actionWorld) { require.NoError(t, os.WriteFile(w.events, []byte("{"), 0o600)) },
			[]string{"reading the event file GITHUB_EVENT_PATH names"}},
		{"an input that is not a boolean", func(t *testing.T, _ *actionWorld) { t.Setenv("INPUT_COMMENT", "yes") },
			[]string{`input comment must be true or false, not "yes"`}},
		{"a fork's read-only token asked to comment", func(t *testing.T, w *actionWorld) {
			w.useToken(t, forkPerms)
			t.Setenv("INPUT_COMMENT", "true")
		}, []string{"the token may not comment on the pull request", "the fork contributor/app", "read-only token", "workflow_run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newActionWorld(t, scenario(t, "fork-pull-request"))
			tt.setUp(t, w)
			r := runBot(t, "", "action")
			assert.Equal(t, 2, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
			for _, want := range tt.wantError {
				assert.Contains(t, r.stderr, want)
			}
			assert.NotContains(t, r.stderr, "ghs_", "no token is ever printed")
		})
	}
}

func TestActionFailOnFinding(t *testing.T) {
	tests := []struct {
		scenario string
		output   []string
		wantCode int
	}{
		{"package-access", nil, 1},
		{"package-access", []string{"--- FAIL: TestWidget (0.01s)"}, 0},
	}
	for _, tt := range tests {
		s := scenario(t, tt.scenario)
		if tt.output != nil {
			s.Output = tt.output
		}
		newActionWorld(t, s)
		t.Setenv("INPUT_FAIL-ON-FINDING", "true")
		r := runBot(t, "", "action")
		assert.Equal(t, tt.wantCode, r.code, r.stderr)
		if tt.wantCode == 1 {
			assert.Contains(t, r.stderr, "fail-on-finding is true")
		}
	}
}

func TestActionLogThatCannotBeRead(t *testing.T) {
	expired := githubfake.Job{ID: 70013, Name: "publish", Conclusion: "failure", LogExpired: true}
	t.Run("another job's refused push is still found", func(t *testing.T) {
		w := newActionWorld(t, scenario(t, "package-access"))
		w.fake.AddJob(testOwner, testRepo, testRun, expired)
		r := runBot(t, "", "action")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "true", w.outputs(t)["found"])
		assert.Equal(t, "package_access", w.outputs(t)["cause"])
	})
	t.Run("alone, it is said, and no refused push", func(t *testing.T) {
		s := scenario(t, "package-access")
		s.Output = []string{"--- FAIL: TestWidget (0.01s)"}
		w := newActionWorld(t, s)
		w.fake.AddJob(testOwner, testRepo, testRun, expired)
		r := runBot(t, "", "action")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "false", w.outputs(t)["found"])
		assert.Contains(t, w.readSummary(t), `The log of job "publish" could not be read`)
		assert.Regexp(t, `(?m)^::warning file=\.github/workflows/release\.yml,title=ghcr-doctor::The log of job "publish" could not be read`, r.stdout)
		assert.Contains(t, r.stderr, "some failed job's log could not be read")
	})
}

// A fork's pull request: its own run gets a read-only token, so a
// workflow on workflow_run, which gets this repository's, comments.
func TestActionWorkflowRunCommentsOnAForksPullRequest(t *testing.T) {
	s := scenario(t, "fork-pull-request")
	w := newActionWorld(t, s)
	w.useToken(t, actionCommentPerms)
	t.Setenv("INPUT_COMMENT", "true")
	t.Setenv("GITHUB_RUN_ID", "8001")
	w.setEvent(t, map[string]any{"action": "completed", "workflow_run": map[string]any{"id": testRun, "run_attempt": 1}})

	r := runBot(t, "", "action")
	require.Equal(t, 0, r.code, r.stderr)
	comments := w.fake.Comments(testOwner, testRepo, s.PullRequest)
	require.Len(t, comments, 1, "found the pull request from its head commit")
	assert.Contains(t, comments[0].Body, "contributor/app")
	assert.Equal(t, "fork_pull_request", w.outputs(t)["cause"])
}
