package server

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rs/zerolog"
	"golang.org/x/sync/semaphore"

	"github.com/ghcr-doctor/ghcr-doctor/internal/metrics"
)

// maxInFlightBytes bounds the webhook bodies being read at once, across
// every request: two deliveries of GitHub's maximum size, or thousands of
// ordinary ones. A body costs about three times its size while it is
// checked, decoded and queued, so this keeps the endpoint well inside a
// 512 MiB container whatever is sent to it.
const maxInFlightBytes = 2 * maxPayloadBytes

// busyRetryAfter is the Retry-After, in seconds, of a 503 for a full budget.
const busyRetryAfter = "5"

// signaturePrefix is the only signature GitHub's documentation (and the
// README) accept: HMAC-SHA256 in X-Hub-Signature-256.
const signaturePrefix = "sha256="

// hookGuard admits webhook deliveries before the dispatcher sees them: a
// request without a well-formed X-Hub-Signature-256 gets 401 before a byte
// of its body is read; a body announced over GitHub's maximum gets 413; a
// body that would take the bytes being read at once past the budget gets
// 503 with Retry-After; the body is hashed while it streams in and a
// signature that does not match gets 401. Only then is the delivery, with
// its body in memory once, handed to next.
type hookGuard struct {
	secret  []byte
	next    http.Handler
	maxBody int64
	budget  *semaphore.Weighted
	metrics *metrics.Metrics
}

func newHookGuard(secret string, next http.Handler, maxBody, budget int64, m *metrics.Metrics) *hookGuard {
	return &hookGuard{secret: []byte(secret), next: next, maxBody: maxBody, budget: semaphore.NewWeighted(budget), metrics: m}
}

func (g *hookGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	want, ok := parseSignature(r.Header.Get("X-Hub-Signature-256"))
	if !ok {
		g.refuse(w, r, http.StatusUnauthorized, metrics.WebhookUnauthorized, "missing or invalid X-Hub-Signature-256")
		return
	}
	if r.ContentLength > g.maxBody {
		g.refuse(w, r, http.StatusRequestEntityTooLarge, metrics.WebhookBadRequest, tooLargeMessage(g.maxBody))
		return
	}
	// A body of unknown length may be as large as GitHub allows.
	reserve := r.ContentLength
	if reserve < 0 {
		reserve = g.maxBody
	}
	if !g.budget.TryAcquire(reserve) {
		w.Header().Set("Retry-After", busyRetryAfter)
		g.refuse(w, r, http.StatusServiceUnavailable, metrics.WebhookUnavailable, "busy, please redeliver later")
		return
	}
	defer g.budget.Release(reserve)

	body, sum, err := g.read(w, r, reserve)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		g.refuse(w, r, http.StatusRequestEntityTooLarge, metrics.WebhookBadRequest, tooLargeMessage(g.maxBody))
		return
	case err != nil:
		g.refuse(w, r, http.StatusBadRequest, metrics.WebhookBadRequest, "could not read the body")
		return
	case !hmac.Equal(sum, want):
		g.refuse(w, r, http.StatusUnauthorized, metrics.WebhookUnauthorized, "missing or invalid X-Hub-Signature-256")
		return
	}
	// The guard is the one place signatures are checked: the dispatcher
	// behind it is built without the secret and, with the signature
	// headers gone, neither hashes the body again nor falls back to SHA-1.
	r.Header.Del("X-Hub-Signature")
	r.Header.Del("X-Hub-Signature-256")
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	g.next.ServeHTTP(w, withDelivery(r, &delivery{verified: true}))
}

// read streams the body into one buffer of the announced size and into the
// HMAC at once.
func (g *hookGuard) read(w http.ResponseWriter, r *http.Request, size int64) ([]byte, []byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, int(size)))
	mac := hmac.New(sha256.New, g.secret)
	_, err := io.Copy(io.MultiWriter(buf, mac), http.MaxBytesReader(w, r.Body, g.maxBody))
	return buf.Bytes(), mac.Sum(nil), err
}

func (g *hookGuard) refuse(w http.ResponseWriter, r *http.Request, status int, outcome, message string) {
	zerolog.Ctx(r.Context()).Warn().Int("status", status).Str("reason", message).
		Str("github_delivery_id", r.Header.Get("X-GitHub-Delivery")).Msg("Refused a webhook delivery.")
	if g.metrics != nil {
		g.metrics.Webhooks.WithLabelValues(eventLabel(r.Header.Get("X-GitHub-Event")), outcome).Inc()
	}
	writeJSON(w, status, map[string]string{"error": message})
}

// parseSignature decodes "sha256=<64 hex digits>"; any other algorithm or
// shape is refused.
func parseSignature(header string) ([]byte, bool) {
	hexSum, ok := strings.CutPrefix(header, signaturePrefix)
	if !ok || len(hexSum) != 2*sha256.Size {
		return nil, false
	}
	sum, err := hex.DecodeString(hexSum)
	return sum, err == nil
}

func tooLargeMessage(max int64) string {
	return "payload larger than " + strconv.FormatInt(max, 10) + " bytes"
}
