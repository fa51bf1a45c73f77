package queue

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSecondProcessOnTheDataDirectory: a second queue on the same SQLite
// data directory is refused, naming the first process, and the first one's
// running job is neither made available again nor run twice.
func TestSecondProcessOnTheDataDirectory(t *testing.T) {
	dir := t.TempDir()
	var runs atomic.Int32
	running := make(chan struct{})
	release := make(chan struct{})
	handlers := map[string]Handler{"k": func(context.Context, Job) error {
		runs.Add(1)
		running <- struct{}{}
		<-release
		return nil
	}}
	first, err := OpenSQLite(context.Background(), dir, fast(), handlers, zerolog.Nop(), nil)
	require.NoError(t, err)
	require.NoError(t, first.Start(context.Background()))
	require.NoError(t, first.Enqueue(context.Background(), Job{Kind: "k", Key: "x"}))
	<-running

	second, err := OpenSQLite(context.Background(), dir, fast(), handlers, zerolog.Nop(), nil)
	require.Error(t, err)
	assert.Nil(t, second)
	assert.Contains(t, err.Error(), "in use by another ghcr-doctor")
	assert.Contains(t, err.Error(), fmt.Sprintf("process %d", os.Getpid()), "the error names the process")

	n, err := first.db.Count(context.Background(), "running")
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the first process's job is still running, not made available again")
	close(release)
	waitFor(t, first)
	assert.EqualValues(t, 1, runs.Load(), "the job ran once")

	require.NoError(t, first.Shutdown(context.Background()))
	again, err := OpenSQLite(context.Background(), dir, fast(), handlers, zerolog.Nop(), nil)
	require.NoError(t, err, "the lock goes with the process that held it")
	require.NoError(t, again.db.Close())
}
