package ghcache

import (
	"io"
	"net/http"
	"sync/atomic"

	"github.com/gregjones/httpcache"
)

// Transport answers from cache when it may and revalidates with ETags
// otherwise; authorized adds the credentials below the cache, so cached
// entries never hold them. A nil cache means no caching.
func Transport(cache httpcache.Cache, authorized http.RoundTripper) http.RoundTripper {
	if cache == nil {
		return authorized
	}
	t := httpcache.NewTransport(cache)
	t.Transport = authorized
	return DrainBodies(t)
}

// DrainBodies wraps a transport that has an httpcache.Transport below it so
// that answers the cache can revalidate (those with an ETag or a
// Last-Modified) are read to their end when closed.
func DrainBodies(next http.RoundTripper) http.RoundTripper { return draining{next} }

// maxDrain bounds what is read past a decoder's stop to finish a body.
const maxDrain = 16 << 20

// draining reads each body to its end before closing it: httpcache stores
// an answer when its body reaches EOF, and a JSON decoder may stop just
// short of it, so without this an answer is kept or not by chance.
type draining struct{ next http.RoundTripper }

func (d draining) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := d.next.RoundTrip(r)
	if err == nil && resp.Body != nil && (resp.Header.Get("ETag") != "" || resp.Header.Get("Last-Modified") != "") {
		resp.Body = drainOnClose{resp.Body}
	}
	return resp, err
}

type drainOnClose struct{ io.ReadCloser }

func (b drainOnClose) Close() error {
	_, _ = io.Copy(io.Discard, io.LimitReader(b.ReadCloser, maxDrain))
	return b.ReadCloser.Close()
}

// Counter counts the requests that reach GitHub and the answers that were
// 304 Not Modified; put it below the cache to see what went over the wire.
type Counter struct {
	Next        http.RoundTripper
	requests    atomic.Int64
	notModified atomic.Int64
}

// RoundTrip sends the request and counts it.
func (c *Counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.requests.Add(1)
	resp, err := c.Next.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusNotModified {
		c.notModified.Add(1)
	}
	return resp, err
}

// Requests is how many requests reached GitHub.
func (c *Counter) Requests() int64 { return c.requests.Load() }

// NotModified is how many of them GitHub answered 304 Not Modified.
func (c *Counter) NotModified() int64 { return c.notModified.Load() }
