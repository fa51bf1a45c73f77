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

var _ httpcache.Cache = (*cacheView)(nil)

func TestSharedCache(t *testing.T) {
	s := newSharedCache(10 << 10)
	a, b := s.view(), s.view()

	a.Set("/repos/acme/app", []byte("from a"))
	_, ok := b.Get("/repos/acme/app")
	assert.False(t, ok, "a client never sees another's answer")
	v, ok := a.Get("/repos/acme/app")
	require.True(t, ok)
	assert.Equal(t, []byte("from a"), v)

	a.Set("/repos/acme/app", []byte("again"))
	assert.Equal(t, len("again"), s.Bytes(), "a replaced answer is counted once")

	for i := range 20 {
		b.Set(fmt.Sprint("/page/", i), make([]byte, 1<<10))
		assert.LessOrEqual(t, s.Bytes(), 10<<10, "every client's answers together stay within the bound")
	}
	_, ok = a.Get("/repos/acme/app")
	assert.False(t, ok, "the least recently used answers go first")
	_, ok = b.Get("/page/19")
	assert.True(t, ok)

	b.Set("big", make([]byte, 11<<10))
	_, ok = b.Get("big")
	assert.False(t, ok, "an answer over the bound is not kept")
	before := s.Bytes()
	b.Delete("/page/19")
	assert.Equal(t, before-1<<10, s.Bytes())
	b.Set("/page/18", make([]byte, httpCacheMaxEntry+1))
	_, ok = b.Get("/page/18")
	assert.False(t, ok, "an oversized answer replaces nothing stale")
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
