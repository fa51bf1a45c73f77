package pacing

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Transport paces the requests of one installation's client over next.
func (p *Pacer) Transport(installation int64, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{pacer: p, installation: installation, next: next}
}

type transport struct {
	pacer        *Pacer
	installation int64
	next         http.RoundTripper
}

// RoundTrip waits for the request's turn, sends it, learns from the
// answer, and sends a write again once after a secondary-limit answer
// when its wait is short (GitHub created nothing for a refused write).
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	write := contentCreating(req)
	for try := 0; ; try++ {
		wait, err := t.pacer.reserve(t.installation, write)
		if err != nil {
			return nil, err
		}
		if wait > 0 {
			if write {
				t.pacer.observer.WritePaced(t.installation, wait)
			}
			if err := t.pacer.clock.Sleep(req.Context(), wait); err != nil {
				return nil, fmt.Errorf("waiting %s for the installation's turn: %w", wait, err)
			}
		}
		resp, err := t.next.RoundTrip(req)
		if err != nil {
			return resp, err
		}
		limited, secondaryWait := false, time.Duration(0)
		if write {
			limited, secondaryWait = secondaryLimit(resp, t.pacer.limits.SecondaryWait)
		}
		t.pacer.observe(t.installation, resp, secondaryWait, limited)
		if !limited || try > 0 || req.GetBody == nil {
			return resp, nil
		}
		body, err := req.GetBody()
		if err != nil {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		req = req.Clone(req.Context())
		req.Body = body
	}
}

// contentCreating tells the requests GitHub's secondary limits count as
// content creation: POST and PUT, except asking for an installation token
// and GraphQL queries.
func contentCreating(req *http.Request) bool {
	if req.Method != http.MethodPost && req.Method != http.MethodPut {
		return false
	}
	path := req.URL.Path
	return !strings.HasSuffix(path, "/access_tokens") && !strings.HasSuffix(path, "/graphql")
}

// secondaryLimit recognises GitHub's secondary rate limit: 429, or 403 with
// Retry-After or GitHub's message, while the primary budget is not spent;
// it returns the wait GitHub asks for.
func secondaryLimit(resp *http.Response, fallback time.Duration) (bool, time.Duration) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return false, 0
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		return false, 0 // the primary limit: observe reads its reset
	}
	if s := resp.Header.Get("Retry-After"); s != "" {
		if secs, err := strconv.Atoi(s); err == nil && secs >= 0 {
			return true, time.Duration(secs) * time.Second
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return true, fallback
	}
	// A 403 is a secondary limit only when GitHub says so in the body.
	head := make([]byte, 4096)
	n, _ := io.ReadFull(resp.Body, head)
	head = head[:n]
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	if bytes.Contains(bytes.ToLower(head), []byte("secondary rate limit")) {
		return true, fallback
	}
	return false, 0
}

// primaryBudget reads X-RateLimit-Remaining and X-RateLimit-Reset of the
// core resource (an answer of another resource, search or GraphQL, says
// nothing of it).
func primaryBudget(h http.Header) (remaining int, reset time.Time, ok bool) {
	if res := h.Get("X-RateLimit-Resource"); res != "" && res != "core" {
		return 0, time.Time{}, false
	}
	remaining, err := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	if err != nil {
		return 0, time.Time{}, false
	}
	secs, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	if err != nil {
		return 0, time.Time{}, false
	}
	return remaining, time.Unix(secs, 0), true
}
