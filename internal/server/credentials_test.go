package server

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

type pingOK struct{}

func (pingOK) Ping(context.Context) error { return nil }

// appClientFor signs the App's JWT with key for App id against apiURL.
func appClientFor(t *testing.T, apiURL string, id int64, key *rsa.PrivateKey) func() (*github.Client, error) {
	return func() (*github.Client, error) {
		atr := ghinstallation.NewAppsTransportFromPrivateKey(http.DefaultTransport, id, key)
		gh := github.NewClient(&http.Client{Transport: atr, Timeout: 5 * time.Second})
		u, err := url.Parse(apiURL)
		require.NoError(t, err)
		gh.BaseURL = u
		return gh, nil
	}
}

// TestHealthReportsTheCredentialState: /api/health says whether GitHub
// accepts the App's credentials, asking it at most once a minute.
func TestHealthReportsTheCredentialState(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	fake := githubfake.New(githubfake.Options{AppID: 3, AppKey: key})
	t.Cleanup(fake.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + l.Addr().String() + "/"
	l.Close()

	tests := []struct {
		name, apiURL string
		key          *rsa.PrivateKey
		want         string
		detail       string
	}{
		{"accepted", fake.URL() + "/", key, "ok", ""},
		{"refused", fake.URL() + "/", other, "refused", "401"},
		{"unreachable", closed, key, "unreachable", "could not reach GitHub"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creds := newCredentialState(appClientFor(t, tt.apiURL, 3, tt.key), 3, tt.apiURL)
			rec := httptest.NewRecorder()
			health(pingOK{}, creds)(rec, httptest.NewRequest(http.MethodGet, HealthPath, nil))
			assert.Equal(t, http.StatusOK, rec.Code, "credentials do not make the server unhealthy")
			var body map[string]string
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, tt.want, body["credentials"])
			assert.Contains(t, body["credentials_detail"], tt.detail)
		})
	}
}

func TestCredentialStateAsksGitHubOnceAMinute(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	fake := githubfake.New(githubfake.Options{AppID: 3, AppKey: key})
	t.Cleanup(fake.Close)
	creds := newCredentialState(appClientFor(t, fake.URL()+"/", 3, key), 3, fake.URL()+"/")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	creds.now = func() time.Time { return now }
	calls := func() int { return len(fake.Requests()) }

	state, _ := creds.get(context.Background())
	assert.Equal(t, "ok", state)
	assert.Equal(t, 1, calls())
	now = now.Add(59 * time.Second)
	creds.get(context.Background())
	assert.Equal(t, 1, calls(), "within a minute the last answer is reused")
	now = now.Add(2 * time.Second)
	creds.get(context.Background())
	assert.Equal(t, 2, calls(), "after a minute GitHub is asked again")
}
