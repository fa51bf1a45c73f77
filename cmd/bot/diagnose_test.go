package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

const (
	testOwner    = "acme"
	testRepo     = "app"
	testInstall  = int64(4242)
	testRun      = int64(7001)
	testHeadSHA  = "0123456789abcdef0123456789abcdef01234567"
	testWorkflow = ".github/workflows/release.yml"
)

// allPermissions is what the App's manifest asks for.
var allPermissions = map[string]string{
	"actions": "write", "checks": "write", "contents": "write", "workflows": "write", "pull_requests": "write",
	"issues": "write", "metadata": "read", "administration": "write", "organization_administration": "read",
}

var (
	keyOnce sync.Once
	fakeKey *rsa.PrivateKey
)

func sharedFakeKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		fakeKey, err = rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
	})
	return fakeKey
}

// fakeWithRun starts a fake GitHub holding one failed run of the scenario.
func fakeWithRun(t *testing.T, s demo.Scenario) *githubfake.Server {
	t.Helper()
	fake := githubfake.New(githubfake.Options{AppID: 99, AppSlug: "ghcr-doctor", AppKey: sharedFakeKey(t)})
	t.Cleanup(fake.Close)
	fake.AddInstallation(testInstall, testOwner, "Organization", allPermissions)
	fake.AddRepo(githubfake.Repo{Owner: testOwner, Name: testRepo, ID: 1001, OwnerType: "Organization", InstallationID: testInstall})
	fake.SetRepoWorkflowPermissions(testOwner, testRepo, orWord(s.RepoDefault, "write"))
	fake.SetOrgWorkflowPermissions(testOwner, "write")
	fake.SetFile(testOwner, testRepo, testHeadSHA, testWorkflow, []byte(s.Workflow))
	fake.AddRun(testOwner, testRepo, githubfake.Run{ID: testRun, Attempt: 1, Name: "Release", Path: testWorkflow, HeadSHA: testHeadSHA,
		HeadBranch: "main", Event: "push", Conclusion: "failure", Actor: "octocat", WorkflowID: 55})
	fake.AddJob(testOwner, testRepo, testRun, githubfake.Job{ID: 70011, Name: "build", Conclusion: "failure",
		Log: []byte(demo.JobLog(s.TokenPermissions, s.Step, s.Output...))})
	return fake
}

// useToken puts an installation token of the fake in GITHUB_TOKEN, as a
// person would put theirs.
func useToken(t *testing.T, fake *githubfake.Server, perms map[string]string) {
	t.Helper()
	tok, err := demo.InstallationToken(context.Background(), fake, testInstall, perms)
	require.NoError(t, err)
	t.Setenv("GITHUB_TOKEN", tok)
	t.Setenv("GH_TOKEN", "")
}

func scenario(t *testing.T, name string) demo.Scenario {
	t.Helper()
	s, ok := demo.Find(name)
	require.True(t, ok)
	return s
}

func diagnoseArgs(fake *githubfake.Server, extra ...string) []string {
	return append([]string{"diagnose", "--api-url", fake.URL() + "/", "--repo", testOwner + "/" + testRepo, "--run", "7001"}, extra...)
}

func TestDiagnoseTextReport(t *testing.T) {
	fake := fakeWithRun(t, scenario(t, "package-access"))
	useToken(t, fake, nil)
	r := runBot(t, "", diagnoseArgs(fake)...)
	require.Equal(t, 1, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "ghcr-doctor: `ghcr.io/acme/app` was refused")
	assert.Contains(t, r.stdout, "Manage Actions access")
	assert.Contains(t, r.stdout, "https://github.com/orgs/acme/packages/container/app/settings")
	assert.NotContains(t, r.stdout, "<!--")
	assert.NotContains(t, r.stdout, "\x1b[", "no colour when not on a terminal")
	assert.Contains(t, r.stderr, `Run 7001 of acme/app: workflow "Release" (.github/workflows/release.yml), failure.`)
	assert.Regexp(t, `Downloaded the log of job "build": \d+(\.\d)? (B|kB)\n`, r.stderr, "plain progress lines off a terminal")
	assert.NotContains(t, r.stderr, "\r", "no live line off a terminal")
}

