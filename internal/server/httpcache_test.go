package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gregjones/httpcache"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/metrics"
)

var _ httpcache.Cache = (*boundedCache)(nil)

func TestBoundedCache(t *testing.T) {
	c := newBoundedCache()
	for i := range httpCacheEntries + 10 {
		c.Set(fmt.Sprint(i), []byte("x"))
	}
	_, ok := c.Get("0")
	assert.False(t, ok, "the oldest entries are evicted")
	v, ok := c.Get(fmt.Sprint(httpCacheEntries + 9))
	assert.True(t, ok)
	assert.Equal(t, []byte("x"), v)

	c.Set("big", make([]byte, httpCacheMaxEntry+1))
	_, ok = c.Get("big")
	assert.False(t, ok, "oversized responses are not kept")
	c.Set("k", []byte("v"))
	c.Delete("k")
	_, ok = c.Get("k")
	assert.False(t, ok)
}

// TestClientsRevalidateWhatTheyRead: an answer go-github decoded is kept by
// the clients' cache, so asking again sends If-None-Match and a 304 costs no
// rate limit. go-github stops reading just short of the body's end; without
// reading it to the end the cache would keep nothing.
func TestClientsRevalidateWhatTheyRead(t *testing.T) {
	var conditional, requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		const etag = `"v1"`
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if r.Header.Get("If-None-Match") == etag {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		// Sent in two chunks, as GitHub streams large answers: the
		// decoder has its value after the first and reads no further.
		_, _ = io.WriteString(w, `{"id":1,"full_name":"acme/api"}`)
		w.(http.Flusher).Flush()
		time.Sleep(10 * time.Millisecond)
		_, _ = io.WriteString(w, "\n")
	}))
	defer srv.Close()

	cfg := &config.Config{}
	cfg.GitHub.V3APIURL = srv.URL + "/"
	cfg.Worker.HTTPTimeout = 5 * time.Second
	creator, err := githubapp.NewDefaultCachingClientCreator(cfg.GitHub, clientOptions(cfg, metrics.New())...)
	require.NoError(t, err)
	client, err := creator.NewTokenClient("not-a-real-token")
	require.NoError(t, err)

	for range 3 {
		repo, _, err := client.Repositories.Get(context.Background(), "acme", "api")
		require.NoError(t, err)
		assert.Equal(t, "acme/api", repo.GetFullName())
	}
	assert.Equal(t, int32(3), requests.Load())
	assert.Equal(t, int32(2), conditional.Load(), "the second and third reads revalidate the first answer")
}
