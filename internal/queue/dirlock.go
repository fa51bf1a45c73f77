package queue

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// LockFile is the file in the data directory that the serving process
// holds locked, and in which it names itself.
const LockFile = "queue.lock"

// lockDataDir takes the data directory for this process, so that a second
// process on it stops before touching the queue (it would otherwise make
// the first one's running jobs available again and run them twice). The
// lock goes with the process, however it ends.
func lockDataDir(dir string) (*flock.Flock, error) {
	path := filepath.Join(dir, LockFile)
	lock := flock.New(path, flock.SetPermissions(0o600))
	ok, err := lock.TryLock()
	if err != nil {
		return nil, fmt.Errorf("locking the data directory %s: %w", dir, err)
	}
	if !ok {
		return nil, fmt.Errorf("the data directory %s is in use by another ghcr-doctor (%s): run one bot serve per data directory, or share a PostgreSQL queue between replicas",
			dir, holderOf(path))
	}
	host, _ := os.Hostname()
	// Best effort: the name only makes the next refusal clearer.
	_ = os.WriteFile(path, fmt.Appendf(nil, "process %d on %s, since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339)), 0o600)
	return lock, nil
}

// holderOf says which process holds the lock, as it wrote it.
func holderOf(path string) string {
	b, err := os.ReadFile(path)
	if s := strings.TrimSpace(string(b)); err == nil && s != "" && len(s) < 200 {
		return s
	}
	return "another process holds " + path
}
