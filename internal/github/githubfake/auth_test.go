package githubfake

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/bradleyfalzon/ghinstallation/v2"
	ghv57 "github.com/google/go-github/v57/github"
	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInstallationTokenExchange(t *testing.T) {
	s := newFake(t, map[string]string{"metadata": "read", "actions": "read"})
	itr, err := ghinstallation.New(http.DefaultTransport, testAppID, testInstID, s.AppPrivateKeyPEM())
	require.NoError(t, err)
	itr.BaseURL = s.URL()

	token, err := itr.Token(context.Background())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(token, "ghs_"), token)
	perms, err := itr.Permissions()
	require.NoError(t, err)
	assert.Equal(t, "read", perms.GetActions())
	assert.Equal(t, "read", perms.GetMetadata())

	client := github.NewClient(&http.Client{Transport: itr})
	client.BaseURL = baseURL(t, s)
	repo, _, err := client.Repositories.Get(context.Background(), testOrg, testRepo)
	require.NoError(t, err)
	assert.Equal(t, "Organization", repo.GetOwner().GetType())
	assert.Equal(t, "main", repo.GetDefaultBranch())
	assert.Equal(t, testOrg, repo.GetOrganization().GetLogin())

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "jwt", reqs[0].Auth)
	assert.Equal(t, "/app/installations/77/access_tokens", reqs[0].Path)
	assert.Equal(t, http.StatusCreated, reqs[0].Status)
	assert.Equal(t, "installation", reqs[1].Auth)
	assert.Equal(t, testInstID, reqs[1].InstallationID)
}

func TestAppEndpointsNeedJWT(t *testing.T) {
	s := newFake(t, fullPerms)
	app, _, err := appClient(t, s).Apps.Get(context.Background(), "")
	require.NoError(t, err)
	assert.Equal(t, testAppID, app.GetID())
	assert.Equal(t, "ghcr-doctor", app.GetSlug())

	inst, _, err := appClient(t, s).Apps.FindRepositoryInstallation(context.Background(), testOrg, testRepo)
	require.NoError(t, err)
	assert.Equal(t, testInstID, inst.GetID())
	assert.Equal(t, "Organization", inst.GetAccount().GetType())

	_, _, err = installationClient(t, s, testInstID).Apps.ListHookDeliveries(context.Background(), nil)
	requireStatus(t, err, http.StatusUnauthorized)
}

func TestCredentialsRejected(t *testing.T) {
	s := newFake(t, fullPerms)
	other := New(Options{AppID: testAppID})
	t.Cleanup(other.Close)

	cases := []struct {
		name    string
		header  string
		path    string
		message string
	}{
		{"no credentials on a repository", "", "/repos/octo-org/octo-repo", "Requires authentication"},
		{"unknown token", "token ghs_unknown", "/repos/octo-org/octo-repo", "Bad credentials"},
		{"JWT where an installation token is needed", "Bearer " + signedJWT(t, s), "/repos/octo-org/octo-repo", "Bad credentials"},
		{"JWT signed by another key", "Bearer " + signedJWT(t, other), "/app", "A JSON web token could not be decoded"},
		{"no credentials on an app endpoint", "", "/app", "A JSON web token could not be decoded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", s.URL()+tc.path, nil)
			require.NoError(t, err)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			er := requireStatus(t, github.CheckResponse(resp), http.StatusUnauthorized)
			assert.Equal(t, tc.message, er.Message)
			assert.NotEmpty(t, er.DocumentationURL)
		})
	}
}

