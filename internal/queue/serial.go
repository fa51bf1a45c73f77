package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
)

// serialiser holds the lock of a Job.Serial while the job runs.
type serialiser interface {
	// lockSerial waits for the lock of key and returns its release.
	lockSerial(ctx context.Context, key string) (unlock func(), err error)
}

// localLocks serialises jobs inside one process: enough for SQLite, where
// the data directory's lock keeps every other process out.
type localLocks struct {
	mu   sync.Mutex
	held map[string]chan struct{}
}

func newLocalLocks() *localLocks { return &localLocks{held: map[string]chan struct{}{}} }

func (l *localLocks) lockSerial(ctx context.Context, key string) (func(), error) {
	for {
		l.mu.Lock()
		released, busy := l.held[key]
		if !busy {
			released = make(chan struct{})
			l.held[key] = released
			l.mu.Unlock()
			return func() {
				l.mu.Lock()
				delete(l.held, key)
				l.mu.Unlock()
				close(released)
			}, nil
		}
		l.mu.Unlock()
		select {
		case <-released:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the jobs of %s: %w", key, ctx.Err())
		}
	}
}

// serialLock is the session advisory lock of a serial key on PostgreSQL,
// shared by every replica on the database.
const serialLock = `hashtextextended('ghcr-doctor serial ' || current_schema() || ' ' || $1, 0)`

// pgLockSerial takes the advisory lock of key on a connection of its own,
// held until the release.
func pgLockSerial(ctx context.Context, pool *pgxpool.Pool, key string) (func(), error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("taking a connection for the lock of %s: %w", key, err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock("+serialLock+")", key); err != nil {
		conn.Release()
		return nil, fmt.Errorf("waiting for the jobs of %s: %w", key, err)
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock("+serialLock+")", key); err != nil {
			// A session lock goes with its connection: close it rather
			// than hand it back to the pool still holding the lock.
			_ = conn.Conn().Close(ctx)
		}
		conn.Release()
	}, nil
}

// errNoSerialiser is returned when a job asks to be serialised on a store
// that cannot.
var errNoSerialiser = errors.New("the queue's store cannot serialise jobs")
