package e2e

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

func seedLog() string {
	return jobLog(permsWrite, "docker/build-push-action@v6", buildxDenied("permission_denied: write_package")...)
}

func TestLaterSuccessResolvesPullRequestComment(t *testing.T) {
	e := newEnv(t, allPermissions)
	e.deliver("workflow_run", e.addRun(scenario{workflow: wfJobPermsWithoutPackages, pr: 12, event: "pull_request",
		log: jobLog(permsNoPackages, "docker/build-push-action@v6", buildxDenied("installation not allowed to Write organization package")...)}))
	require.Len(t, e.fake.Comments(org, repoName, 12), 1)

	e.deliver("workflow_run", e.addRun(scenario{workflow: wfSeed, pr: 12, event: "pull_request", runID: 7002, conclusion: "success", log: "all good\n"}))
	cs := e.fake.Comments(org, repoName, 12)
	require.Len(t, cs, 1, "the comment is edited, not duplicated")
	m, ok := report.ParseMarker(cs[0].Body)
	require.True(t, ok)
	assert.Equal(t, report.StateResolved, m.State)
	assert.Contains(t, strings.ToLower(cs[0].Body), "resolved")

	// Resolving twice changes nothing.
	writes := e.writeRequests()
	e.deliver("workflow_run", e.fake.WorkflowRunEvent("completed", org, repoName, 7002))
	assert.Equal(t, writes, e.writeRequests())
}

func TestLaterSuccessClosesTrackingIssue(t *testing.T) {
	e := newEnv(t, allPermissions)
	e.deliver("workflow_run", e.addRun(scenario{workflow: wfSeed, log: seedLog()}))
	issues := e.fake.Issues(org, repoName)
	require.Len(t, issues, 1)
	assert.Equal(t, "open", issues[0].State)

	e.deliver("workflow_run", e.addRun(scenario{workflow: wfSeed, runID: 7003, conclusion: "success", log: "ok\n"}))
	issues = e.fake.Issues(org, repoName)
	require.Len(t, issues, 1)
	assert.Equal(t, "closed", issues[0].State)
	assert.Equal(t, "completed", issues[0].StateReason)

	// Failing again reopens the same issue rather than filing another.
	e.deliver("workflow_run", e.addRun(scenario{workflow: wfSeed, runID: 7004, log: seedLog()}))
	issues = e.fake.Issues(org, repoName)
	require.Len(t, issues, 1)
	assert.Equal(t, "open", issues[0].State)
}

func TestChangedDiagnosisEditsInPlace(t *testing.T) {
	e := newEnv(t, allPermissions)
	e.deliver("workflow_run", e.addRun(scenario{workflow: wfJobPermsWithoutPackages, pr: 12, event: "pull_request",
		log: jobLog(permsNoPackages, "docker/build-push-action@v6", buildxDenied("installation not allowed to Write organization package")...)}))
	first := e.fake.Comments(org, repoName, 12)
	require.Len(t, first, 1)

	// The author adds packages: write; the next run fails on the package's access list.
	e.deliver("workflow_run", e.addRun(scenario{workflow: wfSeed, pr: 12, event: "pull_request", runID: 7005, log: seedLog()}))
	second := e.fake.Comments(org, repoName, 12)
	require.Len(t, second, 1)
	assert.Equal(t, first[0].ID, second[0].ID)
	m, _ := report.ParseMarker(second[0].Body)
	assert.EqualValues(t, "package_access", m.Cause)
}

func TestMissingAppPermissionIsReportedAsUnknown(t *testing.T) {
	perms := map[string]string{}
	for k, v := range allPermissions {
		perms[k] = v
	}
	delete(perms, "administration")
	delete(perms, "organization_administration")
	e := newEnv(t, perms)
	e.deliver("workflow_run", e.addRun(scenario{workflow: wfNoPermissions,
		log: jobLog(nil, "docker/build-push-action@v6", buildxDenied("installation not allowed to Write organization package")...)}))
	body := e.reportBody(scenario{})
	assert.Contains(t, body, "administration:read", "names the permission to grant")
	assert.Contains(t, body, "❔")
}

func TestLogNotFound(t *testing.T) {
	t.Run("the only failed job's log is gone: nothing to report", func(t *testing.T) {
		e := newEnv(t, allPermissions)
		ev := e.addRun(scenario{workflow: wfSeed, log: seedLog()})
		e.fake.AddJob(org, repoName, 7001, githubfake.Job{ID: 70011, Name: "build", Conclusion: "failure", LogMissing: true})
		e.deliver("workflow_run", ev)
		assert.Empty(t, e.fake.CheckRuns(org, repoName))
		assert.Contains(t, e.logs.String(), "Could not read the job log")
	})
	t.Run("one log gone, another with the error: reported, with the gap", func(t *testing.T) {
		e := newEnv(t, allPermissions)
		ev := e.addRun(scenario{workflow: wfSeed, log: seedLog(),
			extraJobs: []githubfake.Job{{ID: 9001, Name: "publish-chart", Conclusion: "failure", LogExpired: true}}})
		e.deliver("workflow_run", ev)
		body := e.reportBody(scenario{})
		assert.Contains(t, body, "publish-chart")
		m, _ := report.ParseMarker(body)
		assert.EqualValues(t, "package_access", m.Cause)
	})
}

