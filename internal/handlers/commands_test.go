package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/commands"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// captureQueue records the jobs it is given.
type captureQueue struct {
	mu   sync.Mutex
	jobs []queue.Job
}

func (q *captureQueue) Enqueue(_ context.Context, job queue.Job) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.jobs = append(q.jobs, job)
	return nil
}

func fakeRepo() *githubfake.Server {
	fake := githubfake.New(githubfake.Options{AppSlug: "ghcr-doctor"})
	fake.AddInstallation(7, "acme", "Organization", nil)
	fake.AddRepo(githubfake.Repo{Owner: "acme", Name: "app", OwnerType: "Organization", InstallationID: 7})
	return fake
}

func TestIssueCommentQueuesCommands(t *testing.T) {
	fake := fakeRepo()
	t.Cleanup(fake.Close)
	tests := []struct {
		name   string
		user   string
		body   string
		action string
		want   []commands.Verb
	}{
		{"command", "maya", "/ghcr fix\n/ghcr retry", "created", []commands.Verb{commands.VerbFix, commands.VerbRetry}},
		{"unknown command is help", "maya", "/ghcr what", "created", []commands.Verb{commands.VerbHelp}},
		{"at most three commands", "maya", "/ghcr fix\n/ghcr retry\n/ghcr recheck\n/ghcr help", "created", []commands.Verb{commands.VerbFix, commands.VerbRetry, commands.VerbRecheck}},
		{"no command", "maya", "LGTM", "created", nil},
		{"quoted command", "maya", "> /ghcr fix", "created", nil},
		{"edited", "maya", "/ghcr fix", "edited", nil},
		{"deleted", "maya", "/ghcr fix", "deleted", nil},
		{"bot", "renovate[bot]", "/ghcr fix", "created", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &captureQueue{}
			h := &IssueComment{Base: Base{Queue: q}}
			payload := fake.IssueCommentEvent("acme", "app", 12, 0, tt.user, tt.body, tt.action, true)
			require.NoError(t, h.Handle(context.Background(), "issue_comment", "d1", payload))
			if tt.want == nil {
				assert.Empty(t, q.jobs)
				return
			}
			require.Len(t, q.jobs, 1)
			job := q.jobs[0]
			assert.Equal(t, KindCommand, job.Kind)
			var req commands.Request
			require.NoError(t, json.Unmarshal(job.Payload, &req))
			var verbs []commands.Verb
			for _, c := range req.Commands {
				verbs = append(verbs, c.Verb)
			}
			assert.Equal(t, tt.want, verbs)
			assert.Equal(t, tt.user, req.Sender.Login)
			assert.Equal(t, "main", req.Repo.DefaultBranch)
			assert.Equal(t, "Organization", req.Repo.OwnerType)
			require.NotNil(t, req.Comment)
			assert.Equal(t, 12, req.Comment.Issue)
			assert.True(t, req.Comment.IsPR)
			assert.Contains(t, job.Key, "comment:")
			assert.Equal(t, "command:acme/app", job.Serial, "commands on one repository run one at a time")
			assert.Equal(t, tt.name == "at most three commands", req.Dropped == 1)
		})
	}
}

func TestIssueCommentRejectsMalformedPayloads(t *testing.T) {
	h := &IssueComment{Base: Base{Queue: &captureQueue{}}}
	var bad *BadPayloadError
	assert.True(t, errors.As(h.Handle(context.Background(), "issue_comment", "d", []byte(`{"action":`)), &bad))
	assert.True(t, errors.As(h.Handle(context.Background(), "issue_comment", "d", []byte(`{"action":"created"}`)), &bad))
}

// checkRunEvent is a check_run requested_action payload, as GitHub sends it.
func checkRunEvent(t *testing.T, name, identifier, user, userType string) []byte {
	t.Helper()
	return checkRunEventAction(t, "requested_action", name, identifier, user, userType)
}

// checkRunEventAction is a check_run payload with any action; identifier
// "" leaves requested_action out, as for rerequested.
func checkRunEventAction(t *testing.T, action, name, identifier, user, userType string) []byte {
	t.Helper()
	ev := map[string]any{
		"action": action,
		"check_run": map[string]any{
			"id": 55, "name": name, "head_sha": "0123456789abcdef0123456789abcdef01234567",
			"external_id": "wf:.github/workflows/release.yml", "status": "completed", "conclusion": "action_required",
			"details_url": "https://github.com/acme/app/actions/runs/7001", "html_url": "https://github.com/acme/app/runs/55",
			"output": map[string]any{"title": "t", "summary": "s"},
		},
		"repository": map[string]any{"id": 1, "name": "app", "full_name": "acme/app", "default_branch": "main",
			"owner": map[string]any{"login": "acme", "type": "Organization"}},
		"installation": map[string]any{"id": 7},
		"sender":       map[string]any{"login": user, "type": userType},
	}
	if identifier != "" {
		ev["requested_action"] = map[string]any{"identifier": identifier}
	}
	b, err := json.Marshal(ev)
	require.NoError(t, err)
	return b
}

