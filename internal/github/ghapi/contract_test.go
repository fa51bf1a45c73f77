package ghapi

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// The contract tests replay answers GitHub documents through the adapter.
// The simulated GitHub is held to the same recorded bodies
// (internal/github/githubfake/testdata, checked key by key by its own
// tests), so the adapter and the simulated GitHub cannot drift apart.

// recorded is one answer GitHub gives, as its documentation records it.
type recorded struct {
	status  int
	headers map[string]string
	// body is the answer's body, or the name of a file of
	// githubfake/testdata when it starts with "@".
	body string
}

func (r recorded) bodyBytes(t *testing.T) []byte {
	t.Helper()
	if name, ok := strings.CutPrefix(r.body, "@"); ok {
		b, err := os.ReadFile(filepath.Join("..", "githubfake", "testdata", name))
		require.NoError(t, err)
		return b
	}
	return []byte(r.body)
}

// replay serves the recorded answers by path (the first answer for any
// other path) and returns an adapter that talks to it.
func replay(t *testing.T, answers map[string]recorded) *Client {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := answers[r.URL.Path]
		if !ok {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			http.NotFound(w, r)
			return
		}
		for k, v := range a.headers {
			w.Header().Set(k, strings.ReplaceAll(v, "{server}", srv.URL))
		}
		if a.status == 0 {
			a.status = http.StatusOK
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, strings.ReplaceAll(string(a.bodyBytes(t)), "{server}", srv.URL))
	}))
	t.Cleanup(srv.Close)
	gh := github.NewClient(srv.Client())
	base, err := url.Parse(srv.URL + "/")
	require.NoError(t, err)
	gh.BaseURL = base
	return New(gh)
}

func TestContractListJobs(t *testing.T) {
	c := replay(t, map[string]recorded{
		"/repos/octo-org/octo-repo/actions/runs/29679449/attempts/1/jobs": {body: "@list-jobs.json"},
	})
	jobs, err := c.ListRunJobs(context.Background(), "octo-org", "octo-repo", 29679449, 1)
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	assert.EqualValues(t, 399444496, jobs[0].ID)
	assert.NotEmpty(t, jobs[0].Name)
	assert.Equal(t, "success", jobs[0].Conclusion)
	assert.Equal(t, "https://github.com/octo-org/octo-repo/runs/399444496", jobs[0].HTMLURL)
}

func TestContractJobLogRedirect(t *testing.T) {
	const log = "2026-01-11T21:51:41.6629350Z denied: permission_denied: write_package\n"
	c := replay(t, map[string]recorded{
		"/repos/o/r/actions/jobs/7/logs": {status: http.StatusFound,
			headers: map[string]string{"Location": "{server}/signed/job-7.txt?sig=abc"}},
		"/signed/job-7.txt": {headers: map[string]string{"Content-Type": "text/plain"}, body: log},
	})
	rc, err := c.OpenJobLog(context.Background(), "o", "r", 7)
	require.NoError(t, err)
	defer rc.Close()
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	assert.Equal(t, log, string(got))
}

