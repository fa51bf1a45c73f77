package server

import (
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/gregjones/httpcache"
	"github.com/hashicorp/golang-lru/simplelru"
)

// Bounds of the HTTP cache that every installation's client shares.
const (
	// httpCacheBytes bounds the bytes of every answer kept, all
	// installations together: a backlog across hundreds of installations
	// must not keep hundreds of caches' worth of issue lists. What pays
	// is revalidating the workflow files, settings and pull requests of
	// the repositories failing now, a few kilobytes each.
	httpCacheBytes = 16 << 20
	// httpCacheMaxEntry bounds one answer; a larger one is not kept.
	httpCacheMaxEntry = 1 << 20
	// httpCacheEntries bounds the number of answers kept.
	httpCacheEntries = 1 << 16
)

// sharedCache keeps GitHub's answers for every installation's client, at
// most maxBytes of them in all, evicting the least recently used: the
// server runs for months across any number of installations. Each client
// sees its own part (view), so no installation is ever served another's
// answer.
type sharedCache struct {
	mu       sync.Mutex
	lru      *simplelru.LRU
	bytes    int
	maxBytes int
	views    atomic.Int64
}

func newSharedCache(maxBytes int) *sharedCache {
	s := &sharedCache{maxBytes: maxBytes}
	lru, err := simplelru.NewLRU(httpCacheEntries, func(_, value any) { s.bytes -= len(value.([]byte)) })
	if err != nil {
		panic(err) // only for a non-positive size
	}
	s.lru = lru
	return s
}

// view is a new client's part of the cache.
func (s *sharedCache) view() httpcache.Cache {
	return &cacheView{s: s, prefix: strconv.FormatInt(s.views.Add(1), 36) + " "}
}

// Bytes is how many bytes of answers are kept.
func (s *sharedCache) Bytes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}

// cacheView is one client's part of a sharedCache: its keys are prefixed
// with the view's own number.
type cacheView struct {
	s      *sharedCache
	prefix string
}

func (c *cacheView) Get(key string) ([]byte, bool) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	v, ok := c.s.lru.Get(c.prefix + key)
	if !ok {
		return nil, false
	}
	return v.([]byte), true
}

func (c *cacheView) Set(key string, resp []byte) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	k := c.prefix + key
	c.s.lru.Remove(k)
	if len(resp) > httpCacheMaxEntry || len(resp) > c.s.maxBytes {
		return
	}
	c.s.lru.Add(k, resp)
	c.s.bytes += len(resp)
	for c.s.bytes > c.s.maxBytes {
		c.s.lru.RemoveOldest()
	}
}

func (c *cacheView) Delete(key string) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	c.s.lru.Remove(c.prefix + key)
}
