package ghcache

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bearer adds a token, as the command's transport does.
type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// etagServer answers with an ETag and honours If-None-Match, like GitHub,
// and Vary on Authorization; it refuses requests without the token.
func etagServer(t *testing.T, body *string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		etag := `W/"` + *body + `"`
		w.Header().Set("ETag", etag)
		w.Header().Set("Vary", "Accept, Authorization")
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = io.WriteString(w, *body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return string(b)
}

// TestASecondRunRevalidates: a new process (a new cache over the same
// directory) asks with the ETag and gets 304, and the body from the file.
func TestASecondRunRevalidates(t *testing.T) {
	body := "v1"
	srv := etagServer(t, &body)
	root := t.TempDir()
	run := func() (*Counter, string) {
		d, err := Open(root, srv.URL, "s3cret-token")
		require.NoError(t, err)
		counter := &Counter{Next: bearer{"s3cret-token"}}
		c := &http.Client{Transport: Transport(d, counter)}
		return counter, get(t, c, srv.URL+"/repos/acme/app")
	}
	first, got := run()
	assert.Equal(t, "v1", got)
	assert.Equal(t, int64(1), first.Requests())
	assert.Zero(t, first.NotModified())

	second, got := run()
	assert.Equal(t, "v1", got)
	assert.Equal(t, int64(1), second.NotModified(), "the second run revalidates")

	body = "v2"
	third, got := run()
	assert.Equal(t, "v2", got, "a change is read")
	assert.Zero(t, third.NotModified())
}

// TestAnAnswerReadOnlyInPartIsKept: a JSON decoder stops at the end of
// the value, before the body's EOF; the answer must be kept all the same.
func TestAnAnswerReadOnlyInPartIsKept(t *testing.T) {
	body := strings.Repeat("x", 64<<10)
	srv := etagServer(t, &body)
	d, err := Open(t.TempDir(), srv.URL, "s3cret-token")
	require.NoError(t, err)
	c := &http.Client{Transport: Transport(d, bearer{"s3cret-token"})}
	resp, err := c.Get(srv.URL + "/big")
	require.NoError(t, err)
	_, err = io.ReadFull(resp.Body, make([]byte, 10))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	_, ok := d.Get(srv.URL + "/big")
	assert.True(t, ok, "kept although only 10 bytes were read")
}

func TestNoTokenIsWrittenAndTokensDoNotShare(t *testing.T) {
	body := "private"
	srv := etagServer(t, &body)
	root := t.TempDir()
	d, err := Open(root, srv.URL, "s3cret-token")
	require.NoError(t, err)
	get(t, &http.Client{Transport: Transport(d, bearer{"s3cret-token"})}, srv.URL+"/x")

	var files int
	require.NoError(t, filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		require.NoError(t, err)
		if info.IsDir() {
			if p == root {
				return nil
			}
			assert.Equal(t, os.FileMode(0o700), info.Mode().Perm(), p)
			return nil
		}
		files++
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), p)
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "s3cret-token")
		return nil
	}))
	assert.Equal(t, 1, files)

	other, err := Open(root, srv.URL, "another-token")
	require.NoError(t, err)
	assert.NotEqual(t, d.Dir(), other.Dir())
	_, ok := other.Get(srv.URL + "/x")
	assert.False(t, ok, "another token has its own entries")
}

func TestOpenPrunesOldEntries(t *testing.T) {
	root := t.TempDir()
	d, err := Open(root, "https://api.github.com/", "t")
	require.NoError(t, err)
	d.Set("old", []byte("a"))
	d.Set("new", []byte("b"))
	old := time.Now().Add(-MaxAge - time.Hour)
	require.NoError(t, os.Chtimes(d.path("old"), old, old))
	d, err = Open(root, "https://api.github.com/", "t")
	require.NoError(t, err)
	_, ok := d.Get("old")
	assert.False(t, ok)
	got, ok := d.Get("new")
	assert.True(t, ok)
	assert.Equal(t, "b", string(got))
	d.Delete("new")
	_, ok = d.Get("new")
	assert.False(t, ok)
	assert.False(t, strings.Contains(d.Dir(), "t/"), "the directory is named by a hash")
}