func TestDiagnoseMarkdownIsTheComment(t *testing.T) {
	fake := fakeWithRun(t, scenario(t, "missing-permissions"))
	useToken(t, fake, nil)
	r := runBot(t, "", diagnoseArgs(fake, "--format", "markdown", "--web-url", "https://ghe.example.com")...)
	require.Equal(t, 1, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "## ghcr-doctor: `ghcr.io/acme/app` was refused"), r.stdout)
	assert.Contains(t, r.stdout, "### Fix")
	assert.Contains(t, r.stdout, "```diff")
	assert.Contains(t, r.stdout, "https://ghe.example.com/acme/app/settings/actions", "links use --web-url")
	assert.NotContains(t, r.stdout, "<!--")
}

func TestDiagnoseJSONDocument(t *testing.T) {
	fake := fakeWithRun(t, scenario(t, "package-access"))
	useToken(t, fake, nil)
	r := runBot(t, "", diagnoseArgs(fake, "--format", "json")...)
	require.Equal(t, 1, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "null", "arrays are never null")

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.ElementsMatch(t, []string{"repository", "run", "jobs", "diagnoses"}, keys(doc))
	assert.Equal(t, "acme/app", doc["repository"])
	run := doc["run"].(map[string]any)
	assert.ElementsMatch(t, []string{"id", "attempt", "workflow", "path", "event", "head_sha", "head_branch", "conclusion", "html_url", "pull_requests"}, keys(run))
	assert.Equal(t, float64(7001), run["id"])
	assert.Equal(t, testWorkflow, run["path"], "the path comes from the run's JSON")
	jobs := doc["jobs"].([]any)
	require.Len(t, jobs, 1)
	assert.ElementsMatch(t, []string{"id", "name", "html_url", "findings", "error"}, keys(jobs[0].(map[string]any)))
	ds := doc["diagnoses"].([]any)
	require.Len(t, ds, 1)
	d := ds[0].(map[string]any)
	assert.ElementsMatch(t, []string{"package", "cause", "other_causes", "checks", "unknowns", "findings", "annotations"}, keys(d))
	assert.Equal(t, "ghcr.io/acme/app", d["package"].(map[string]any)["display"])
	cause := d["cause"].(map[string]any)
	assert.Equal(t, "package_access", cause["id"])
	assert.ElementsMatch(t, []string{"id", "summary", "confidence", "evidence", "fix"}, keys(cause))
	fix := cause["fix"].(map[string]any)
	assert.ElementsMatch(t, []string{"kind", "summary", "steps", "links", "diff", "role"}, keys(fix))
	assert.Equal(t, "manual", fix["kind"])
	finding := d["findings"].([]any)[0].(map[string]any)
	assert.Equal(t, "build", finding["file"])
	assert.Equal(t, "write_denied", finding["kind"])
}

func TestDiagnoseReportsWhatTheTokenCannotRead(t *testing.T) {
	fake := fakeWithRun(t, scenario(t, "missing-permissions"))
	useToken(t, fake, map[string]string{"actions": "read", "contents": "read", "pull_requests": "read", "metadata": "read"})
	r := runBot(t, "", diagnoseArgs(fake, "--format", "json")...)
	require.Equal(t, 1, r.code, r.stderr)
	var doc diagnoseDocument
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	require.Len(t, doc.Diagnoses, 1)
	var perms []string
	for _, u := range doc.Diagnoses[0].Unknowns {
		perms = append(perms, u.Permission)
	}
	assert.Contains(t, strings.Join(perms, " "), "administration", "unknowns: %+v", doc.Diagnoses[0].Unknowns)
	var unknownCheck bool
	for _, c := range doc.Diagnoses[0].Checks {
		unknownCheck = unknownCheck || c.Status == "unknown"
	}
	assert.True(t, unknownCheck, "a check is unknown: %+v", doc.Diagnoses[0].Checks)

	text := runBot(t, "", diagnoseArgs(fake)...)
	assert.Contains(t, text.stdout, "Could not check")
	assert.Contains(t, text.stdout, "administration")
}

