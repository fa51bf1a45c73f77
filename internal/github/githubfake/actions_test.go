package githubfake

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetRunAndJobs(t *testing.T) {
	s := newFake(t, fullPerms)
	addFailedRun(s, "log")
	client := installationClient(t, s, testInstID)
	ctx := context.Background()

	run, _, err := client.Actions.GetWorkflowRunByID(ctx, testOrg, testRepo, testRunID)
	require.NoError(t, err)
	assert.Equal(t, "failure", run.GetConclusion())
	assert.Equal(t, testHeadSHA, run.GetHeadSHA())
	assert.Equal(t, "release", run.GetName())
	assert.Equal(t, "octocat", run.GetActor().GetLogin())
	assert.Equal(t, 1, run.GetRunAttempt())

	attempt, _, err := client.Actions.GetWorkflowRunAttempt(ctx, testOrg, testRepo, testRunID, 1, nil)
	require.NoError(t, err)
	assert.Equal(t, testRunID, attempt.GetID())
	_, _, err = client.Actions.GetWorkflowRunAttempt(ctx, testOrg, testRepo, testRunID, 2, nil)
	requireStatus(t, err, http.StatusNotFound)

	jobs, _, err := client.Actions.ListWorkflowJobs(ctx, testOrg, testRepo, testRunID, &github.ListWorkflowJobsOptions{Filter: "latest"})
	require.NoError(t, err)
	require.Equal(t, 1, jobs.GetTotalCount())
	job := jobs.Jobs[0]
	assert.Equal(t, "publish", job.GetName())
	assert.Equal(t, "failure", job.GetConclusion())
	require.Len(t, job.Steps, 2)
	assert.Equal(t, int64(2), job.Steps[1].GetNumber())
	assert.Equal(t, "release", job.GetWorkflowName())

	got, _, err := client.Actions.GetWorkflowJobByID(ctx, testOrg, testRepo, testJobID)
	require.NoError(t, err)
	assert.Equal(t, testRunID, got.GetRunID())
}

func TestRESTShapesCoverDocumentedExamples(t *testing.T) {
	s := newFake(t, fullPerms)
	addFailedRun(s, "log")
	s.SetFile(testOrg, testRepo, "main", "README.md", []byte("hello"))
	s.SetCollaborator(testOrg, testRepo, "octocat", "admin", "admin")
	client := installationClient(t, s, testInstID)

	cases := []struct {
		name    string
		fixture string
		path    string
		pick    func(map[string]any) map[string]any
	}{
		{"workflow run", "workflow-run.json", "repos/octo-org/octo-repo/actions/runs/9001", nil},
		{"job", "list-jobs.json", "repos/octo-org/octo-repo/actions/runs/9001/jobs", func(m map[string]any) map[string]any {
			return m["jobs"].([]any)[0].(map[string]any)
		}},
		{"file content", "get-content.json", "repos/octo-org/octo-repo/contents/README.md", nil},
		{"collaborator permission", "collaborator-permission.json", "repos/octo-org/octo-repo/collaborators/octocat/permission", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := readFixture(t, tc.fixture)
			got, _ := getJSON(t, s, client, tc.path)
			if tc.pick != nil {
				want, got = tc.pick(want), tc.pick(got)
			}
			assert.Empty(t, missingKeys("", want, got))
		})
	}
}

