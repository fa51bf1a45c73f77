package logarchive

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/logarchive/ziptest"
)

func buildZip(t *testing.T, members map[string]string, order ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = io.WriteString(w, members[name])
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func names(entries []Entry) []string {
	out := []string{}
	for _, e := range entries {
		out = append(out, e.Name)
	}
	return out
}

func readAll(t *testing.T, e Entry) string {
	t.Helper()
	rc, err := e.Open()
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return string(b)
}

func TestOpenSelectsMembers(t *testing.T) {
	members := map[string]string{
		"0_build.txt":          "build job log",
		"build/":               "",
		"build/1_Set up.txt":   "x",
		"build/3_Push.txt":     "y",
		"test/10_Report.txt":   "r",
		"test/2_Run tests.txt": "t",
		"test/system.txt":      "s",
	}
	order := []string{"build/", "build/3_Push.txt", "build/1_Set up.txt", "0_build.txt", "test/10_Report.txt", "test/2_Run tests.txt", "test/system.txt"}
	data := buildZip(t, members, order...)
	entries, err := Open(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	assert.Equal(t, []string{"0_build.txt", "test/2_Run tests.txt", "test/10_Report.txt", "test/system.txt"}, names(entries),
		"the job-level file replaces its per-step files; jobs without one keep their steps, in step order")
	assert.Equal(t, "build job log", readAll(t, entries[0]))
	assert.Equal(t, "build job log", readAll(t, entries[0]), "entries can be reopened")
}

func TestOpenPlainText(t *testing.T) {
	data := []byte("2026-01-11T21:51:33.5480147Z hello\n")
	entries, err := Open(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "", entries[0].Name)
	assert.Equal(t, string(data), readAll(t, entries[0]))

	entries, err = Open(bytes.NewReader(nil), 0)
	require.NoError(t, err)
	assert.Equal(t, "", readAll(t, entries[0]))
}

func TestOpenCorruptZip(t *testing.T) {
	data := []byte("PK\x03\x04 this is not really a zip archive")
	_, err := Open(bytes.NewReader(data), int64(len(data)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "zip")
}

func TestOpenPath(t *testing.T) {
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "logs.zip")
	require.NoError(t, os.WriteFile(zipPath, buildZip(t, map[string]string{"0_a.txt": "A", "1_b.txt": "B"}, "1_b.txt", "0_a.txt"), 0o600))
	src, err := OpenPath(zipPath, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"0_a.txt", "1_b.txt"}, names(src.Entries))
	assert.Equal(t, "B", readAll(t, src.Entries[1]))
	require.NoError(t, src.Close())

	_, err = OpenPath(filepath.Join(dir, "missing.txt"), nil)
	require.ErrorIs(t, err, os.ErrNotExist)

	_, err = OpenPath(dir, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is a directory")
}

func TestOpenPathStdin(t *testing.T) {
	src, err := OpenPath(Stdin, strings.NewReader("plain log\n"))
	require.NoError(t, err)
	require.Len(t, src.Entries, 1)
	assert.Equal(t, "plain log\n", readAll(t, src.Entries[0]))
	_, err = src.Entries[0].Open()
	require.Error(t, err, "standard input streams once")
	require.NoError(t, src.Close())

	data := buildZip(t, map[string]string{"0_job.txt": "J"}, "0_job.txt")
	src, err = OpenPath(Stdin, bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, []string{"0_job.txt"}, names(src.Entries))
	assert.Equal(t, "J", readAll(t, src.Entries[0]))
	require.NoError(t, src.Close())

	_, err = OpenPath(Stdin, strings.NewReader("PK\x03\x04 broken"))
	require.Error(t, err)
}

// TestOverlappingMembersAreRefused: a central directory pointing thousands
// of entries at one member's data is refused before anything is read.
func TestOverlappingMembersAreRefused(t *testing.T) {
	data, err := ziptest.Overlapping([]byte(strings.Repeat("denied: permission_denied: write_package\n", 1000)), 2000)
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err, "Go's zip reader accepts it as it is")
	require.Len(t, zr.File, 2000)

	_, err = Open(bytes.NewReader(data), int64(len(data)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "overlap")
}
