package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The intake table holds jobs accepted but not yet handed to River: a
// plain row per job, unique by key, with the priority and due time its
// admission gave it. Appending is one cheap INSERT per job in a shared
// transaction; the pump moves rows to River and deletes them in one
// transaction, so a job is in exactly one of the two tables.

// intakeTable and intakeIndex are created with the migrations, the same on
// SQLite and PostgreSQL (the id column differs).
const (
	intakeTableSQLite = `CREATE TABLE IF NOT EXISTS ghcr_doctor_intake (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	job_key TEXT NOT NULL UNIQUE,
	args TEXT NOT NULL,
	priority INTEGER NOT NULL,
	due_at BIGINT NOT NULL DEFAULT 0
)`
	intakeTablePostgres = `CREATE TABLE IF NOT EXISTS ghcr_doctor_intake (
	id BIGSERIAL PRIMARY KEY,
	job_key TEXT NOT NULL UNIQUE,
	args TEXT NOT NULL,
	priority INTEGER NOT NULL,
	due_at BIGINT NOT NULL DEFAULT 0
)`
	intakeIndex = `CREATE INDEX IF NOT EXISTS ghcr_doctor_intake_order ON ghcr_doctor_intake (priority, id)`
)

// intakeStore is what the queue needs of its database for the intake.
type intakeStore interface {
	// createIntake creates the table; it runs with the migrations.
	createIntake(ctx context.Context) error
	// appendIntake stores jobs in one transaction and reports, per job,
	// whether its key was already waiting.
	appendIntake(ctx context.Context, jobs []jobArgs) ([]bool, error)
	// countIntake counts the jobs waiting in the intake.
	countIntake(ctx context.Context) (int, error)
}

// intakeMover takes up to limit of the first waiting jobs (by priority,
// then order of arrival), gives them to insert inside a transaction of the
// backend's type, deletes them in the same transaction and commits. It
// returns how many it moved.
type intakeMover[TTx any] interface {
	moveIntake(ctx context.Context, limit int, insert func(ctx context.Context, tx TTx, jobs []jobArgs) error) (int, error)
}

// intakeRow encodes a job for the intake.
func intakeRow(a jobArgs) (args string, due int64, err error) {
	raw, err := json.Marshal(a)
	if err != nil {
		return "", 0, fmt.Errorf("encoding job %s: %w", a.Key, err)
	}
	if !a.dueAt.IsZero() {
		due = a.dueAt.UnixNano()
	}
	return string(raw), due, nil
}

// fromIntakeRow decodes a job of the intake.
func fromIntakeRow(args string, priority int, due int64) (jobArgs, error) {
	var a jobArgs
	if err := json.Unmarshal([]byte(args), &a); err != nil {
		return jobArgs{}, fmt.Errorf("decoding a job of the intake: %w", err)
	}
	a.priority = priority
	if due != 0 {
		a.dueAt = time.Unix(0, due)
	}
	return a, nil
}

const (
	intakeInsert = "INSERT INTO ghcr_doctor_intake (job_key, args, priority, due_at) VALUES (%s) ON CONFLICT (job_key) DO NOTHING"
	intakeSelect = "SELECT id, args, priority, due_at FROM ghcr_doctor_intake ORDER BY priority, id LIMIT %s"
)

func (s sqliteStore) createIntake(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, intakeTableSQLite); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, intakeIndex)
	return err
}

func (s sqliteStore) appendIntake(ctx context.Context, jobs []jobArgs) ([]bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("beginning the intake transaction: %w", err)
	}
	// A rollback after the commit does nothing; before it, it ends the
	// transaction whatever path returned.
	defer func() { _ = tx.Rollback() }()
	stmt, err := tx.PrepareContext(ctx, fmt.Sprintf(intakeInsert, "?, ?, ?, ?"))
	if err != nil {
		return nil, fmt.Errorf("preparing the intake insert: %w", err)
	}
	defer stmt.Close()
	dups := make([]bool, len(jobs))
	for i, a := range jobs {
		args, due, err := intakeRow(a)
		if err != nil {
			return nil, err
		}
		res, err := stmt.ExecContext(ctx, a.UniqueKey, args, a.priority, due)
		if err != nil {
			return nil, fmt.Errorf("storing job %s: %w", a.Key, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, fmt.Errorf("storing job %s: %w", a.Key, err)
		}
		dups[i] = n == 0
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("committing the intake: %w", err)
	}
	return dups, nil
}

