// Package queuetest gives tests a PostgreSQL database to run the queue on:
// the URL from the environment (required in CI) and a fresh schema per test.
package queuetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestPostgresEnv names the variable that holds a PostgreSQL URL for tests.
// CI always sets it; without it, tests that need PostgreSQL are skipped,
// except under CI=true, where they fail.
const TestPostgresEnv = "GHCR_DOCTOR_TEST_POSTGRES_URL"

// PostgresURL returns the test database URL, skipping (or, in CI, failing)
// the test when there is none.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(TestPostgresEnv)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s must be set in CI", TestPostgresEnv)
		}
		t.Logf("%s not set: skipping the PostgreSQL tests", TestPostgresEnv)
	}
	return u
}

// FreshPostgresSchema creates an empty schema for one test and returns a URL
// whose search_path points at it, so tests never see each other's jobs.
func FreshPostgresSchema(t testing.TB, base string) string {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parsing %s: %v", TestPostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
