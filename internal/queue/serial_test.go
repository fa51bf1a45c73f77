package queue

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLocalLocks: while a key is held, another taker of the same key waits
// (here: until its context ends) and other keys are free; once released,
// the key can be taken again.
func TestLocalLocks(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		key     string
		waiting bool
	}{
		{"same key waits", "command:acme/app", true},
		{"another key runs", "command:acme/web", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			locks := newLocalLocks()
			unlock, err := locks.lockSerial(context.Background(), "command:acme/app")
			require.NoError(t, err)
			other, err := locks.lockSerial(cancelled, tt.key)
			if tt.waiting {
				require.ErrorIs(t, err, context.Canceled)
				unlock()
				again, err := locks.lockSerial(cancelled, tt.key)
				require.NoError(t, err, "released, the key is free")
				again()
				return
			}
			require.NoError(t, err)
			other()
			unlock()
			assert.Empty(t, locks.held)
		})
	}
}

// TestDurableSerial: jobs sharing a serial key never run at once; jobs
// without one still run side by side.
func TestDurableSerial(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			running, most, done := 0, 0, 0
			q := open(t, fast(), map[string]Handler{"k": func(context.Context, Job) error {
				mu.Lock()
				running++
				most = max(most, running)
				mu.Unlock()
				for range 1000 {
					runtime.Gosched() // give a second job of the key every chance to start
				}
				mu.Lock()
				running--
				done++
				mu.Unlock()
				return nil
			}}, nil)
			start(t, q)
			for i := range 8 {
				require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: fmt.Sprint("fix-", i), Serial: "command:acme/app"}))
			}
			waitFor(t, q)
			assert.Equal(t, 8, done)
			assert.Equal(t, 1, most, "jobs of one serial key ran at once")
		})
	}
}
