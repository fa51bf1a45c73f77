package queue

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemory(t *testing.T) {
	ctx := context.Background()
	t.Run("runs jobs and drops duplicates", func(t *testing.T) {
		var n atomic.Int32
		q := NewMemory(2, 10, map[string]Handler{"k": func(context.Context, Job) error { n.Add(1); return nil }}, zerolog.Nop(), nil)
		for _, key := range []string{"a", "b", "a"} {
			require.NoError(t, q.Enqueue(ctx, Job{Kind: "k", Key: key}))
		}
		q.Wait()
		assert.EqualValues(t, 2, n.Load())
		require.NoError(t, q.Shutdown(ctx))
		assert.ErrorIs(t, q.Enqueue(ctx, Job{Kind: "k", Key: "c"}), ErrClosed)
	})
	t.Run("retries transient errors, not permanent ones", func(t *testing.T) {
		var transient, perm atomic.Int32
		q := NewMemory(1, 10, map[string]Handler{
			"t": func(context.Context, Job) error { transient.Add(1); return errors.New("502") },
			"p": func(context.Context, Job) error { perm.Add(1); return Permanent(errors.New("gone")) },
		}, zerolog.Nop(), nil)
		q.Backoff = time.Millisecond
		require.NoError(t, q.Enqueue(ctx, Job{Kind: "t", Key: "1"}))
		require.NoError(t, q.Enqueue(ctx, Job{Kind: "p", Key: "2"}))
		q.Wait()
		assert.EqualValues(t, 3, transient.Load())
		assert.EqualValues(t, 1, perm.Load())
		// A failed job's key may be queued again.
		require.NoError(t, q.Enqueue(ctx, Job{Kind: "p", Key: "2"}))
		q.Wait()
		assert.EqualValues(t, 2, perm.Load())
	})
	t.Run("full queue refuses", func(t *testing.T) {
		block := make(chan struct{})
		q := NewMemory(1, 1, map[string]Handler{"k": func(context.Context, Job) error { <-block; return nil }}, zerolog.Nop(), nil)
		require.NoError(t, q.Enqueue(ctx, Job{Kind: "k", Key: "1"}))
		var err error
		for i := 2; i < 5 && err == nil; i++ {
			err = q.Enqueue(ctx, Job{Kind: "k", Key: string(rune('0' + i))})
		}
		assert.ErrorIs(t, err, ErrFull)
		close(block)
		q.Wait()
	})
	t.Run("unknown kind", func(t *testing.T) {
		q := NewMemory(1, 1, map[string]Handler{}, zerolog.Nop(), nil)
		assert.Error(t, q.Enqueue(ctx, Job{Kind: "nope"}))
	})
}
