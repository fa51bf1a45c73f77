package queue

import (
	"context"
	"fmt"
)

// Marks are durable facts recorded once by key ("every workflow of
// repository 42 was checked"), kept in the queue's database so that every
// process on it sees them, across restarts. Unlike a job's unique key,
// they do not expire with the finished jobs.
type marks interface {
	// createMarks creates the table; it runs with the migrations.
	createMarks(ctx context.Context) error
	recorded(ctx context.Context, key string) (bool, error)
	record(ctx context.Context, key string) error
}

// marksTable is created next to River's tables, the same way on SQLite and PostgreSQL.
const marksTable = `CREATE TABLE IF NOT EXISTS ghcr_doctor_mark (
	key TEXT PRIMARY KEY,
	recorded_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)`

// Recorded reports whether key was recorded.
func (q *Durable) Recorded(ctx context.Context, key string) (bool, error) {
	ok, err := q.db.recorded(ctx, key)
	if err != nil {
		return false, fmt.Errorf("reading mark %s: %w", key, err)
	}
	return ok, nil
}

// Record records key; recording it again, from any process, is no error.
func (q *Durable) Record(ctx context.Context, key string) error {
	if err := q.db.record(ctx, key); err != nil {
		return fmt.Errorf("recording mark %s: %w", key, err)
	}
	return nil
}

func (s sqliteStore) createMarks(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, marksTable)
	return err
}

func (s sqliteStore) recorded(ctx context.Context, key string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM ghcr_doctor_mark WHERE key = ?", key).Scan(&n)
	return n > 0, err
}

func (s sqliteStore) record(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO ghcr_doctor_mark (key) VALUES (?) ON CONFLICT (key) DO NOTHING", key)
	return err
}

func (s pgStore) createMarks(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, marksTable)
	return err
}

func (s pgStore) recorded(ctx context.Context, key string) (bool, error) {
	var n int
	err := s.pool.QueryRow(ctx, "SELECT count(*) FROM ghcr_doctor_mark WHERE key = $1", key).Scan(&n)
	return n > 0, err
}

func (s pgStore) record(ctx context.Context, key string) error {
	_, err := s.pool.Exec(ctx, "INSERT INTO ghcr_doctor_mark (key) VALUES ($1) ON CONFLICT (key) DO NOTHING", key)
	return err
}
