package pacing

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// fakeClock moves only when slept on.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_800_000_000, 0)} }

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return nil
}

// github answers each request with the next scripted answer (200 with a
// healthy budget when the script is done) and records when it was sent.
type github struct {
	clock   *fakeClock
	mu      sync.Mutex
	script  []func(h http.Header) (int, string)
	sent    []time.Time
	bodies  []string
	methods []string
}

func (g *github) RoundTrip(r *http.Request) (*http.Response, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sent = append(g.sent, g.clock.Now())
	g.methods = append(g.methods, r.Method)
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		g.bodies = append(g.bodies, string(b))
	}
	h := http.Header{}
	h.Set("X-RateLimit-Remaining", "4000")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(g.clock.Now().Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	status, body := http.StatusOK, "{}"
	if len(g.script) > 0 {
		status, body = g.script[0](h)
		g.script = g.script[1:]
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

type recorder struct {
	mu     sync.Mutex
	paced  map[int64]int
	budget map[int64]int
}

func (r *recorder) WritePaced(id int64, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.paced[id]++
}

func (r *recorder) Budget(id int64, left int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.budget[id] = left
}

func setup(limits Limits) (*Pacer, *github, *fakeClock, *recorder) {
	clock := newFakeClock()
	rec := &recorder{paced: map[int64]int{}, budget: map[int64]int{}}
	return New(limits, clock, rec), &github{clock: clock}, clock, rec
}

func do(t *testing.T, rt http.RoundTripper, method, path string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(method, "https://api.github.com"+path, strings.NewReader(`{"body":"x"}`))
	require.NoError(t, err)
	resp, err := rt.RoundTrip(req)
	if resp != nil {
		resp.Body.Close()
	}
	return resp, err
}

// maxInWindow is the most times within any window.
func maxInWindow(ts []time.Time, window time.Duration) int {
	most := 0
	for i, j := 0, 0; j < len(ts); j++ {
		for ts[j].Sub(ts[i]) >= window {
			i++
		}
		most = max(most, j-i+1)
	}
	return most
}

func TestWritesKeepUnderGitHubsSecondaryLimits(t *testing.T) {
	limits := GitHubLimits()
	limits.MaxWait = 2 * time.Hour
	p, gh, _, rec := setup(limits)
	rt := p.Transport(7, gh)
	for range 600 {
		_, err := do(t, rt, http.MethodPost, "/repos/acme/app/issues")
		require.NoError(t, err)
	}
	assert.LessOrEqual(t, maxInWindow(gh.sent, time.Minute), 80, "writes in any minute")
	assert.LessOrEqual(t, maxInWindow(gh.sent, time.Hour), 500, "writes in any hour")
	// After the burst every write waits its turn, but for a new burst once
	// the hour's limit has made them wait long.
	assert.Equal(t, 600-2*limits.WriteBurst+1, rec.paced[7], "writes that waited their turn")
	assert.Equal(t, gh.sent[0], gh.sent[limits.WriteBurst-1], "the burst went at once")
	assert.GreaterOrEqual(t, gh.sent[500].Sub(gh.sent[0]), time.Hour, "the 501st write waits for the hour")
}

func TestPacing(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, p *Pacer, gh *github, clock *fakeClock, rec *recorder)
	}{
		{"reads are not paced", func(t *testing.T, p *Pacer, gh *github, clock *fakeClock, rec *recorder) {
			start := clock.Now()
			for range 200 {
				_, err := do(t, p.Transport(1, gh), http.MethodGet, "/repos/acme/app/actions/runs/1/jobs")
				require.NoError(t, err)
			}
			assert.Equal(t, start, clock.Now())
			assert.Zero(t, rec.paced[1])
		}},
		{"an installation token is not a write", func(t *testing.T, p *Pacer, gh *github, clock *fakeClock, _ *recorder) {
			start := clock.Now()
			for range 10 {
				_, err := do(t, p.Transport(1, gh), http.MethodPost, "/app/installations/1/access_tokens")
				require.NoError(t, err)
			}
			assert.Equal(t, start, clock.Now())
		}},
		{"installations are paced apart", func(t *testing.T, p *Pacer, gh *github, clock *fakeClock, _ *recorder) {
			start := clock.Now()
			for id := range int64(50) {
				_, err := do(t, p.Transport(id, gh), http.MethodPost, "/repos/acme/app/check-runs")
				require.NoError(t, err)
			}
			assert.Equal(t, start, clock.Now(), "each installation's first write goes at once")
		}},
		{"a long wait is handed back as a deferral", func(t *testing.T, p *Pacer, gh *github, _ *fakeClock, _ *recorder) {
			gh.script = append(gh.script, func(h http.Header) (int, string) {
				h.Set("Retry-After", "120")
				return http.StatusForbidden, `{"message":"You have exceeded a secondary rate limit."}`
			}, func(h http.Header) (int, string) {
				h.Set("Retry-After", "120")
				return http.StatusForbidden, `{"message":"You have exceeded a secondary rate limit."}`
			})
			rt := p.Transport(3, gh)
			_, err := do(t, rt, http.MethodPost, "/repos/acme/app/issues")
			var we *WaitError
			require.ErrorAs(t, err, &we)
			assert.Equal(t, "secondary rate limit", we.Reason)
			assert.Equal(t, 120*time.Second, we.DeferFor())
			wait, ok := gherr.RetryAfter(err)
			assert.True(t, ok, "a deferral is a rate limit to the error classifier")
			assert.Equal(t, 120*time.Second, wait)
			assert.True(t, gherr.IsTransient(err))
			assert.Len(t, gh.sent, 1, "the retry waited for no turn it could not have")
		}},
		{"a refused write is sent again after Retry-After", func(t *testing.T, p *Pacer, gh *github, clock *fakeClock, _ *recorder) {
			gh.script = append(gh.script, func(h http.Header) (int, string) {
				h.Set("Retry-After", "3")
				return http.StatusTooManyRequests, `{"message":"You have exceeded a secondary rate limit."}`
			})
			resp, err := do(t, p.Transport(4, gh), http.MethodPost, "/repos/acme/app/issues/1/comments")
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			require.Len(t, gh.sent, 2)
			assert.Equal(t, 3*time.Second, gh.sent[1].Sub(gh.sent[0]))
			assert.Equal(t, gh.bodies[0], gh.bodies[1], "the same body is sent again")
		}},
		{"a 403 naming the secondary limit without Retry-After waits a minute", func(t *testing.T, p *Pacer, gh *github, clock *fakeClock, _ *recorder) {
			gh.script = append(gh.script, func(h http.Header) (int, string) {
				return http.StatusForbidden, `{"message":"You have exceeded a secondary rate limit and have been temporarily blocked from content creation."}`
			})
			_, err := do(t, p.Transport(5, gh), http.MethodPost, "/repos/acme/app/issues")
			var we *WaitError
			require.ErrorAs(t, err, &we)
			assert.Equal(t, time.Minute, we.Wait)
		}},
		{"a 403 for a missing permission is no rate limit", func(t *testing.T, p *Pacer, gh *github, clock *fakeClock, _ *recorder) {
			gh.script = append(gh.script, func(h http.Header) (int, string) {
				h.Set("X-Accepted-GitHub-Permissions", "issues=write")
				return http.StatusForbidden, `{"message":"Resource not accessible by integration"}`
			})
			resp, err := do(t, p.Transport(6, gh), http.MethodPost, "/repos/acme/app/issues")
			require.NoError(t, err)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
			_, err = do(t, p.Transport(6, gh), http.MethodPost, "/repos/acme/app/issues")
			require.NoError(t, err, "later writes are not blocked")
		}},
		{"a spent primary budget waits for its reset", func(t *testing.T, p *Pacer, gh *github, clock *fakeClock, rec *recorder) {
			reset := clock.Now().Add(4 * time.Second)
			gh.script = append(gh.script, func(h http.Header) (int, string) {
				h.Set("X-RateLimit-Remaining", "0")
				h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
				return http.StatusOK, "{}"
			})
			rt := p.Transport(8, gh)
			_, err := do(t, rt, http.MethodGet, "/repos/acme/app")
			require.NoError(t, err)
			assert.Equal(t, 0, rec.budget[8])
			_, err = do(t, rt, http.MethodGet, "/repos/acme/app")
			require.NoError(t, err)
			assert.False(t, gh.sent[1].Before(reset), "the next request went after the reset")
			assert.Equal(t, 4000, rec.budget[8])
		}},
		{"a primary reset beyond the wait is handed back", func(t *testing.T, p *Pacer, gh *github, clock *fakeClock, _ *recorder) {
			gh.script = append(gh.script, func(h http.Header) (int, string) {
				h.Set("X-RateLimit-Remaining", "0")
				h.Set("X-RateLimit-Reset", strconv.FormatInt(clock.Now().Add(40*time.Minute).Unix(), 10))
				return http.StatusForbidden, `{"message":"API rate limit exceeded for installation ID 8."}`
			})
			rt := p.Transport(9, gh)
			resp, err := do(t, rt, http.MethodPost, "/repos/acme/app/issues")
			require.NoError(t, err, "GitHub's own answer goes back as it is")
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
			_, err = do(t, rt, http.MethodGet, "/repos/acme/app")
			var we *WaitError
			require.ErrorAs(t, err, &we)
			assert.Equal(t, "primary rate limit", we.Reason)
			assert.Equal(t, 40*time.Minute, we.Wait)
			assert.Len(t, gh.sent, 1)
		}},
		{"a cancelled wait sends nothing", func(t *testing.T, p *Pacer, gh *github, _ *fakeClock, _ *recorder) {
			p.clock = cancelledClock{p.clock}
			rt := p.Transport(10, gh)
			burst := GitHubLimits().WriteBurst
			for range burst {
				_, err := do(t, rt, http.MethodPost, "/repos/acme/app/issues")
				require.NoError(t, err)
			}
			_, err := do(t, rt, http.MethodPost, "/repos/acme/app/issues")
			require.ErrorIs(t, err, context.Canceled)
			assert.Len(t, gh.sent, burst)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, gh, clock, rec := setup(GitHubLimits())
			tt.run(t, p, gh, clock, rec)
		})
	}
}

// cancelledClock's waits end as if the job were cancelled.
type cancelledClock struct{ Clock }

func (cancelledClock) Sleep(context.Context, time.Duration) error { return context.Canceled }

func TestWaitErrorIsAQueueDeferral(t *testing.T) {
	var err error = &WaitError{Installation: 1, Wait: time.Minute, Reason: "writes per hour"}
	var d interface{ DeferFor() time.Duration }
	require.True(t, errors.As(err, &d))
	assert.Equal(t, time.Minute, d.DeferFor())
}