func TestJobLogRedirect(t *testing.T) {
	s := newFake(t, fullPerms)
	addFailedRun(s, "2024-01-01T00:00:00Z ERROR: denied: permission_denied: write_package\n")
	client := installationClient(t, s, testInstID)

	location, resp, err := client.Actions.GetWorkflowJobLogs(context.Background(), testOrg, testRepo, testJobID, 1)
	require.NoError(t, err)
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.True(t, strings.HasPrefix(location.String(), s.URL()+"/_signed/logs/"), location.String())

	t.Run("plain client downloads the text", func(t *testing.T) {
		resp, err := http.Get(location.String())
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Contains(t, string(body), "permission_denied: write_package")
	})
	t.Run("request carrying Authorization is refused", func(t *testing.T) {
		req, err := http.NewRequest("GET", location.String(), nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "token ghs_leaked")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Equal(t, "InvalidAuthenticationInfo", resp.Header.Get("X-Ms-Error-Code"))
	})
	t.Run("expired URL is refused", func(t *testing.T) {
		s.ExpireSignedURLs()
		resp, err := http.Get(location.String())
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("signed downloads are recorded without credentials", func(t *testing.T) {
		n := 0
		for _, r := range s.Requests() {
			if strings.HasPrefix(r.Path, "/_signed/") {
				n++
				assert.Contains(t, []string{"none", "other"}, r.Auth)
			}
		}
		assert.Equal(t, 3, n)
	})
}

func TestSignedURLLimits(t *testing.T) {
	clock := newTestClock()
	s := New(Options{AppID: testAppID, AppKey: sharedKey(t), LogURLTTL: time.Minute, LogURLMaxUses: 1, Now: clock.Now})
	t.Cleanup(s.Close)
	s.AddInstallation(testInstID, testOrg, "Organization", fullPerms)
	s.AddRepo(Repo{Owner: testOrg, Name: testRepo, InstallationID: testInstID})
	addFailedRun(s, "log")
	client := installationClient(t, s, testInstID)

	status := func(u string) int {
		resp, err := http.Get(u)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	once, _, err := client.Actions.GetWorkflowJobLogs(context.Background(), testOrg, testRepo, testJobID, 1)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status(once.String()))
	assert.Equal(t, http.StatusNotFound, status(once.String()), "a one-use URL is gone after its use")

	late, _, err := client.Actions.GetWorkflowJobLogs(context.Background(), testOrg, testRepo, testJobID, 1)
	require.NoError(t, err)
	clock.Advance(time.Minute + time.Second)
	assert.Equal(t, http.StatusForbidden, status(late.String()), "the URL expires after its TTL")
}

func TestJobLogUnavailable(t *testing.T) {
	cases := []struct {
		name   string
		job    Job
		status int
	}{
		{"expired", Job{ID: 1, Name: "old", LogExpired: true}, http.StatusGone},
		{"missing", Job{ID: 2, Name: "lost", LogMissing: true}, http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, fullPerms)
			s.AddRun(testOrg, testRepo, Run{ID: testRunID, Path: ".github/workflows/ci.yml", Conclusion: "failure"})
			s.AddJob(testOrg, testRepo, testRunID, tc.job)
			client := installationClient(t, s, testInstID)
			_, resp, err := client.Actions.GetWorkflowJobLogs(context.Background(), testOrg, testRepo, tc.job.ID, 1)
			require.Error(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)

			_, resp, err = client.Actions.GetWorkflowRunLogs(context.Background(), testOrg, testRepo, testRunID, 1)
			require.Error(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}
}

func TestRunLogArchive(t *testing.T) {
	s := newFake(t, fullPerms)
	addFailedRun(s, "whole job log\n")
	s.AddJob(testOrg, testRepo, testRunID, Job{ID: testJobID + 1, Name: "test", Conclusion: "success", Log: []byte("ok\n")})
	client := installationClient(t, s, testInstID)

	location, _, err := client.Actions.GetWorkflowRunLogs(context.Background(), testOrg, testRepo, testRunID, 1)
	require.NoError(t, err)
	resp, err := http.Get(location.String())
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		files[f.Name] = string(b)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	assert.Equal(t, []string{"0_publish.txt", "1_test.txt", "publish/2_Push image.txt"}, names)
	assert.Equal(t, "whole job log\n", files["0_publish.txt"])
	assert.Equal(t, "denied\n", files["publish/2_Push image.txt"])
}

func TestJobsPaginationAndAttempts(t *testing.T) {
	s := newFake(t, fullPerms)
	s.AddRun(testOrg, testRepo, Run{ID: testRunID, Path: ".github/workflows/ci.yml", Conclusion: "failure"})
	for i := 0; i < 5; i++ {
		s.AddJob(testOrg, testRepo, testRunID, Job{ID: int64(100 + i), Name: "matrix", Conclusion: "failure"})
	}
	s.AddRun(testOrg, testRepo, Run{ID: testRunID, Attempt: 2, Path: ".github/workflows/ci.yml", Conclusion: "failure"})
	s.AddJob(testOrg, testRepo, testRunID, Job{ID: 200, Name: "matrix", Conclusion: "failure"})
	client := installationClient(t, s, testInstID)
	ctx := context.Background()

	latest, _, err := client.Actions.ListWorkflowJobs(ctx, testOrg, testRepo, testRunID, nil)
	require.NoError(t, err)
	require.Equal(t, 1, latest.GetTotalCount())
	assert.Equal(t, int64(2), latest.Jobs[0].GetRunAttempt())

	var ids []int64
	opts := &github.ListWorkflowJobsOptions{Filter: "all", ListOptions: github.ListOptions{PerPage: 4}}
	for {
		page, resp, err := client.Actions.ListWorkflowJobs(ctx, testOrg, testRepo, testRunID, opts)
		require.NoError(t, err)
		assert.Equal(t, 6, page.GetTotalCount())
		for _, j := range page.Jobs {
			ids = append(ids, j.GetID())
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	assert.Equal(t, []int64{100, 101, 102, 103, 104, 200}, ids)
}

func TestRerunFailedJobs(t *testing.T) {
	s := newFake(t, fullPerms)
	addFailedRun(s, "log")
	client := installationClient(t, s, testInstID)

	resp, err := client.Actions.RerunFailedJobsByID(context.Background(), testOrg, testRepo, testRunID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	status, conclusion, attempt := s.RunStatus(testOrg, testRepo, testRunID)
	assert.Equal(t, "queued", status)
	assert.Empty(t, conclusion)
	assert.Equal(t, 2, attempt)
	assert.Equal(t, []Rerun{{RunID: testRunID, Kind: "failed-jobs"}}, s.Reruns(testOrg, testRepo))

	_, err = client.Actions.RerunFailedJobsByID(context.Background(), testOrg, testRepo, testRunID)
	requireStatus(t, err, http.StatusForbidden)
}
