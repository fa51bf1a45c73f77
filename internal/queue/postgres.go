package queue

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// connectPostgres opens a pool on url and checks that the server answers
// within timeout. Errors name the server (host, port, database), never the
// URL, which may hold a password.
func connectPostgres(ctx context.Context, url string, timeout time.Duration) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx shows the URL in its parse errors with the password masked.
		return nil, fmt.Errorf("the PostgreSQL URL is not valid: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout <= 0 {
		cfg.ConnConfig.ConnectTimeout = timeout
	}
	where := net.JoinHostPort(cfg.ConnConfig.Host, strconv.Itoa(int(cfg.ConnConfig.Port)))
	if cfg.ConnConfig.Database != "" {
		where += "/" + cfg.ConnConfig.Database
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to PostgreSQL at %s: %w", where, err)
	}
	pctx, cancel := context.WithTimeout(ctx, cfg.ConnConfig.ConnectTimeout)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		if pctx.Err() != nil {
			return nil, fmt.Errorf("connecting to PostgreSQL at %s: no answer within %s: %w", where, cfg.ConnConfig.ConnectTimeout, err)
		}
		return nil, fmt.Errorf("connecting to PostgreSQL at %s: %w", where, err)
	}
	return pool, nil
}

// migrationLock is the session advisory lock that serialises migrations of
// the queue's schema: replicas of a new deployment start together, and two
// migrating one fresh database at once collide on its catalog.
const migrationLock = `hashtextextended('ghcr-doctor queue migration ' || current_schema(), 0)`

// withMigrationLock runs migrate holding the migration lock on a connection
// of its own; the others wait for it, then find the schema migrated.
func withMigrationLock(ctx context.Context, pool *pgxpool.Pool, migrate func(context.Context) error) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("taking a connection for the migration lock: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock("+migrationLock+")"); err != nil {
		return fmt.Errorf("waiting for the migration lock: %w", err)
	}
	migrateErr := migrate(ctx)
	if _, err := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock("+migrationLock+")"); err != nil {
		// A session lock goes with its connection: close it rather than
		// hand it back to the pool still holding the lock.
		_ = conn.Conn().Close(context.WithoutCancel(ctx))
		return errors.Join(migrateErr, fmt.Errorf("releasing the migration lock: %w", err))
	}
	return migrateErr
}
