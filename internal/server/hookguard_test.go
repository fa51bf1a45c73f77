package server

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const guardSecret = "guard-secret"

func hmacHex(h func() hash.Hash, body []byte) string {
	mac := hmac.New(h, []byte(guardSecret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// countingReader records whether the body was read at all.
type countingReader struct {
	r    io.Reader
	read atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// TestHookGuard: what is refused, with which status, and whether the body
// was read to decide it.
func TestHookGuard(t *testing.T) {
	body := []byte(`{"action":"completed"}`)
	big := bytes.Repeat([]byte("x"), 2048)
	tests := []struct {
		name   string
		body   []byte
		header map[string]string
		// chunked sends the body without a Content-Length.
		chunked    bool
		wantStatus int
		wantRead   bool
	}{
		{"signed", body, map[string]string{"X-Hub-Signature-256": "sha256=" + hmacHex(sha256.New, body)}, false, http.StatusOK, true},
		{"unsigned", body, nil, false, http.StatusUnauthorized, false},
		{"SHA-1 only", body, map[string]string{"X-Hub-Signature": "sha1=" + hmacHex(sha1.New, body)}, false, http.StatusUnauthorized, false},
		{"SHA-512 in the SHA-256 header", body, map[string]string{"X-Hub-Signature-256": "sha512=" + hmacHex(sha512.New, body)}, false, http.StatusUnauthorized, false},
		{"SHA-1 in the SHA-256 header", body, map[string]string{"X-Hub-Signature-256": "sha1=" + hmacHex(sha1.New, body)}, false, http.StatusUnauthorized, false},
		{"not hex", body, map[string]string{"X-Hub-Signature-256": "sha256=" + strings.Repeat("z", 64)}, false, http.StatusUnauthorized, false},
		{"forged", body, map[string]string{"X-Hub-Signature-256": "sha256=" + hmacHex(sha256.New, []byte("{}"))}, false, http.StatusUnauthorized, true},
		{"announced too large", big, map[string]string{"X-Hub-Signature-256": "sha256=" + hmacHex(sha256.New, big)}, false, http.StatusRequestEntityTooLarge, false},
		{"streamed too large", big, map[string]string{"X-Hub-Signature-256": "sha256=" + hmacHex(sha256.New, big)}, true, http.StatusRequestEntityTooLarge, true},
		{"signed, streamed", body, map[string]string{"X-Hub-Signature-256": "sha256=" + hmacHex(sha256.New, body)}, true, http.StatusOK, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []byte
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, _ = io.ReadAll(r.Body)
				assert.Empty(t, r.Header.Get("X-Hub-Signature"), "only the verified signature reaches the dispatcher")
				w.WriteHeader(http.StatusOK)
			})
			g := newHookGuard(guardSecret, next, 1024, 4096, nil)
			src := &countingReader{r: bytes.NewReader(tt.body)}
			req := httptest.NewRequest(http.MethodPost, HookPath, src)
			req.ContentLength = int64(len(tt.body))
			if tt.chunked {
				req.ContentLength = -1
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			g.ServeHTTP(rec, req)
			assert.Equal(t, tt.wantStatus, rec.Code, rec.Body.String())
			assert.Equal(t, tt.wantRead, src.read.Load() > 0, "body read")
			if tt.wantStatus == http.StatusOK {
				assert.Equal(t, tt.body, got, "the dispatcher gets the body as sent")
			}
		})
	}
}

// TestHookGuardBudget: a body that would take the bytes being read past the
// budget is refused at once with 503 and Retry-After, and the budget comes
// back when a delivery is done.
func TestHookGuardBudget(t *testing.T) {
	body := bytes.Repeat([]byte("y"), 600)
	sig := "sha256=" + hmacHex(sha256.New, body)
	inside := make(chan struct{})
	release := make(chan struct{})
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		inside <- struct{}{}
		<-release
		w.WriteHeader(http.StatusOK)
	})
	g := newHookGuard(guardSecret, next, 1024, 1000, nil)
	send := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, HookPath, bytes.NewReader(body))
		req.Header.Set("X-Hub-Signature-256", sig)
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		return rec
	}
	first := make(chan *httptest.ResponseRecorder)
	go func() { first <- send() }()
	<-inside // the first delivery holds 600 of the 1000 bytes

	busy := send()
	assert.Equal(t, http.StatusServiceUnavailable, busy.Code)
	assert.Equal(t, busyRetryAfter, busy.Header().Get("Retry-After"))

	close(release)
	require.Equal(t, http.StatusOK, (<-first).Code)
	go func() { <-inside }()
	assert.Equal(t, http.StatusOK, send().Code, "the budget is back")
}
