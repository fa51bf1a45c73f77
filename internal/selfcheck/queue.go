package selfcheck

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
)

// Check names.
const (
	CheckDataDir  = "queue data directory"
	CheckPostgres = "queue database"
)

func checkQueue(ctx context.Context, q config.Queue, timeout time.Duration) CheckResult {
	if q.PostgresURL != "" {
		return Postgres(ctx, q.PostgresURL, timeout)
	}
	return DataDir(q.DataDir)
}

// DataDir checks that the embedded queue's directory can be written: the
// directory itself, or, when it does not exist yet, the nearest parent the
// server would create it in. Nothing is left behind.
func DataDir(dir string) CheckResult {
	r := CheckResult{Check: CheckDataDir}
	fix := fmt.Sprintf("create %s and give the server's user write access to it (chown or chmod), or choose another directory with queue.data_dir or %s", dir, config.EnvDataDir)
	at := dir
	for {
		info, err := os.Stat(at)
		if err == nil {
			if !info.IsDir() {
				r.Status, r.Detail, r.Fix = Problem, at+" is not a directory", fix
				return r
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			r.Status, r.Detail, r.Fix = Problem, err.Error(), fix
			return r
		}
		parent := filepath.Dir(at)
		if parent == at {
			break
		}
		at = parent
	}
	f, err := os.CreateTemp(at, ".ghcr-doctor-check-*")
	if err != nil {
		r.Status, r.Fix = Problem, fix
		r.Detail = fmt.Sprintf("cannot write in %s: %v", at, err)
		return r
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	r.Status = OK
	r.Detail = dir + " is writable"
	if at != dir {
		r.Detail = fmt.Sprintf("%s will be created in %s, which is writable", dir, at)
	}
	return r
}

// Postgres connects to the queue's database and pings it.
func Postgres(ctx context.Context, rawURL string, timeout time.Duration) CheckResult {
	r := CheckResult{Check: CheckPostgres}
	where := "the database"
	if u, err := url.Parse(rawURL); err == nil {
		where = u.Redacted()
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, rawURL)
	if err == nil {
		err = conn.Ping(ctx)
		conn.Close(context.Background())
	}
	if err != nil {
		r.Status, r.Unreachable = Problem, true
		r.Detail = fmt.Sprintf("cannot connect to %s: %v", where, err)
		r.Fix = fmt.Sprintf("check queue.postgres_url (or %s): host, port, user, password and database, and that the database accepts connections from this host", config.EnvPostgresURL)
		return r
	}
	r.Status, r.Detail = OK, "connected to "+where
	return r
}
