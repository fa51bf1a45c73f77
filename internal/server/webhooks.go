package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/handlers"
	"github.com/ghcr-doctor/ghcr-doctor/internal/metrics"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
	"github.com/ghcr-doctor/ghcr-doctor/internal/version"
)

// webhookErrorCallback answers a refused delivery: 401 for a missing or
// forged signature, 400 for a malformed one, 503 when the queue is full.
func webhookErrorCallback(m *metrics.Metrics) githubapp.ErrorCallback {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		event := r.Header.Get("X-GitHub-Event")
		logger := zerolog.Ctx(r.Context())
		var (
			ve     githubapp.ValidationError
			bad    *handlers.BadPayloadError
			tooBig *http.MaxBytesError
		)
		status, outcome := http.StatusInternalServerError, metrics.WebhookError
		switch {
		case errors.As(err, &tooBig):
			status, outcome = http.StatusRequestEntityTooLarge, metrics.WebhookBadRequest
		case errors.As(err, &ve) && ve.EventType == "":
			status, outcome = http.StatusBadRequest, metrics.WebhookBadRequest
		case errors.As(err, &ve) && !signatureVerified(r.Context()):
			status, outcome = http.StatusUnauthorized, metrics.WebhookUnauthorized
		case errors.As(err, &ve):
			status, outcome = http.StatusBadRequest, metrics.WebhookBadRequest
		case errors.As(err, &bad):
			status, outcome = http.StatusBadRequest, metrics.WebhookBadRequest
		case errors.Is(err, queue.ErrUnavailable):
			status, outcome = http.StatusServiceUnavailable, metrics.WebhookUnavailable
		}
		logger.Warn().Err(err).Int("status", status).Msg("Refused a webhook delivery.")
		m.Webhooks.WithLabelValues(eventLabel(event), outcome).Inc()
		writeJSON(w, status, map[string]string{"error": publicMessage(status, err)})
	}
}

// signatureVerified says the hook guard checked the delivery's signature:
// a delivery the dispatcher then finds invalid is malformed, not forged.
func signatureVerified(ctx context.Context) bool {
	d := deliveryOf(ctx)
	return d != nil && d.verified
}

// publicMessage says what was wrong without echoing internals.
func publicMessage(status int, err error) string {
	switch status {
	case http.StatusUnauthorized:
		return "missing or invalid X-Hub-Signature-256"
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		return err.Error()
	case http.StatusServiceUnavailable:
		return "busy, please redeliver later"
	}
	return "internal error"
}

func webhookResponseCallback(m *metrics.Metrics) githubapp.ResponseCallback {
	return func(w http.ResponseWriter, r *http.Request, event string, handled bool) {
		outcome := metrics.WebhookIgnored
		status := http.StatusOK
		if d := deliveryOf(r.Context()); handled && d != nil && d.queued.Load() {
			outcome, status = metrics.WebhookAccepted, http.StatusAccepted
		}
		m.Webhooks.WithLabelValues(eventLabel(event), outcome).Inc()
		writeJSON(w, status, map[string]string{"status": outcome})
	}
}

// eventLabel keeps metric label values to known events.
func eventLabel(event string) string {
	switch event {
	case "workflow_run", "issue_comment", "check_run", "pull_request", "push", "ping", "installation", "installation_repositories":
		return event
	}
	return "other"
}

// health reports the server and its database: 503 when the queue's
// database cannot be reached, since no webhook could then be accepted. It
// also reports whether GitHub accepts the App's credentials, without
// changing the status: webhooks are still stored until they are fixed.
func health(q interface{ Ping(context.Context) error }, creds *credentialState) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := q.Ping(ctx); err != nil {
			zerolog.Ctx(r.Context()).Error().Err(err).Msg("Health check: the database is unreachable.")
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "version": version.Version, "database": "unreachable"})
			return
		}
		body := map[string]string{"status": "ok", "version": version.Version, "database": "ok"}
		state, detail := creds.get(ctx)
		body["credentials"] = state
		if detail != "" {
			body["credentials_detail"] = detail
		}
		writeJSON(w, http.StatusOK, body)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
