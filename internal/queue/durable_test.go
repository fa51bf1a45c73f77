package queue

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue/queuetest"
)

// backends opens the queue on every backend this machine has.
func backends(t *testing.T) map[string]func(t *testing.T, opts Options, h map[string]Handler, m Metrics) *Durable {
	t.Helper()
	out := map[string]func(t *testing.T, opts Options, h map[string]Handler, m Metrics) *Durable{
		"sqlite": func(t *testing.T, opts Options, h map[string]Handler, m Metrics) *Durable {
			q, err := OpenSQLite(context.Background(), t.TempDir(), opts, h, zerolog.Nop(), m)
			require.NoError(t, err)
			return q
		},
	}
	url := queuetest.PostgresURL(t)
	if url != "" {
		out["postgres"] = func(t *testing.T, opts Options, h map[string]Handler, m Metrics) *Durable {
			url := queuetest.FreshPostgresSchema(t, url)
			q, err := OpenPostgres(context.Background(), url, opts, h, zerolog.Nop(), m)
			require.NoError(t, err)
			return q
		}
	}
	return out
}

func start(t *testing.T, q *Durable) {
	t.Helper()
	require.NoError(t, q.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Shutdown(ctx)
	})
}

func waitFor(t *testing.T, q *Durable) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, q.Wait(ctx))
}

func fast() Options {
	return Options{Workers: 4, PollInterval: 20 * time.Millisecond, JobTimeout: 10 * time.Second}
}

func TestDurable(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("runs each key once", func(t *testing.T) {
				var mu sync.Mutex
				seen := map[string]int{}
				q := open(t, fast(), map[string]Handler{"k": func(_ context.Context, j Job) error {
					mu.Lock()
					seen[j.Key]++
					mu.Unlock()
					return nil
				}}, nil)
				start(t, q)
				for _, key := range []string{"a", "b", "a", "c", "b"} {
					require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: key}))
				}
				waitFor(t, q)
				// After completion the key is still known: a late redelivery is dropped.
				require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: "a"}))
				waitFor(t, q)
				assert.Equal(t, map[string]int{"a": 1, "b": 1, "c": 1}, seen)
			})
			t.Run("retries transient errors until they pass", func(t *testing.T) {
				var calls atomic.Int32
				opts := fast()
				opts.RetryBase = 10 * time.Millisecond
				q := open(t, opts, map[string]Handler{"k": func(context.Context, Job) error {
					if calls.Add(1) < 3 {
						return errors.New("502 Bad Gateway")
					}
					return nil
				}}, nil)
				start(t, q)
				require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: "x"}))
				waitFor(t, q)
				assert.EqualValues(t, 3, calls.Load())
			})
			t.Run("permanent errors stop at once", func(t *testing.T) {
				var calls atomic.Int32
				m := &recordingMetrics{}
				q := open(t, fast(), map[string]Handler{"k": func(context.Context, Job) error {
					calls.Add(1)
					return Permanent(errors.New("the app lacks actions:read"))
				}}, m)
				start(t, q)
				require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: "x"}))
				waitFor(t, q)
				assert.EqualValues(t, 1, calls.Load())
				assert.Eventually(t, func() bool { return m.count("cancelled") == 1 }, 5*time.Second, 10*time.Millisecond)
			})
			t.Run("a secondary rate limit snoozes for retry-after", func(t *testing.T) {
				var mu sync.Mutex
				var times []time.Time
				q := open(t, fast(), map[string]Handler{"k": func(context.Context, Job) error {
					mu.Lock()
					defer mu.Unlock()
					times = append(times, time.Now())
					if len(times) == 1 {
						retry := 2 * time.Second
						return &github.AbuseRateLimitError{Response: &http.Response{StatusCode: 403}, Message: "secondary rate limit", RetryAfter: &retry}
					}
					return nil
				}}, nil)
				start(t, q)
				require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: "x"}))
				waitFor(t, q)
				require.Len(t, times, 2)
				wait := times[1].Sub(times[0])
				t.Logf("waited %v after a 2s retry-after", wait)
				assert.GreaterOrEqual(t, wait, 2*time.Second)
				assert.Less(t, wait, 5*time.Second)
			})
		})
	}
}

func TestRetryAfter(t *testing.T) {
	retry := 30 * time.Second
	reset := time.Now().Add(90 * time.Second)
	tests := []struct {
		name string
		err  error
		min  time.Duration
		max  time.Duration
		ok   bool
	}{
		{"secondary with retry-after", &github.AbuseRateLimitError{RetryAfter: &retry}, retry, retry, true},
		{"secondary without retry-after waits a minute", &github.AbuseRateLimitError{}, time.Minute, time.Minute, true},
		{"primary waits for the reset", &github.RateLimitError{Rate: github.Rate{Reset: github.Timestamp{Time: reset}}}, 80 * time.Second, 91 * time.Second, true},
		{"wrapped", errorsJoin(&github.AbuseRateLimitError{RetryAfter: &retry}), retry, retry, true},
		{"other", errors.New("boom"), 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := RetryAfter(tt.err)
			assert.Equal(t, tt.ok, ok)
			assert.GreaterOrEqual(t, d, tt.min)
			assert.LessOrEqual(t, d, tt.max)
		})
	}
}

func errorsJoin(err error) error { return errors.Join(errors.New("context"), err) }

type recordingMetrics struct {
	mu       sync.Mutex
	outcomes map[string]int
}

func (r *recordingMetrics) Depth(int) {}
func (r *recordingMetrics) Done(_, outcome string, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.outcomes == nil {
		r.outcomes = map[string]int{}
	}
	r.outcomes[outcome]++
}
func (r *recordingMetrics) count(outcome string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.outcomes[outcome]
}

// Shutdown may be called more than once (a failed serve and a deferred
// clean-up both stop the queue); later calls return the first result.
func TestShutdownTwice(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			q := open(t, fast(), map[string]Handler{}, nil)
			require.NoError(t, q.Start(context.Background()))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			require.NoError(t, q.Shutdown(ctx))
			assert.NotPanics(t, func() { assert.NoError(t, q.Shutdown(ctx)) })
		})
	}
}
