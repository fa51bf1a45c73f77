package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/metrics"
)

func TestGitHubCallsAreLoggedWithoutTheirQuery(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "4321")
		w.Header().Set("X-RateLimit-Resource", "core")
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	m := metrics.New()
	client := &http.Client{Transport: m.RoundTripper(logGitHubCalls(http.DefaultTransport))}

	var logs bytes.Buffer
	logger := zerolog.New(&logs).Level(zerolog.DebugLevel)
	req, err := http.NewRequestWithContext(logger.WithContext(t.Context()), http.MethodGet,
		srv.URL+"/acme/app/main/.github/workflows/big.yml?token=AAAASECRET", nil)
	require.NoError(t, err)
	resp, err := client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()

	assert.Contains(t, logs.String(), `"path":"/acme/app/main/.github/workflows/big.yml"`)
	assert.Contains(t, logs.String(), `"status":200`)
	assert.Contains(t, logs.String(), `"rate_limit_remaining":"4321"`)
	assert.NotContains(t, logs.String(), "AAAASECRET", "a query's token never reaches the log")

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Contains(t, rec.Body.String(), `ghcr_doctor_github_rate_limit_remaining{resource="core"} 4321`)
}

func TestGitHubCallsAreQuietAboveDebug(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	var logs bytes.Buffer
	logger := zerolog.New(&logs).Level(zerolog.InfoLevel)
	req, err := http.NewRequestWithContext(logger.WithContext(t.Context()), http.MethodGet, srv.URL+"/x", nil)
	require.NoError(t, err)
	resp, err := (&http.Client{Transport: logGitHubCalls(http.DefaultTransport)}).Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Empty(t, logs.String())
}
