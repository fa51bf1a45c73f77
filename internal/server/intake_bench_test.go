package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/metrics"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

type discardQueue struct{}

func (discardQueue) Enqueue(context.Context, queue.Job) error { return nil }

// realisticRunEvent is a workflow_run delivery as the simulated GitHub
// builds it: every field GitHub sends.
func realisticRunEvent(b *testing.B, action string) []byte {
	b.Helper()
	fake := githubfake.New(githubfake.Options{})
	b.Cleanup(fake.Close)
	fake.AddInstallation(5, "acme", "Organization", map[string]string{"actions": "read"})
	fake.AddRepo(githubfake.Repo{Owner: "acme", Name: "app", InstallationID: 5})
	fake.AddRun("acme", "app", githubfake.Run{ID: 42, Attempt: 1, Name: "Release", Path: ".github/workflows/release.yml",
		HeadSHA: "0123456789abcdef0123456789abcdef01234567", HeadBranch: "main", Conclusion: "failure", Actor: "octocat"})
	return fake.WorkflowRunEvent(action, "acme", "app", 42)
}

// BenchmarkWebhookIntake measures the webhook handler's own work per
// delivery (guard, dispatch, handler; a queue that stores nothing): the
// CPU the intake spends besides the database.
func BenchmarkWebhookIntake(b *testing.B) {
	for _, action := range []string{"in_progress", "completed"} {
		b.Run(action, func(b *testing.B) {
			body := realisticRunEvent(b, action)
			h := webhookHandler(guardSecret, discardQueue{}, nil, nil, metrics.New())
			sig := "sha256=" + hmacHex(sha256.New, body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, HookPath, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-GitHub-Event", "workflow_run")
				req.Header.Set("X-GitHub-Delivery", "d-1")
				req.Header.Set("X-Hub-Signature-256", sig)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code >= 300 {
					b.Fatalf("answered %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
