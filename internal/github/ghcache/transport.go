package ghcache

import (
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
	return t
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
