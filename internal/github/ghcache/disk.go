package ghcache

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// MaxAge is how long an entry unused is kept: older ones are removed when
// the cache is opened.
const MaxAge = 30 * 24 * time.Hour

// Disk is an httpcache.Cache of files in one directory, one per request
// URL, readable by the owner only.
type Disk struct{ dir string }

// Open opens (creating it, mode 0700) the cache directory of a token at an
// API address under root, and removes entries unused for MaxAge.
func Open(root, apiURL, token string) (*Disk, error) {
	sum := sha256.Sum256([]byte(apiURL + "\x00" + token))
	dir := filepath.Join(root, hex.EncodeToString(sum[:12]))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the cache directory: %w", err)
	}
	d := &Disk{dir: dir}
	d.prune(time.Now().Add(-MaxAge))
	return d, nil
}

// Dir is the directory the entries are in.
func (d *Disk) Dir() string { return d.dir }

func (d *Disk) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(d.dir, hex.EncodeToString(sum[:]))
}

// Get returns the stored response for key; reading it marks it used.
func (d *Disk) Get(key string) ([]byte, bool) {
	p := d.path(key)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now)
	return b, true
}

// Set stores a response, replacing the file at once (written aside, then renamed).
func (d *Disk) Set(key string, resp []byte) {
	f, err := os.CreateTemp(d.dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := f.Write(resp)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), d.path(key)) != nil {
		_ = os.Remove(f.Name())
	}
}

// Delete removes a stored response.
func (d *Disk) Delete(key string) { _ = os.Remove(d.path(key)) }

// prune removes entries (and leftover temporary files) last used before cutoff.
func (d *Disk) prune(cutoff time.Time) {
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) || err != nil || !info.Mode().IsRegular() {
			continue
		}
		if info.ModTime().Before(cutoff) {
			_ = os.Remove(filepath.Join(d.dir, e.Name()))
		}
	}
}