// signedJWT makes an app JWT with a server's key, exactly as ghinstallation does.
func signedJWT(t *testing.T, s *Server) string {
	t.Helper()
	var header string
	capture := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		header = r.Header.Get("Authorization")
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
	})
	atr, err := ghinstallation.NewAppsTransport(capture, s.AppID(), s.AppPrivateKeyPEM())
	require.NoError(t, err)
	req, err := http.NewRequest("GET", s.URL()+"/app", nil)
	require.NoError(t, err)
	resp, err := atr.RoundTrip(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return strings.TrimPrefix(header, "Bearer ")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestPermissionDenied(t *testing.T) {
	cases := []struct {
		name     string
		perms    map[string]string
		call     func(*github.Client) error
		accepted string
	}{
		{
			name:  "jobs without actions read",
			perms: map[string]string{"checks": "write"},
			call: func(c *github.Client) error {
				_, _, err := c.Actions.ListWorkflowJobs(context.Background(), testOrg, testRepo, testRunID, nil)
				return err
			},
			accepted: "actions=read",
		},
		{
			name:  "rerun with actions read only",
			perms: map[string]string{"actions": "read"},
			call: func(c *github.Client) error {
				_, err := c.Actions.RerunFailedJobsByID(context.Background(), testOrg, testRepo, testRunID)
				return err
			},
			accepted: "actions=write",
		},
		{
			name:  "pull requests of a commit without either permission",
			perms: map[string]string{"issues": "write"},
			call: func(c *github.Client) error {
				_, _, err := c.PullRequests.ListPullRequestsWithCommit(context.Background(), testOrg, testRepo, testHeadSHA, nil)
				return err
			},
			accepted: "pull_requests=read; contents=read",
		},
		{
			name:  "workflow settings without administration",
			perms: map[string]string{"actions": "read"},
			call: func(c *github.Client) error {
				_, _, err := c.Repositories.GetDefaultWorkflowPermissions(context.Background(), testOrg, testRepo)
				return err
			},
			accepted: "administration=read",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, tc.perms)
			addFailedRun(s, "log")
			er := requireStatus(t, tc.call(installationClient(t, s, testInstID)), http.StatusForbidden)
			assert.Equal(t, "Resource not accessible by integration", er.Message)
			assert.Equal(t, tc.accepted, er.Response.Header.Get("X-Accepted-GitHub-Permissions"))
			assert.True(t, strings.HasPrefix(er.DocumentationURL, "https://docs.github.com/rest/"), er.DocumentationURL)
		})
	}
}

func TestRepositoryOutsideInstallationIsNotFound(t *testing.T) {
	s := newFake(t, fullPerms)
	s.AddInstallation(88, "someone", "User", fullPerms)
	s.AddRepo(Repo{Owner: "someone", Name: "private-thing", Private: true, InstallationID: 88})

	_, _, err := installationClient(t, s, testInstID).Repositories.Get(context.Background(), "someone", "private-thing")
	requireStatus(t, err, http.StatusNotFound)
	_, _, err = installationClient(t, s, testInstID).Repositories.Get(context.Background(), testOrg, "missing")
	requireStatus(t, err, http.StatusNotFound)
}

func TestUnknownRouteIsNotFound(t *testing.T) {
	s := newFake(t, fullPerms)
	client := installationClient(t, s, testInstID)
	req, err := client.NewRequest("GET", "repos/octo-org/octo-repo/no-such-thing", nil)
	require.NoError(t, err)
	_, err = client.Do(context.Background(), req, nil)
	er := requireStatus(t, err, http.StatusNotFound)
	assert.Equal(t, "Not Found", er.Message)
}

func TestEveryResponseCarriesRateLimitHeaders(t *testing.T) {
	s := newFake(t, fullPerms)
	client := installationClient(t, s, testInstID)
	_, resp, err := client.Repositories.Get(context.Background(), testOrg, testRepo)
	require.NoError(t, err)
	_, resp2, err := client.Repositories.Get(context.Background(), testOrg, testRepo)
	require.NoError(t, err)
	assert.Equal(t, 5000, resp.Rate.Limit)
	assert.Equal(t, resp.Rate.Remaining-1, resp2.Rate.Remaining)
	assert.Equal(t, "core", resp2.Header.Get("X-RateLimit-Resource"))
	assert.NotEmpty(t, resp2.Header.Get("X-RateLimit-Used"))
	assert.NotEmpty(t, resp2.Header.Get("X-GitHub-Request-Id"))
	assert.NotEqual(t, resp.Header.Get("X-GitHub-Request-Id"), resp2.Header.Get("X-GitHub-Request-Id"))
}

func TestTokenNarrowingAndExpiry(t *testing.T) {
	s := newFake(t, map[string]string{"actions": "read", "checks": "write"})
	itr, err := ghinstallation.New(http.DefaultTransport, testAppID, testInstID, s.AppPrivateKeyPEM())
	require.NoError(t, err)
	itr.BaseURL = s.URL()
	itr.InstallationTokenOptions = &ghv57.InstallationTokenOptions{Permissions: &ghv57.InstallationPermissions{Actions: ghv57.String("write")}}
	_, err = itr.Token(context.Background())
	require.Error(t, err, "asking for more than the installation has must fail")

	itr.InstallationTokenOptions = &ghv57.InstallationTokenOptions{Permissions: &ghv57.InstallationPermissions{Checks: ghv57.String("read")}}
	token, err := itr.Token(context.Background())
	require.NoError(t, err)
	req, err := http.NewRequest("GET", s.URL()+"/repos/octo-org/octo-repo/actions/runs", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "token "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a token narrowed to checks cannot read actions")

	s.ExpireTokens()
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}
