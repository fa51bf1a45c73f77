package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight/render"
	"github.com/ghcr-doctor/ghcr-doctor/internal/samples"
)

// fakeOrganisation is the simulated GitHub with samples.AuditOrganisation
// installed, every repository's default workflow permissions read-only.
func fakeOrganisation(t *testing.T) *githubfake.Server {
	t.Helper()
	fake := githubfake.New(githubfake.Options{AppID: 99, AppSlug: "ghcr-doctor", AppKey: sharedFakeKey(t)})
	t.Cleanup(fake.Close)
	fake.AddInstallation(testInstall, samples.AuditOrgName, "Organization", allPermissions)
	for i, r := range samples.AuditOrganisation() {
		fake.AddRepo(githubfake.Repo{Owner: samples.AuditOrgName, Name: r.Name, ID: int64(3000 + i), OwnerType: "Organization",
			InstallationID: testInstall, Archived: r.Archived, Fork: r.Fork})
		for p, content := range r.Files {
			fake.SetFile(samples.AuditOrgName, r.Name, "main", p, []byte(content))
		}
		fake.SetRepoWorkflowPermissions(samples.AuditOrgName, r.Name, "read")
	}
	fake.SetOrgWorkflowPermissions(samples.AuditOrgName, "read")
	return fake
}

func auditOrgArgs(fake *githubfake.Server, cacheDir string, extra ...string) []string {
	return append([]string{"audit", "--org", samples.AuditOrgName, "--api-url", fake.URL() + "/", "--cache-dir", cacheDir}, extra...)
}

// TestAuditOrgJSON: the organisation's jobs at risk and unknown, exactly,
// each with its repository and a link to its line; exit 1 for the risk.
func TestAuditOrgJSON(t *testing.T) {
	fake := fakeOrganisation(t)
	useToken(t, fake, nil)
	r := runBot(t, "", auditOrgArgs(fake, t.TempDir(), "--json")...)
	require.Equal(t, 1, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)

	var doc render.Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	var atRisk, unknown []string
	for _, j := range doc.Jobs {
		id := j.Repository + " " + j.File + "#" + j.Job
		switch j.Verdict {
		case "missing_packages_write", "uppercase_name", "namespace_mismatch", "fork_pr_push", "dependabot":
			atRisk = append(atRisk, id)
		case "unknown":
			unknown = append(unknown, id)
		case "not_publishing":
			t.Errorf("%s: jobs that publish nothing are left out", id)
		}
		assert.Regexp(t, `^https://github\.com/`+j.Repository+`/blob/[0-9a-f]{40}/`+j.File+`(#L\d+)?$`, j.URL)
	}
	wantRisk, wantUnknown := samples.AuditExpected()
	sort.Strings(atRisk)
	sort.Strings(wantRisk)
	assert.Equal(t, wantRisk, atRisk)
	assert.Equal(t, wantUnknown, unknown)
	assert.Contains(t, r.stderr, "4 at risk, 1 unknown of 7 publishing jobs in 10 repositories (2 skipped, 0 unreadable)")
	assert.NotContains(t, r.stderr, "\r", "no live line off a terminal")
}

// TestAuditOrgSecondRunIsConditional: the second run asks with the
// first run's ETags, and GitHub answers 304 for what did not change.
func TestAuditOrgSecondRunIsConditional(t *testing.T) {
	fake := fakeOrganisation(t)
	useToken(t, fake, nil)
	cache := t.TempDir()
	first := runBot(t, "", auditOrgArgs(fake, cache, "--format", "csv")...)
	require.Equal(t, 1, first.code, first.stderr)
	before := len(fake.Requests())
	okFirst := 0
	for _, req := range fake.Requests() {
		if req.Status == 200 && req.Auth == "installation" {
			okFirst++
		}
	}
	assert.Contains(t, first.stderr, "(0 answered 304 Not Modified)")

	second := runBot(t, "", auditOrgArgs(fake, cache, "--format", "csv")...)
	require.Equal(t, 1, second.code, second.stderr)
	assert.Equal(t, first.stdout, second.stdout, "the same findings")
	notModified := 0
	for _, req := range fake.Requests()[before:] {
		switch {
		case req.Status == 304:
			notModified++
		case req.Status == 404 && strings.HasSuffix(req.Path, "/contents/.github/workflows"):
			// A repository without workflows: GitHub's 404 carries no ETag.
		default:
			t.Errorf("the second run's %s %s got %d, not 304", req.Method, req.Path, req.Status)
		}
	}
	if !assert.Equal(t, okFirst, notModified, "every answer of the first run revalidated: 304") {
		for _, req := range fake.Requests() {
			t.Logf("%s %s?%s %d", req.Method, req.Path, req.Query, req.Status)
		}
	}
	assert.Contains(t, second.stderr, fmt.Sprintf("(%d answered 304 Not Modified)", notModified))

	rows, err := csv.NewReader(strings.NewReader(second.stdout)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"repository", "url"}, rows[0][len(render.CSVHeader):])

	nocache := runBot(t, "", auditOrgArgs(fake, cache, "--format", "csv", "--no-cache")...)
	require.Equal(t, 1, nocache.code)
	assert.Contains(t, nocache.stderr, "(0 answered 304 Not Modified)")
}

func TestAuditRepoAndErrors(t *testing.T) {
	fake := fakeOrganisation(t)
	useToken(t, fake, nil)
	api := fake.URL() + "/"
	r := runBot(t, "", "audit", "--repo", "acme/web", "--api-url", api, "--no-cache")
	assert.Equal(t, 0, r.code, "nothing at risk: %s", r.stderr)
	assert.Contains(t, r.stdout, "acme/web: .github/workflows/release.yml:")
	assert.Contains(t, r.stdout, ": image: ok (ghcr.io)")

	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no token", map[string]string{"GITHUB_TOKEN": "", "GH_TOKEN": ""}, []string{"audit", "--org", "acme", "--api-url", api}, "no token"},
		{"bad token", map[string]string{"GITHUB_TOKEN": "", "GH_TOKEN": "ghs_nope"}, []string{"audit", "--org", "acme", "--api-url", api, "--no-cache"}, "GitHub refused the token (401)"},
		{"unknown organisation", nil, []string{"audit", "--org", "nobody", "--api-url", api, "--no-cache"}, "no such organisation or repository"},
		{"two modes", nil, []string{"audit", "--org", "acme", "--repo", "acme/app"}, "give one"},
		{"files with --org", nil, []string{"audit", "--org", "acme", "x.yml"}, "take no file arguments"},
		{"bad repository", nil, []string{"audit", "--repo", "acme"}, "OWNER/NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			r := runBot(t, "", tt.args...)
			assert.Equal(t, 2, r.code, r.stderr)
			assert.Contains(t, r.stderr, tt.want)
		})
	}
}