func TestDiagnoseNothingFound(t *testing.T) {
	s := scenario(t, "package-access")
	s.Output = []string{"--- FAIL: TestWidget (0.01s)", "##[error]Process completed with exit code 1."}
	fake := fakeWithRun(t, s)
	useToken(t, fake, nil)
	r := runBot(t, "", diagnoseArgs(fake)...)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "No GitHub Packages error found in the 1 failed job of run 7001.\n", r.stdout)

	j := runBot(t, "", diagnoseArgs(fake, "--format", "json")...)
	assert.Equal(t, 0, j.code)
	assert.Contains(t, j.stdout, `"diagnoses": []`)
}

func TestDiagnoseErrors(t *testing.T) {
	fake := fakeWithRun(t, scenario(t, "package-access"))
	tok, err := demo.InstallationToken(context.Background(), fake, testInstall, nil)
	require.NoError(t, err)
	api := fake.URL() + "/"
	tests := []struct {
		name      string
		env       map[string]string
		args      []string
		wantError string
	}{
		{"run not found", map[string]string{"GITHUB_TOKEN": tok}, []string{"diagnose", "--api-url", api, "--repo", "acme/app", "--run", "999"}, "run 999 not found in acme/app"},
		{"repository not found", map[string]string{"GITHUB_TOKEN": tok}, []string{"diagnose", "--api-url", api, "--repo", "acme/nope", "--run", "7001"}, "not found in acme/nope"},
		{"no token", nil, []string{"diagnose", "--api-url", api, "--repo", "acme/app", "--run", "7001"}, "no token: set GITHUB_TOKEN or GH_TOKEN"},
		{"bad token", map[string]string{"GH_TOKEN": "ghs_nope"}, []string{"diagnose", "--api-url", api, "--repo", "acme/app", "--run", "7001"}, "GitHub refused the token (401)"},
		{"bad format", map[string]string{"GITHUB_TOKEN": tok}, []string{"diagnose", "--repo", "acme/app", "--run", "1", "--format", "xml"}, "--format must be text, markdown or json"},
		{"no repository", map[string]string{"GITHUB_TOKEN": tok}, []string{"diagnose", "--run", "1"}, "--repo OWNER/NAME is required"},
		{"bad repository", map[string]string{"GITHUB_TOKEN": tok}, []string{"diagnose", "--repo", "acme", "--run", "1"}, "--repo must be OWNER/NAME"},
		{"no run", map[string]string{"GITHUB_TOKEN": tok}, []string{"diagnose", "--repo", "acme/app"}, "--run ID is required"},
		{"run not a number", nil, []string{"diagnose", "--repo", "acme/app", "--run", "abc"}, `invalid argument "abc" for "--run"`},
		{"unknown flag", nil, []string{"diagnose", "--bogus"}, "unknown flag: --bogus"},
		{"bad API URL", map[string]string{"GITHUB_TOKEN": tok}, []string{"diagnose", "--api-url", "api.github.com", "--repo", "acme/app", "--run", "1"}, "--api-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GITHUB_TOKEN", "")
			t.Setenv("GH_TOKEN", "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			r := runBot(t, "", tt.args...)
			assert.Equal(t, 2, r.code, "stdout: %s", r.stdout)
			assert.Contains(t, r.stderr, tt.wantError)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestDiagnoseTakesGHToken(t *testing.T) {
	fake := fakeWithRun(t, scenario(t, "pat-scopes"))
	tok, err := demo.InstallationToken(context.Background(), fake, testInstall, nil)
	require.NoError(t, err)
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", tok)
	r := runBot(t, "", diagnoseArgs(fake)...)
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stdout, "write:packages")
}

func TestProgressLiveLine(t *testing.T) {
	var buf strings.Builder
	p := newProgress(&buf, true)
	p.name(1, "build")
	p.add(1, 1500)
	p.done(1)
	p.finish()
	assert.Equal(t, "\r\x1b[KDownloading the log of job \"build\": 1.5 kB\r\x1b[KDownloaded the log of job \"build\": 1.5 kB\n", buf.String())
	assert.Equal(t, "3.2 MB", humanBytes(3_200_000))
	assert.Equal(t, "999 B", humanBytes(999))
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
