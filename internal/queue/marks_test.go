package queue

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarksAreRecordedOnce(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			q := open(t, fast(), map[string]Handler{}, nil)
			t.Cleanup(func() { _ = q.Shutdown(context.Background()) })
			ctx := context.Background()
			done, err := q.Recorded(ctx, "preflight-baseline:1")
			require.NoError(t, err)
			assert.False(t, done)
			require.NoError(t, q.Record(ctx, "preflight-baseline:1"))
			require.NoError(t, q.Record(ctx, "preflight-baseline:1"), "recording twice is no error")
			done, err = q.Recorded(ctx, "preflight-baseline:1")
			require.NoError(t, err)
			assert.True(t, done)
			done, err = q.Recorded(ctx, "preflight-baseline:2")
			require.NoError(t, err)
			assert.False(t, done, "marks are by key")
		})
	}
}

func TestMarksOutliveTheProcess(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	q, err := OpenSQLite(ctx, dir, fast(), map[string]Handler{}, zerolog.Nop(), nil)
	require.NoError(t, err)
	require.NoError(t, q.Record(ctx, "k"))
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, q.Shutdown(sctx))

	q, err = OpenSQLite(ctx, dir, fast(), map[string]Handler{}, zerolog.Nop(), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = q.Shutdown(context.Background()) })
	done, err := q.Recorded(ctx, "k")
	require.NoError(t, err)
	assert.True(t, done)
}