func TestRepositoryConfiguration(t *testing.T) {
	t.Run("switched off", func(t *testing.T) {
		e := newEnv(t, allPermissions)
		e.fake.SetFile(org, repoName, "main", ".github/ghcr-doctor.yml", []byte("enabled: false\n"))
		e.deliver("workflow_run", e.addRun(scenario{workflow: wfSeed, log: seedLog()}))
		assert.Empty(t, e.fake.CheckRuns(org, repoName))
		assert.Empty(t, e.fake.Issues(org, repoName))
	})
	t.Run("organisation file turns tracking issues off", func(t *testing.T) {
		e := newEnv(t, allPermissions)
		e.fake.AddRepo(githubfake.Repo{Owner: org, Name: ".github", ID: 1002, OwnerType: "Organization", InstallationID: installID})
		e.fake.SetFile(org, ".github", "main", ".github/ghcr-doctor.yml", []byte("report:\n  tracking_issue: false\n"))
		e.deliver("workflow_run", e.addRun(scenario{workflow: wfSeed, log: seedLog()}))
		assert.Len(t, e.fake.CheckRuns(org, repoName), 1)
		assert.Empty(t, e.fake.Issues(org, repoName))
	})
	t.Run("broken file is reported, defaults apply", func(t *testing.T) {
		e := newEnv(t, allPermissions)
		e.fake.SetFile(org, repoName, "main", ".github/ghcr-doctor.yml", []byte("report: [oops\n"))
		e.deliver("workflow_run", e.addRun(scenario{workflow: wfSeed, log: seedLog()}))
		body := e.reportBody(scenario{})
		assert.Contains(t, body, "ghcr-doctor.yml")
		crs := e.fake.CheckRuns(org, repoName)
		require.Len(t, crs, 1)
		assert.Contains(t, crs[0].Output.Summary+crs[0].Output.Text, "ghcr-doctor.yml")
	})
}

func TestRefusedDeliveries(t *testing.T) {
	e := newEnv(t, allPermissions)
	payload := e.addRun(scenario{workflow: wfSeed, log: seedLog()})
	post := func(body []byte, headers map[string]string) *http.Response {
		req, err := http.NewRequest(http.MethodPost, e.hookURL, bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	before := len(e.fake.Requests())
	tests := []struct {
		name    string
		body    []byte
		headers map[string]string
		want    int
	}{
		{"unsigned", payload, map[string]string{"X-GitHub-Event": "workflow_run", "X-GitHub-Delivery": "d1"}, http.StatusUnauthorized},
		{"forged signature", payload, map[string]string{"X-GitHub-Event": "workflow_run", "X-GitHub-Delivery": "d2",
			"X-Hub-Signature-256": githubfake.Sign([]byte("wrong secret"), payload)}, http.StatusUnauthorized},
		{"signed for another body", payload, map[string]string{"X-GitHub-Event": "workflow_run", "X-GitHub-Delivery": "d3",
			"X-Hub-Signature-256": githubfake.Sign([]byte(webhookSecret), []byte("{}"))}, http.StatusUnauthorized},
		{"malformed payload", []byte(`{"action":"completed","workflow_run":`), map[string]string{"X-GitHub-Event": "workflow_run",
			"X-GitHub-Delivery": "d4", "X-Hub-Signature-256": githubfake.Sign([]byte(webhookSecret), []byte(`{"action":"completed","workflow_run":`))}, http.StatusBadRequest},
		{"payload without a run", []byte(`{"action":"completed"}`), map[string]string{"X-GitHub-Event": "workflow_run",
			"X-GitHub-Delivery": "d5", "X-Hub-Signature-256": githubfake.Sign([]byte(webhookSecret), []byte(`{"action":"completed"}`))}, http.StatusBadRequest},
		{"no event header", payload, map[string]string{"X-Hub-Signature-256": githubfake.Sign([]byte(webhookSecret), payload)}, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, post(tt.body, tt.headers).StatusCode)
		})
	}
	require.NoError(t, e.srv.WaitIdle())
	assert.Equal(t, before, len(e.fake.Requests()), "refused deliveries cause no GitHub call")
	assert.Empty(t, e.fake.CheckRuns(org, repoName))
	assert.NotContains(t, e.logs.String(), webhookSecret, "the secret never reaches the log")
}

func TestHealthAndMetrics(t *testing.T) {
	e := newEnv(t, allPermissions)
	e.deliver("workflow_run", e.addRun(scenario{workflow: wfSeed, log: seedLog()}))
	base := strings.TrimSuffix(e.hookURL, "/api/github/hook")
	resp, err := http.Get(base + "/api/health")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	resp, err = http.Get(base + "/api/live")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	resp, err = http.Get(base + "/api/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	text := b.String()
	assert.Contains(t, text, `ghcr_doctor_webhooks_total{event="workflow_run",outcome="accepted"} 1`)
	assert.Contains(t, text, `ghcr_doctor_diagnoses_total{cause="package_access"} 1`)
	assert.Contains(t, text, `ghcr_doctor_jobs_total{kind="diagnose_run",outcome="ok"} 1`)
	assert.Contains(t, text, "ghcr_doctor_github_requests_total")
}