func (s sqliteStore) countIntake(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM ghcr_doctor_intake").Scan(&n); err != nil {
		return 0, fmt.Errorf("counting the intake: %w", err)
	}
	return n, nil
}

func (s sqliteStore) moveIntake(ctx context.Context, limit int, insert func(context.Context, *sql.Tx, []jobArgs) error) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("beginning the intake move: %w", err)
	}
	// A rollback after the commit does nothing; before it, it ends the
	// transaction whatever path returned.
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(intakeSelect, "?"), limit)
	if err != nil {
		return 0, fmt.Errorf("reading the intake: %w", err)
	}
	ids, jobs, err := scanIntake(func(dest ...any) error { return rows.Scan(dest...) }, rows.Next, rows.Err)
	rows.Close()
	if err != nil || len(jobs) == 0 {
		return 0, err
	}
	if err := insert(ctx, tx, jobs); err != nil {
		return 0, err
	}
	placeholders := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	idArgs := make([]any, len(ids))
	for i, id := range ids {
		idArgs[i] = id
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM ghcr_doctor_intake WHERE id IN ("+placeholders+")", idArgs...); err != nil {
		return 0, fmt.Errorf("deleting moved jobs from the intake: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("committing the intake move: %w", err)
	}
	return len(jobs), nil
}

// scanIntake reads the rows of intakeSelect.
func scanIntake(scan func(dest ...any) error, next func() bool, rowsErr func() error) ([]int64, []jobArgs, error) {
	var ids []int64
	var jobs []jobArgs
	for next() {
		var (
			id       int64
			args     string
			priority int
			due      int64
		)
		if err := scan(&id, &args, &priority, &due); err != nil {
			return nil, nil, fmt.Errorf("reading the intake: %w", err)
		}
		a, err := fromIntakeRow(args, priority, due)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, id)
		jobs = append(jobs, a)
	}
	if err := rowsErr(); err != nil {
		return nil, nil, fmt.Errorf("reading the intake: %w", err)
	}
	return ids, jobs, nil
}

func (s pgStore) createIntake(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx, intakeTablePostgres); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, intakeIndex)
	return err
}

// appendIntake sends the batch's inserts in one round trip.
func (s pgStore) appendIntake(ctx context.Context, jobs []jobArgs) ([]bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("beginning the intake transaction: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	batch := &pgx.Batch{}
	query := fmt.Sprintf(intakeInsert, "$1, $2, $3, $4")
	for _, a := range jobs {
		args, due, err := intakeRow(a)
		if err != nil {
			return nil, err
		}
		batch.Queue(query, a.UniqueKey, args, a.priority, due)
	}
	results := tx.SendBatch(ctx, batch)
	dups := make([]bool, len(jobs))
	for i, a := range jobs {
		tag, err := results.Exec()
		if err != nil {
			_ = results.Close()
			return nil, fmt.Errorf("storing job %s: %w", a.Key, err)
		}
		dups[i] = tag.RowsAffected() == 0
	}
	if err := results.Close(); err != nil {
		return nil, fmt.Errorf("storing the intake batch: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("committing the intake: %w", err)
	}
	return dups, nil
}

func (s pgStore) countIntake(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM ghcr_doctor_intake").Scan(&n); err != nil {
		return 0, fmt.Errorf("counting the intake: %w", err)
	}
	return n, nil
}

// moveIntake locks the rows it takes, skipping those another replica's
// pump holds, so replicas share the intake without waiting on each other.
func (s pgStore) moveIntake(ctx context.Context, limit int, insert func(context.Context, pgx.Tx, []jobArgs) error) (int, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("beginning the intake move: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	rows, err := tx.Query(ctx, fmt.Sprintf(intakeSelect, "$1")+" FOR UPDATE SKIP LOCKED", limit)
	if err != nil {
		return 0, fmt.Errorf("reading the intake: %w", err)
	}
	ids, jobs, err := scanIntake(func(dest ...any) error { return rows.Scan(dest...) }, rows.Next, func() error { rows.Close(); return rows.Err() })
	rows.Close()
	if err != nil || len(jobs) == 0 {
		return 0, err
	}
	if err := insert(ctx, tx, jobs); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM ghcr_doctor_intake WHERE id = ANY($1)", ids); err != nil {
		return 0, fmt.Errorf("deleting moved jobs from the intake: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("committing the intake move: %w", err)
	}
	return len(jobs), nil
}
