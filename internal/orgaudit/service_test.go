package orgaudit_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/orgaudit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

const (
	testInstall = int64(31)
	testOrg     = "acme"
	optIn       = "audit:\n  enabled: true\n"
)

// fakeClients gives installation clients of the simulated GitHub.
type fakeClients struct{ fake *githubfake.Server }

func (c fakeClients) Client(_ context.Context, id int64) (orgaudit.Client, error) {
	itr, err := ghinstallation.New(http.DefaultTransport, c.fake.AppID(), id, c.fake.AppPrivateKeyPEM())
	if err != nil {
		return nil, err
	}
	itr.BaseURL = c.fake.URL()
	gh := github.NewClient(&http.Client{Transport: itr})
	if gh.BaseURL, err = url.Parse(c.fake.URL() + "/"); err != nil {
		return nil, err
	}
	return ghapi.New(gh), nil
}

// markedJobs stands in for the preflight engine: a line "# at-risk JOB"
// makes JOB at risk on that line.
func markedJobs(in preflight.Input) ([]preflight.Result, error) {
	var out []preflight.Result
	for i, line := range strings.Split(string(in.Source), "\n") {
		if job, ok := strings.CutPrefix(line, "# at-risk "); ok {
			out = append(out, preflight.Result{File: in.Path, Job: job, Verdict: preflight.MissingPackagesWrite, Line: i + 1,
				Reason: "no packages: write", Fix: "add packages: write"})
		}
	}
	return out, nil
}

func newWorld(t *testing.T, perms map[string]string, orgFile string, withDotGithub bool) *githubfake.Server {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	fake := githubfake.New(githubfake.Options{AppID: 7, AppSlug: "ghcr-doctor", AppKey: key})
	t.Cleanup(fake.Close)
	fake.AddInstallation(testInstall, testOrg, "Organization", perms)
	fake.AddRepo(githubfake.Repo{Owner: testOrg, Name: "app", InstallationID: testInstall})
	fake.SetFile(testOrg, "app", "main", ".github/workflows/release.yml", []byte("on: push\n# at-risk image\n"))
	if withDotGithub {
		fake.AddRepo(githubfake.Repo{Owner: testOrg, Name: ".github", InstallationID: testInstall})
		if orgFile != "" {
			fake.SetFile(testOrg, ".github", "main", ".github/ghcr-doctor.yml", []byte(orgFile))
		}
	}
	return fake
}

var auditPerms = map[string]string{"contents": "read", "issues": "write", "metadata": "read"}

func TestAuditRunsOnlyWhenTheOrganisationOptedIn(t *testing.T) {
	tests := []struct {
		name            string
		perms           map[string]string
		orgFile         string
		dotGithub       bool
		wantSkipped     string
		wantIssue       bool
		wantUnpublished string
	}{
		{name: "opted in", perms: auditPerms, orgFile: optIn, dotGithub: true, wantIssue: true},
		{name: "no file", perms: auditPerms, dotGithub: true, wantSkipped: "not opted in"},
		{name: "a file without the opt-in", perms: auditPerms, orgFile: "fix:\n  allow_settings_changes: true\n", dotGithub: true, wantSkipped: "not opted in"},
		{name: "a broken file", perms: auditPerms, orgFile: "audit: [", dotGithub: true, wantSkipped: "broken"},
		{name: "no .github repository", perms: auditPerms, wantSkipped: "not opted in"},
		{name: "opted in without issues:write", perms: map[string]string{"contents": "read", "issues": "read", "metadata": "read"},
			orgFile: optIn, dotGithub: true, wantUnpublished: "the App lacks issues:write on acme/.github"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newWorld(t, tt.perms, tt.orgFile, tt.dotGithub)
			s := &orgaudit.Service{Clients: fakeClients{fake}, Analyze: markedJobs, WebURL: "https://github.com"}
			out, err := s.Run(context.Background(), orgaudit.Request{InstallationID: testInstall, Account: testOrg, Reason: orgaudit.ReasonInstalled})
			require.NoError(t, err)
			if tt.wantSkipped != "" {
				assert.Contains(t, out.Skipped, tt.wantSkipped)
				assert.Empty(t, out.Report.Findings, "no audit")
			} else {
				assert.Empty(t, out.Skipped)
				require.Len(t, out.Report.AtRisk(), 1)
			}
			assert.Equal(t, tt.wantUnpublished, out.Unpublished)
			var health []githubfake.Issue
			if tt.dotGithub {
				for _, is := range fake.Issues(testOrg, ".github") {
					if is.Title == report.HealthIssueTitle {
						health = append(health, is)
					}
				}
			}
			if !tt.wantIssue {
				assert.Empty(t, health)
				return
			}
			require.Len(t, health, 1)
			assert.Equal(t, report.HealthCreated, out.Issue.Action)
			assert.Contains(t, health[0].Body, "/acme/app/blob/"+fake.BranchSHA(testOrg, "app", "main")+"/.github/workflows/release.yml#L2")
		})
	}
}