func TestContractContents(t *testing.T) {
	workflow := "name: Release\non: push\n"
	small := `{"type":"file","encoding":"base64","size":23,"name":"release.yml","path":".github/workflows/release.yml",` +
		`"content":"` + base64.StdEncoding.EncodeToString([]byte(workflow)) + `","sha":"3d21ec53a331a6f037a91c368710b99387d012c1"}`
	// Over 1 MB GitHub answers "encoding": "none" and no content; the raw
	// file comes from the same path with the raw media type.
	large := `{"type":"file","encoding":"none","size":1500000,"name":"big.yml","path":".github/workflows/big.yml",` +
		`"content":"","sha":"95b966ae1c166bd92f8ae7d1c313e738c731dfc3"}`
	t.Run("documented example", func(t *testing.T) {
		c := replay(t, map[string]recorded{"/repos/o/r/contents/README.md": {body: "@get-content.json"}})
		_, err := c.GetFile(context.Background(), "o", "r", "README.md", "")
		// The documented example's content is a placeholder, not base64:
		// the adapter must say so rather than hand back garbage.
		require.Error(t, err)
		assert.Contains(t, err.Error(), "README.md")
	})
	t.Run("base64", func(t *testing.T) {
		c := replay(t, map[string]recorded{"/repos/o/r/contents/.github/workflows/release.yml": {body: small}})
		got, err := c.GetFile(context.Background(), "o", "r", ".github/workflows/release.yml", "main")
		require.NoError(t, err)
		assert.Equal(t, workflow, string(got))
	})
	t.Run("encoding none", func(t *testing.T) {
		raw := strings.Repeat("# padding\n", 10)
		c := replay(t, map[string]recorded{
			"/repos/o/r/contents/.github/workflows/big.yml": {body: large},
			// go-github's DownloadContents lists the directory for the
			// file's download_url.
			"/repos/o/r/contents/.github/workflows": {body: `[{"type":"file","name":"big.yml","path":".github/workflows/big.yml","download_url":"{server}/raw/big.yml"}]`},
			"/raw/big.yml":                          {headers: map[string]string{"Content-Type": "text/plain"}, body: raw},
		})
		got, err := c.GetFile(context.Background(), "o", "r", ".github/workflows/big.yml", "")
		require.NoError(t, err)
		assert.Equal(t, raw, string(got))
	})
}

func TestContractWorkflowPermissions(t *testing.T) {
	c := replay(t, map[string]recorded{
		"/repos/o/r/actions/permissions/workflow": {body: `{"default_workflow_permissions":"read","can_approve_pull_request_reviews":true}`},
		"/orgs/o/actions/permissions/workflow":    {body: `{"default_workflow_permissions":"write","can_approve_pull_request_reviews":false}`},
	})
	repo, err := c.RepoWorkflowDefault(context.Background(), "o", "r")
	require.NoError(t, err)
	assert.Equal(t, "read", repo)
	org, err := c.OrgWorkflowDefault(context.Background(), "o")
	require.NoError(t, err)
	assert.Equal(t, "write", org)
}

func TestContractRefusals(t *testing.T) {
	const path = "/repos/o/r/actions/permissions/workflow"
	cases := []struct {
		name   string
		answer recorded
		check  func(t *testing.T, err error)
	}{
		{"missing permission", recorded{status: http.StatusForbidden,
			headers: map[string]string{"X-Accepted-GitHub-Permissions": "administration=read"},
			body:    `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/actions/permissions#get-default-workflow-permissions-for-a-repository","status":"403"}`},
			func(t *testing.T, err error) {
				pe, ok := gherr.AsPermission(err)
				require.True(t, ok, "%v", err)
				assert.Equal(t, "administration:read", pe.Permission())
				assert.False(t, gherr.IsTransient(err))
			}},
		{"secondary rate limit", recorded{status: http.StatusForbidden,
			headers: map[string]string{"Retry-After": "60"},
			body:    `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"403"}`},
			func(t *testing.T, err error) {
				_, permission := gherr.AsPermission(err)
				assert.False(t, permission, "a rate limit is not a missing permission")
				assert.True(t, gherr.IsTransient(err), "%v", err)
			}},
		{"not found", recorded{status: http.StatusNotFound,
			body: `{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`},
			func(t *testing.T, err error) {
				assert.True(t, gherr.IsNotFound(err), "%v", err)
				assert.False(t, gherr.IsTransient(err))
			}},
		{"server error", recorded{status: http.StatusBadGateway, body: `{"message":"Server Error"}`},
			func(t *testing.T, err error) { assert.True(t, gherr.IsTransient(err), "%v", err) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := replay(t, map[string]recorded{path: tc.answer})
			_, err := c.RepoWorkflowDefault(context.Background(), "o", "r")
			require.Error(t, err)
			tc.check(t, err)
		})
	}
}