func TestCheckRunQueuesButtons(t *testing.T) {
	tests := []struct {
		name       string
		checkRun   string
		identifier string
		user, typ  string
		want       commands.Verb
	}{
		{"fix", report.CheckRunName, report.ActionFixID, "maya", "User", commands.VerbFix},
		{"recheck", report.CheckRunName, report.ActionRecheckID, "maya", "User", commands.VerbRecheck},
		{"unknown button", report.CheckRunName, "something", "maya", "User", ""},
		{"another check run", "lint", report.ActionFixID, "maya", "User", ""},
		{"bot", report.CheckRunName, report.ActionFixID, "robot", "Bot", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &captureQueue{}
			h := &CheckRun{Base: Base{Queue: q}}
			require.NoError(t, h.Handle(context.Background(), "check_run", "d2", checkRunEvent(t, tt.checkRun, tt.identifier, tt.user, tt.typ)))
			if tt.want == "" {
				assert.Empty(t, q.jobs)
				return
			}
			require.Len(t, q.jobs, 1)
			var req commands.Request
			require.NoError(t, json.Unmarshal(q.jobs[0].Payload, &req))
			require.Len(t, req.Commands, 1)
			assert.Equal(t, tt.want, req.Commands[0].Verb)
			require.NotNil(t, req.CheckRun)
			assert.Equal(t, int64(55), req.CheckRun.ID)
			assert.Equal(t, "wf:.github/workflows/release.yml", req.CheckRun.ExternalID)
			assert.Equal(t, "https://github.com/acme/app/actions/runs/7001", req.CheckRun.DetailsURL)
			assert.Equal(t, commands.EventRequestedAction, req.Event)
			assert.Equal(t, "main", req.Repo.DefaultBranch)
			assert.NotContains(t, q.jobs[0].Key, "d2", "the unsigned delivery id is no part of the key")
			assert.Equal(t, "command:acme/app", q.jobs[0].Serial, "buttons queue behind the repository's other commands")
		})
	}
}

func TestCheckRunIgnoresOtherActions(t *testing.T) {
	q := &captureQueue{}
	h := &CheckRun{Base: Base{Queue: q}}
	payload := []byte(`{"action":"completed","check_run":{"id":1,"name":"ghcr-doctor"},"repository":{"name":"app","owner":{"login":"acme"}},"installation":{"id":7}}`)
	require.NoError(t, h.Handle(context.Background(), "check_run", "d", payload))
	assert.Empty(t, q.jobs)
	var bad *BadPayloadError
	assert.True(t, errors.As(h.Handle(context.Background(), "check_run", "d", []byte(`{"action":"requested_action"}`)), &bad))
}

// TestCheckRunPressKey: a press is keyed on the signed body, so the same body
// under another delivery id is one job, and a later press is another.
func TestCheckRunPressKey(t *testing.T) {
	body := func(mutate func(ev, checkRun map[string]any)) []byte {
		var ev map[string]any
		require.NoError(t, json.Unmarshal(checkRunEvent(t, report.CheckRunName, report.ActionFixID, "maya", "User"), &ev))
		checkRun := ev["check_run"].(map[string]any)
		checkRun["completed_at"] = "2024-05-01T10:00:00Z"
		checkRun["check_suite"] = map[string]any{"id": 9, "updated_at": "2024-05-01T10:00:05Z"}
		if mutate != nil {
			mutate(ev, checkRun)
		}
		b, err := json.Marshal(ev)
		require.NoError(t, err)
		return b
	}
	tests := []struct {
		name   string
		second []byte
		same   bool
	}{
		{"same body, another delivery id", body(nil), true},
		{"another requester", body(func(ev, _ map[string]any) { ev["sender"] = map[string]any{"login": "rita", "type": "User"} }), false},
		{"another button", body(func(ev, _ map[string]any) {
			ev["requested_action"] = map[string]any{"identifier": report.ActionRecheckID}
		}), false},
		{"another check run", body(func(_, checkRun map[string]any) { checkRun["id"] = 56 }), false},
		{"the check run was updated since", body(func(_, checkRun map[string]any) {
			checkRun["check_suite"] = map[string]any{"id": 9, "updated_at": "2024-05-01T10:01:00Z"}
		}), false},
		{"the check run was completed again", body(func(_, checkRun map[string]any) { checkRun["completed_at"] = "2024-05-01T10:02:00Z" }), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &captureQueue{}
			h := &CheckRun{Base: Base{Queue: q}}
			require.NoError(t, h.Handle(context.Background(), "check_run", "delivery-1", body(nil)))
			require.NoError(t, h.Handle(context.Background(), "check_run", "delivery-2", tt.second))
			require.Len(t, q.jobs, 2)
			assert.Equal(t, tt.same, q.jobs[0].Key == q.jobs[1].Key, "keys %q and %q", q.jobs[0].Key, q.jobs[1].Key)
		})
	}
}
