package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

type recordingQueue struct{ jobs []queue.Job }

func (r *recordingQueue) Enqueue(_ context.Context, j queue.Job) error {
	r.jobs = append(r.jobs, j)
	return nil
}

func payload(action, conclusion string, mutate func(m map[string]any)) []byte {
	m := map[string]any{
		"action": action,
		"workflow_run": map[string]any{
			"id": 42, "run_attempt": 2, "name": "Release", "path": ".github/workflows/release.yml",
			"event": "pull_request", "head_sha": "abc", "head_branch": "feature", "conclusion": conclusion,
			"head_repository": map[string]any{"full_name": "fork/app"},
			"actor":           map[string]any{"login": "octocat"},
			"pull_requests": []any{
				map[string]any{"number": 7, "base": map[string]any{"repo": map[string]any{"id": 1}}},
				map[string]any{"number": 9, "base": map[string]any{"repo": map[string]any{"id": 999}}},
			},
		},
		"repository":   map[string]any{"id": 1, "name": "app", "owner": map[string]any{"login": "acme", "type": "Organization"}},
		"installation": map[string]any{"id": 5},
	}
	if mutate != nil {
		mutate(m)
	}
	b, _ := json.Marshal(m)
	return b
}

func TestWorkflowRunHandler(t *testing.T) {
	tests := []struct {
		name    string
		body    []byte
		queued  bool
		badBody bool
	}{
		{name: "failed run is queued", body: payload("completed", "failure", nil), queued: true},
		{name: "successful run is queued to close out reports", body: payload("completed", "success", nil), queued: true},
		{name: "cancelled run is ignored", body: payload("completed", "cancelled", nil)},
		{name: "requested is ignored", body: payload("requested", "", nil)},
		{name: "in_progress is ignored", body: payload("in_progress", "", nil)},
		{name: "not JSON", body: []byte("{"), badBody: true},
		{name: "no run", body: payload("completed", "failure", func(m map[string]any) { delete(m, "workflow_run") }), badBody: true},
		{name: "no installation", body: payload("completed", "failure", func(m map[string]any) { delete(m, "installation") }), badBody: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &recordingQueue{}
			h := &WorkflowRun{Base: Base{Queue: q}}
			err := h.Handle(context.Background(), "workflow_run", "delivery-1", tt.body)
			if tt.badBody {
				var bad *BadPayloadError
				require.True(t, errors.As(err, &bad), "err = %v", err)
				assert.Empty(t, q.jobs)
				return
			}
			require.NoError(t, err)
			if !tt.queued {
				assert.Empty(t, q.jobs)
				return
			}
			require.Len(t, q.jobs, 1)
			var ev triage.RunEvent
			require.NoError(t, json.Unmarshal(q.jobs[0].Payload, &ev))
			assert.Equal(t, KindDiagnoseRun, q.jobs[0].Kind)
			assert.Contains(t, q.jobs[0].Key, "acme/app:42:2:")
			assert.Equal(t, ".github/workflows/release.yml", ev.Run.Path)
			assert.Equal(t, []int{7}, ev.Run.PullRequests, "pull requests of other repositories are dropped")
			assert.Equal(t, "fork/app", ev.Run.HeadRepo)
			assert.EqualValues(t, 5, ev.InstallationID)
			assert.Equal(t, "Organization", ev.Repo.OwnerType)
		})
	}
}
