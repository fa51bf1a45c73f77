package queue

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// TestFinalAttempt: a job that keeps failing is told on its last try, and
// only then, so that it can report what it could not learn instead of
// ending in silence.
func TestFinalAttempt(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			var finals []bool
			opts := fast()
			opts.RetryBase = time.Millisecond
			q := open(t, opts, map[string]Handler{"k": func(ctx context.Context, _ Job) error {
				mu.Lock()
				finals = append(finals, FinalAttempt(ctx))
				mu.Unlock()
				return errors.New("502 Bad Gateway")
			}}, nil)
			start(t, q)
			require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: "x"}))
			waitFor(t, q)
			want := make([]bool, defaultMaxAttempts)
			want[len(want)-1] = true
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, want, finals)
		})
	}
	assert.False(t, FinalAttempt(context.Background()), "outside the queue nothing is final")
}

// TestRateLimitThatNeverLifts: snoozes do not use up attempts, so a rate
// limit that never lifts would keep a job waiting forever; after a bounded
// number of waits it costs attempts, and the last one is told so.
func TestRateLimitThatNeverLifts(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			calls, finals := 0, 0
			opts := fast()
			opts.RetryBase = time.Millisecond
			q := open(t, opts, map[string]Handler{"k": func(ctx context.Context, _ Job) error {
				mu.Lock()
				calls++
				if FinalAttempt(ctx) {
					finals++
				}
				mu.Unlock()
				return &gherr.RateLimitError{Op: "listing jobs", Status: 429, Wait: time.Millisecond}
			}}, nil)
			start(t, q)
			require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: "x"}))
			waitFor(t, q)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, maxSnoozes+defaultMaxAttempts, calls)
			assert.Positive(t, finals, "the job reached its last attempt")
		})
	}
}
