package queue

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue/queuetest"
)

// reopeners opens the queue on every backend this machine has, each time
// on the same database, as a restarted process would.
func reopeners(t *testing.T) map[string]func(t *testing.T) func(h map[string]Handler) *Durable {
	t.Helper()
	out := map[string]func(t *testing.T) func(h map[string]Handler) *Durable{
		"sqlite": func(t *testing.T) func(h map[string]Handler) *Durable {
			dir := t.TempDir()
			return func(h map[string]Handler) *Durable {
				q, err := OpenSQLite(context.Background(), dir, fast(), h, zerolog.Nop(), nil)
				require.NoError(t, err)
				return q
			}
		},
	}
	if url := queuetest.PostgresURL(t); url != "" {
		out["postgres"] = func(t *testing.T) func(h map[string]Handler) *Durable {
			url := queuetest.FreshPostgresSchema(t, url)
			return func(h map[string]Handler) *Durable {
				q, err := OpenPostgres(context.Background(), url, fast(), h, zerolog.Nop(), nil)
				require.NoError(t, err)
				return q
			}
		}
	}
	return out
}

// crash ends q as a killed process would: what was stored stays, nothing
// is handed on.
func crash(q *Durable) {
	q.batch.close()
	_ = q.db.Close()
}

// TestIntakeSurvivesACrash: a job answered as stored but not yet handed to
// River when the process died is worked once after the restart, and a
// redelivery of it is a no-op.
func TestIntakeSurvivesACrash(t *testing.T) {
	for name, reopen := range reopeners(t) {
		t.Run(name, func(t *testing.T) {
			open := reopen(t)
			// The first process stores the jobs and dies before its pump runs.
			first := open(map[string]Handler{"k": func(context.Context, Job) error {
				t.Error("the crashed process ran a job")
				return nil
			}})
			for _, key := range []string{"a", "b", "a"} {
				require.NoError(t, first.Enqueue(context.Background(), Job{Kind: "k", Key: key}))
			}
			inIntake, err := first.db.countIntake(context.Background())
			require.NoError(t, err)
			assert.Equal(t, 2, inIntake, "a key waiting in the intake is stored once")
			inRiver, err := first.db.Count(context.Background(), "available")
			require.NoError(t, err)
			assert.Zero(t, inRiver)
			crash(first)

			var mu sync.Mutex
			runs := map[string]int{}
			second := open(map[string]Handler{"k": func(_ context.Context, j Job) error {
				mu.Lock()
				runs[j.Key]++
				mu.Unlock()
				return nil
			}})
			start(t, second)
			waitFor(t, second)
			require.NoError(t, second.Enqueue(context.Background(), Job{Kind: "k", Key: "a"}))
			waitFor(t, second)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, map[string]int{"a": 1, "b": 1}, runs)
			left, err := second.db.countIntake(context.Background())
			require.NoError(t, err)
			assert.Zero(t, left)
		})
	}
}

// TestShutdownHandsOnTheIntake: jobs accepted while the pump was held are
// in River once the queue has shut down, for the next process to work.
func TestShutdownHandsOnTheIntake(t *testing.T) {
	for name, reopen := range reopeners(t) {
		t.Run(name, func(t *testing.T) {
			open := reopen(t)
			q := open(map[string]Handler{"k": func(context.Context, Job) error { return nil }})
			for _, key := range []string{"a", "b", "c"} {
				require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: key}))
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			require.NoError(t, q.Shutdown(ctx))

			next := open(map[string]Handler{"k": func(context.Context, Job) error { return nil }})
			defer func() { _ = next.Shutdown(ctx) }()
			inIntake, err := next.db.countIntake(ctx)
			require.NoError(t, err)
			assert.Zero(t, inIntake)
			inRiver, err := next.db.Count(ctx, "available")
			require.NoError(t, err)
			assert.Equal(t, 3, inRiver)
		})
	}
}

// TestPumpWaitsForTheBurst: while the intake is hot, accepted jobs stay
// in the intake and no worker starts one; once the burst ends they run.
func TestPumpWaitsForTheBurst(t *testing.T) {
	for name, reopen := range reopeners(t) {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			ran := 0
			q := reopen(t)(map[string]Handler{"k": func(context.Context, Job) error {
				mu.Lock()
				ran++
				mu.Unlock()
				return nil
			}})
			now := time.Now()
			var clock sync.Mutex
			// The pump and the workers share the heat: its clock is the test's.
			q.heat.now = func() time.Time { clock.Lock(); defer clock.Unlock(); return now }
			q.heat.maxHold = time.Minute
			q.heat.record(defaultHotCount) // a burst of other deliveries
			require.True(t, q.heat.holding())
			start(t, q)
			for _, key := range []string{"a", "b", "c", "d"} {
				require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: key}))
			}
			time.Sleep(300 * time.Millisecond)
			inIntake, err := q.db.countIntake(context.Background())
			require.NoError(t, err)
			assert.Equal(t, 4, inIntake, "held while hot")
			mu.Lock()
			assert.Zero(t, ran)
			mu.Unlock()

			clock.Lock()
			now = now.Add(2 * time.Second)
			clock.Unlock()
			waitFor(t, q)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, 4, ran)
		})
	}
}
