package githubfake

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hookSecret = "s3cret"

// hookTarget is a webhook receiver that validates signatures like an app does.
type hookTarget struct {
	mu       sync.Mutex
	status   int
	received []*http.Request
	bodies   [][]byte
}

func (h *hookTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.received = append(h.received, r)
	h.bodies = append(h.bodies, body)
	if _, err := github.ValidatePayloadFromBody(r.Header.Get("Content-Type"), bytesReader(body), r.Header.Get("X-Hub-Signature-256"), []byte(hookSecret)); err != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if h.status != 0 {
		w.WriteHeader(h.status)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (h *hookTarget) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.received)
}

func startTarget(t *testing.T, s *Server) *hookTarget {
	t.Helper()
	h := &hookTarget{}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	s.SetWebhookTarget(srv.URL, hookSecret)
	return h
}

func TestDeliverSignsAndRecords(t *testing.T) {
	s := newFake(t, fullPerms)
	addFailedRun(s, "log")
	target := startTarget(t, s)

	payload := s.WorkflowRunEvent("completed", testOrg, testRepo, testRunID)
	res, err := s.Deliver(context.Background(), "workflow_run", payload)
	require.NoError(t, err)
	assert.Equal(t, http.StatusAccepted, res.StatusCode)

	require.Equal(t, 1, target.count())
	r := target.received[0]
	assert.Equal(t, "workflow_run", r.Header.Get("X-GitHub-Event"))
	assert.Equal(t, res.GUID, r.Header.Get("X-GitHub-Delivery"))
	assert.Equal(t, Sign([]byte(hookSecret), payload), r.Header.Get("X-Hub-Signature-256"))
	assert.NotEmpty(t, r.Header.Get("X-Hub-Signature"))
	assert.Equal(t, "integration", r.Header.Get("X-GitHub-Hook-Installation-Target-Type"))
	assert.Equal(t, "4242", r.Header.Get("X-GitHub-Hook-Installation-Target-ID"))
	assert.Contains(t, r.Header.Get("User-Agent"), "GitHub-Hookshot/")

	deliveries := s.Deliveries()
	require.Len(t, deliveries, 1)
	assert.Equal(t, "OK", deliveries[0].Status)
	assert.Equal(t, "completed", deliveries[0].Action)
	assert.Equal(t, testInstID, deliveries[0].InstallationID)
	assert.Equal(t, int64(300029405), deliveries[0].RepositoryID)

	target.status = http.StatusServiceUnavailable
	_, err = s.Deliver(context.Background(), "workflow_run", payload)
	require.NoError(t, err)
	assert.Equal(t, "Invalid HTTP Response: 503", s.Deliveries()[1].Status)
}

func TestWorkflowRunEventShape(t *testing.T) {
	s := newFake(t, fullPerms)
	pr := s.AddPull(testOrg, testRepo, Pull{Title: "change", HeadSHA: testHeadSHA, HeadRef: "changes"})
	fork := s.AddPull(testOrg, testRepo, Pull{Title: "fork", HeadSHA: testHeadSHA, HeadRef: "main", HeadRepoFullName: "contributor/octo-repo"})
	s.AddRun(testOrg, testRepo, Run{ID: testRunID, Name: "release", Path: ".github/workflows/release.yml", HeadSHA: testHeadSHA,
		HeadBranch: "changes", Event: "pull_request", Conclusion: "failure", Actor: "octocat", PullRequests: []int{pr, fork}})
	payload := s.WorkflowRunEvent("completed", testOrg, testRepo, testRunID)

	var got map[string]any
	require.NoError(t, json.Unmarshal(payload, &got))
	assert.Empty(t, missingKeys("", readFixture(t, "workflow_run.completed.json"), got))
	assert.Equal(t, map[string]any{"id": float64(testInstID), "node_id": nodeID("23:Installation", testInstID)}, got["installation"])

	parsed, err := github.ParseWebHook("workflow_run", payload)
	require.NoError(t, err)
	event := parsed.(*github.WorkflowRunEvent)
	assert.Equal(t, "completed", event.GetAction())
	assert.Equal(t, testRunID, event.GetWorkflowRun().GetID())
	assert.Equal(t, "failure", event.GetWorkflowRun().GetConclusion())
	assert.Equal(t, testOrg, event.GetOrg().GetLogin())
	assert.Equal(t, ".github/workflows/release.yml", event.GetWorkflow().GetPath())
	require.Len(t, event.GetWorkflowRun().PullRequests, 1, "pull requests from forks are left out, as GitHub does")
	assert.Equal(t, pr, event.GetWorkflowRun().PullRequests[0].GetNumber())
	assert.Equal(t, "changes", event.GetWorkflowRun().PullRequests[0].GetHead().GetRef())
	assert.Equal(t, s.BranchSHA(testOrg, testRepo, "main"), event.GetWorkflowRun().PullRequests[0].GetBase().GetSHA())
}

