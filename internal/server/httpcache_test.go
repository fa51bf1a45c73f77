package server

import (
	"fmt"
	"testing"

	"github.com/gregjones/httpcache"
	"github.com/stretchr/testify/assert"
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
