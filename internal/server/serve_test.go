package server

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net"
	"testing"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// When HTTP serving fails, Serve stops the queue before it returns: no job
// runs on in a process that can no longer accept webhooks.
func TestServeStopsTheQueueWhenHTTPFails(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	fake := githubfake.New(githubfake.Options{AppID: 1, AppSlug: "ghcr-doctor", AppKey: key})
	t.Cleanup(fake.Close)
	cfg := &config.Config{}
	cfg.GitHub = githubapp.Config{WebURL: "https://github.com", V3APIURL: fake.URL() + "/"}
	cfg.GitHub.App.IntegrationID = 1
	cfg.GitHub.App.WebhookSecret = guardSecret
	cfg.GitHub.App.PrivateKey = pemOf(key)
	cfg.Worker = config.Worker{Workers: 1, HTTPTimeout: time.Second}
	cfg.Queue = config.Queue{DataDir: t.TempDir(), RedeliveryInterval: -1}
	cfg.Server.ShutdownPeriod = 5 * time.Second
	srv, err := New(context.Background(), cfg, zerolog.Nop())
	require.NoError(t, err)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, l.Close()) // serving on a closed listener fails at once

	err = srv.Serve(context.Background(), l)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "serving HTTP")
	assert.Error(t, srv.queue.Ping(context.Background()), "the queue's database is closed")
	assert.NoError(t, srv.queue.Shutdown(context.Background()), "stopping it again is harmless")
}