func TestIssueCommentAndRequestedActionEvents(t *testing.T) {
	s := newFake(t, fullPerms)
	addFailedRun(s, "log")
	pr := s.AddPull(testOrg, testRepo, Pull{Title: "change", HeadSHA: testHeadSHA, HeadRef: "changes"})

	payload := s.IssueCommentEvent(testOrg, testRepo, pr, 0, "maintainer", "/ghcr fix", "created", true)
	var got map[string]any
	require.NoError(t, json.Unmarshal(payload, &got))
	assert.Empty(t, missingKeys("", readFixture(t, "issue_comment.created.json"), got))
	parsed, err := github.ParseWebHook("issue_comment", payload)
	require.NoError(t, err)
	event := parsed.(*github.IssueCommentEvent)
	assert.True(t, event.GetIssue().IsPullRequest())
	assert.Equal(t, "/ghcr fix", event.GetComment().GetBody())
	assert.Equal(t, testInstID, event.GetInstallation().GetID())
	comments := s.Comments(testOrg, testRepo, pr)
	require.Len(t, comments, 1, "the comment exists so the app can react to it")
	assert.Equal(t, event.GetComment().GetID(), comments[0].ID)

	client := installationClient(t, s, testInstID)
	check, _, err := client.Checks.CreateCheckRun(context.Background(), testOrg, testRepo, github.CreateCheckRunOptions{Name: "ghcr-doctor", HeadSHA: testHeadSHA,
		Actions: []*github.CheckRunAction{{Label: "Fix", Description: "Open a fix PR", Identifier: "fix"}}})
	require.NoError(t, err)
	payload = s.CheckRunRequestedActionEvent(testOrg, testRepo, check.GetID(), "fix", "maintainer")
	got = nil
	require.NoError(t, json.Unmarshal(payload, &got))
	want := readFixture(t, "check_run.requested_action.json")
	delete(want["check_run"].(map[string]any)["app"].(map[string]any), "permissions")
	delete(want["check_run"].(map[string]any)["check_suite"].(map[string]any)["app"].(map[string]any), "permissions")
	assert.Empty(t, missingKeys("", want, got))
	parsed, err = github.ParseWebHook("check_run", payload)
	require.NoError(t, err)
	checkEvent := parsed.(*github.CheckRunEvent)
	assert.Equal(t, "fix", checkEvent.GetRequestedAction().Identifier)
	assert.Equal(t, check.GetID(), checkEvent.GetCheckRun().GetID())
	assert.Equal(t, pr, checkEvent.GetCheckRun().PullRequests[0].GetNumber())
}

func TestDeliveriesCursorPaginationAndRedelivery(t *testing.T) {
	s := newFake(t, fullPerms)
	addFailedRun(s, "log")
	payload := s.WorkflowRunEvent("completed", testOrg, testRepo, testRunID)
	var ids []int64
	for i := 0; i < 5; i++ {
		ids = append(ids, s.RecordFailedDelivery("workflow_run", payload).DeliveryID)
	}
	client := appClient(t, s)
	ctx := context.Background()

	var listed []int64
	pages := 0
	opts := &github.ListCursorOptions{PerPage: 2}
	for {
		page, resp, err := client.Apps.ListHookDeliveries(ctx, opts)
		require.NoError(t, err)
		pages++
		for _, d := range page {
			listed = append(listed, d.GetID())
			assert.Equal(t, "failed to connect to host", d.GetStatus())
			assert.Equal(t, testInstID, d.GetInstallationID())
		}
		if resp.Cursor == "" {
			break
		}
		opts.Cursor = resp.Cursor
	}
	assert.Equal(t, 3, pages)
	assert.Equal(t, []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}, listed, "newest first")

	one, _, err := client.Apps.GetHookDelivery(ctx, ids[0])
	require.NoError(t, err)
	assert.Equal(t, "workflow_run", one.GetEvent())
	require.NotNil(t, one.Request)
	assert.JSONEq(t, string(payload), string(*one.Request.RawPayload))

	target := startTarget(t, s)
	_, _, err = client.Apps.RedeliverHookDelivery(ctx, ids[0])
	var accepted *github.AcceptedError
	require.True(t, errors.As(err, &accepted), "202 Accepted surfaces as *github.AcceptedError, got %v", err)
	waitCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	require.NoError(t, s.WaitRedeliveries(waitCtx))

	require.Equal(t, 1, target.count())
	assert.Equal(t, one.GetGUID(), target.received[0].Header.Get("X-GitHub-Delivery"), "redelivery keeps the GUID")
	assert.Equal(t, Sign([]byte(hookSecret), payload), target.received[0].Header.Get("X-Hub-Signature-256"))
	assert.Equal(t, []int64{ids[0]}, s.Redeliveries())
	all := s.Deliveries()
	last := all[len(all)-1]
	assert.True(t, last.Redelivery)
	assert.Equal(t, "OK", last.Status)
	assert.Equal(t, http.StatusAccepted, last.StatusCode)

	_, _, err = client.Apps.RedeliverHookDelivery(ctx, 1)
	requireStatus(t, err, http.StatusNotFound)
}

func TestDeliverWithoutTarget(t *testing.T) {
	s := newFake(t, fullPerms)
	_, err := s.Deliver(context.Background(), "ping", []byte(`{}`))
	require.ErrorIs(t, err, errNoWebhookTarget)
}
