package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/rs/zerolog"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// SQLiteFile is the queue's database file name inside the data directory.
const SQLiteFile = "queue.db"

// sqlitePollInterval is how often idle workers on SQLite look for jobs
// unless configured: no other process inserts there, but the intake's
// pump hands jobs over in transactions of its own, which River's
// in-process wake-up does not see. A poll of the local file costs little.
const sqlitePollInterval = 200 * time.Millisecond

// OpenSQLite opens (creating and migrating) the embedded queue in dataDir.
// It is for one process, and takes the directory's lock first: a second
// process on the same directory fails, naming the first, before touching
// anything. At start, jobs a crashed run of this process left running are
// made available again at once.
func OpenSQLite(ctx context.Context, dataDir string, opts Options, handlers map[string]Handler, logger zerolog.Logger, m Metrics) (*Durable, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	lock, err := lockDataDir(dataDir)
	if err != nil {
		return nil, err
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = sqlitePollInterval
	}
	path := filepath.Join(dataDir, SQLiteFile)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	// SQLite allows one writer at a time; River's docs recommend one connection.
	db.SetMaxOpenConns(1)
	store := sqliteStore{db: db, lock: lock, serial: newLocalLocks()}
	if err := db.PingContext(ctx); err != nil {
		store.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	q, err := newDurable(ctx, riversqlite.New(db), store, store, opts, handlers, logger, m)
	if err != nil {
		store.Close()
		return nil, err
	}
	n, err := store.rescueOrphans(ctx)
	if err != nil {
		store.Close()
		return nil, err
	}
	if n > 0 {
		logger.Warn().Int("jobs", n).Msg("Resuming jobs left running by the previous process.")
	}
	return q, nil
}

// sqliteStore is the embedded database and the data directory's lock,
// released once the database is closed.
type sqliteStore struct {
	db   *sql.DB
	lock *flock.Flock
	// serial serialises jobs in this process, the only one on the directory.
	serial *localLocks
}

func (s sqliteStore) lockSerial(ctx context.Context, key string) (func(), error) {
	return s.serial.lockSerial(ctx, key)
}

func (s sqliteStore) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }
func (s sqliteStore) Close() error                   { return errors.Join(s.db.Close(), s.lock.Close()) }

// serialiseMigration runs migrate: the data directory's lock already keeps
// every other process out.
func (s sqliteStore) serialiseMigration(ctx context.Context, migrate func(context.Context) error) error {
	return migrate(ctx)
}

func (s sqliteStore) Count(ctx context.Context, states ...string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE state IN ("+quoteList(states)+")").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting jobs: %w", err)
	}
	return n, nil
}

// rescueOrphans makes jobs that were running when the process died
// available again; the data directory's lock guarantees that no other
// process is running them.
func (s sqliteStore) rescueOrphans(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, "UPDATE river_job SET state = 'available', scheduled_at = CURRENT_TIMESTAMP WHERE state = 'running'")
	if err != nil {
		return 0, fmt.Errorf("resuming interrupted jobs: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// OpenPostgres connects to PostgreSQL (migrating the schema), for any
// number of processes sharing the work. Connecting is bounded by
// Options.ConnectTimeout (or the URL's connect_timeout), so a server that
// accepts and never answers fails the start with an error naming its host,
// never the URL's password; replicas starting together migrate one at a
// time.
func OpenPostgres(ctx context.Context, url string, opts Options, handlers map[string]Handler, logger zerolog.Logger, m Metrics) (*Durable, error) {
	opts.fill()
	pool, err := connectPostgres(ctx, url, opts.ConnectTimeout)
	if err != nil {
		return nil, err
	}
	q, err := newDurable(ctx, riverpgxv5.New(pool), pgStore{pool}, pgStore{pool}, opts, handlers, logger, m)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return q, nil
}

type pgStore struct{ pool *pgxpool.Pool }

func (s pgStore) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }
func (s pgStore) Close() error                   { s.pool.Close(); return nil }

// lockSerial holds an advisory lock, so jobs with one Serial run one at a
// time across replicas.
func (s pgStore) lockSerial(ctx context.Context, key string) (func(), error) {
	return pgLockSerial(ctx, s.pool, key)
}

func (s pgStore) serialiseMigration(ctx context.Context, migrate func(context.Context) error) error {
	return withMigrationLock(ctx, s.pool, migrate)
}

func (s pgStore) Count(ctx context.Context, states ...string) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, "SELECT count(*) FROM river_job WHERE state::text IN ("+quoteList(states)+")").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting jobs: %w", err)
	}
	return n, nil
}

// quoteList renders fixed state names as SQL string literals.
func quoteList(states []string) string {
	q := make([]string, len(states))
	for i, s := range states {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return strings.Join(q, ",")
}

func unmarshalArgs(raw []byte, v any) error { return json.Unmarshal(raw, v) }

// runningFor counts the installation's running jobs.
func (s sqliteStore) runningFor(ctx context.Context, installation int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE state = 'running' AND json_extract(args, '$.installation') = ?", installation).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting the running jobs of installation %d: %w", installation, err)
	}
	return n, nil
}

func (s sqliteStore) othersWaiting(ctx context.Context, installation int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM river_job WHERE state = 'available' AND coalesce(json_extract(args, '$.installation'), 0) <> ?)", installation).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("looking for waiting jobs of installations other than %d: %w", installation, err)
	}
	return n != 0, nil
}

func (s sqliteStore) depthByInstallation(ctx context.Context) (map[int64]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT coalesce(json_extract(args, '$.installation'), 0), count(*) FROM river_job WHERE state IN ("+quoteList(waitingStates)+") GROUP BY 1")
	if err != nil {
		return nil, fmt.Errorf("counting waiting jobs by installation: %w", err)
	}
	return scanDepths(rows)
}

// runningFor counts the installation's running jobs on every replica.
func (s pgStore) runningFor(ctx context.Context, installation int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, "SELECT count(*) FROM river_job WHERE state = 'running' AND args->>'installation' = $1", strconv.FormatInt(installation, 10)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting the running jobs of installation %d: %w", installation, err)
	}
	return n, nil
}

func (s pgStore) othersWaiting(ctx context.Context, installation int64) (bool, error) {
	var found bool
	err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM river_job WHERE state = 'available' AND coalesce(args->>'installation', '0') <> $1)", strconv.FormatInt(installation, 10)).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("looking for waiting jobs of installations other than %d: %w", installation, err)
	}
	return found, nil
}

func (s pgStore) depthByInstallation(ctx context.Context) (map[int64]int, error) {
	rows, err := s.pool.Query(ctx, "SELECT coalesce((args->>'installation')::bigint, 0), count(*) FROM river_job WHERE state::text IN ("+quoteList(waitingStates)+") GROUP BY 1")
	if err != nil {
		return nil, fmt.Errorf("counting waiting jobs by installation: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("counting waiting jobs by installation: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// waitingStates are the states of jobs waiting for a worker.
var waitingStates = []string{"available", "retryable", "scheduled"}

func scanDepths(rows *sql.Rows) (map[int64]int, error) {
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("counting waiting jobs by installation: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
