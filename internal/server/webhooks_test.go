package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/metrics"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

type recordingQueue struct{ jobs []queue.Job }

func (r *recordingQueue) Enqueue(_ context.Context, job queue.Job) error {
	r.jobs = append(r.jobs, job)
	return nil
}

func workflowRunPayload(t *testing.T, action, conclusion string) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"action": action,
		"workflow_run": map[string]any{"id": 42, "run_attempt": 1, "name": "Release", "path": ".github/workflows/release.yml",
			"event": "push", "head_sha": "abc", "head_branch": "main", "conclusion": conclusion},
		"repository":   map[string]any{"id": 1, "name": "app", "owner": map[string]any{"login": "acme", "type": "Organization"}},
		"installation": map[string]any{"id": 5},
	})
	require.NoError(t, err)
	return body
}

// Only a delivery for which a job was queued counts as accepted (202); a
// workflow_run the handler skips (requested, in_progress, a cancelled run)
// is ignored (200).
func TestWebhookOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		action     string
		conclusion string
		wantStatus int
		want       string
	}{
		{"requested", "requested", "", http.StatusOK, metrics.WebhookIgnored},
		{"in progress", "in_progress", "", http.StatusOK, metrics.WebhookIgnored},
		{"a cancelled run", "completed", "cancelled", http.StatusOK, metrics.WebhookIgnored},
		{"a failed run", "completed", "failure", http.StatusAccepted, metrics.WebhookAccepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := metrics.New()
			q := &recordingQueue{}
			h := webhookHandler(guardSecret, q, nil, nil, m)
			body := workflowRunPayload(t, tt.action, tt.conclusion)
			req := httptest.NewRequest(http.MethodPost, HookPath, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-GitHub-Event", "workflow_run")
			req.Header.Set("X-GitHub-Delivery", "d-1")
			req.Header.Set("X-Hub-Signature-256", "sha256="+hmacHex(sha256.New, body))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			assert.Equal(t, tt.wantStatus, rec.Code, rec.Body.String())
			assert.Equal(t, tt.want == metrics.WebhookAccepted, len(q.jobs) == 1, "a job is queued")
			for _, outcome := range metrics.WebhookOutcomes {
				want := 0.0
				if outcome == tt.want {
					want = 1
				}
				var got dto.Metric
				require.NoError(t, m.Webhooks.WithLabelValues("workflow_run", outcome).Write(&got))
				assert.Equal(t, want, got.GetCounter().GetValue(), outcome)
			}
		})
	}
}

// A delivery the dispatcher finds invalid is unauthorized unless the hook
// guard verified its signature, whatever the error's text says.
func TestWebhookValidationErrors(t *testing.T) {
	tests := []struct {
		name       string
		verified   bool
		cause      error
		wantStatus int
	}{
		{"verified, the error mentions a signature", true, errors.New("payload signature check failed"), http.StatusBadRequest},
		{"verified", true, errors.New("unsupported Content-Type"), http.StatusBadRequest},
		{"not verified", false, errors.New("unsupported Content-Type"), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, HookPath, nil)
			if tt.verified {
				req = withDelivery(req, &delivery{verified: true})
			}
			rec := httptest.NewRecorder()
			webhookErrorCallback(metrics.New())(rec, req, githubapp.ValidationError{EventType: "workflow_run", Cause: tt.cause})
			assert.Equal(t, tt.wantStatus, rec.Code)
		})
	}
}

// The help texts name every outcome the server and the queue report, and
// say what the duration measures.
func TestMetricHelpTexts(t *testing.T) {
	m := metrics.New()
	// A vector without children is not gathered; its description holds the help.
	describe := func(c prometheus.Collector) string {
		descs := make(chan *prometheus.Desc, 1)
		c.Describe(descs)
		return (<-descs).String()
	}
	help := map[string]string{
		"ghcr_doctor_webhooks_total":       describe(m.Webhooks),
		"ghcr_doctor_jobs_total":           describe(m.Jobs),
		"ghcr_doctor_job_duration_seconds": describe(m.JobDuration),
	}
	for _, outcome := range metrics.WebhookOutcomes {
		assert.Contains(t, help["ghcr_doctor_webhooks_total"], outcome)
	}
	for _, outcome := range queue.Outcomes {
		assert.Contains(t, help["ghcr_doctor_jobs_total"], outcome)
	}
	assert.Contains(t, help["ghcr_doctor_job_duration_seconds"], "attempt")
	assert.Contains(t, help["ghcr_doctor_job_duration_seconds"], "wait in the queue")
}
