package server

import (
	lru "github.com/hashicorp/golang-lru"
)

// Bounds of each installation's HTTP cache.
const (
	httpCacheEntries  = 512
	httpCacheMaxEntry = 1 << 20
)

// boundedCache is an httpcache.Cache of at most httpCacheEntries responses,
// none over httpCacheMaxEntry bytes, evicting the least recently used: the
// server runs for months, an unbounded cache would grow with every file read.
type boundedCache struct{ lru *lru.Cache }

func newBoundedCache() *boundedCache {
	c, err := lru.New(httpCacheEntries)
	if err != nil {
		panic(err) // only for a non-positive size
	}
	return &boundedCache{lru: c}
}

func (c *boundedCache) Get(key string) ([]byte, bool) {
	v, ok := c.lru.Get(key)
	if !ok {
		return nil, false
	}
	return v.([]byte), true
}

func (c *boundedCache) Set(key string, resp []byte) {
	if len(resp) > httpCacheMaxEntry {
		c.lru.Remove(key)
		return
	}
	c.lru.Add(key, resp)
}

func (c *boundedCache) Delete(key string) { c.lru.Remove(key) }
