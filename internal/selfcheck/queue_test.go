package selfcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDataDir(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o600))
	tests := []struct {
		name, dir string
		want      Status
		detail    string
	}{
		{"exists", base, OK, "is writable"},
		{"created at start", filepath.Join(base, "a", "b"), OK, "will be created in " + base},
		{"a file in the way", file, Problem, "is not a directory"},
		{"below a file", filepath.Join(file, "data"), Problem, "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := DataDir(tt.dir)
			assert.Equal(t, tt.want, r.Status, r.Detail)
			assert.Contains(t, r.Detail, tt.detail)
			if tt.want == Problem {
				assert.Contains(t, r.Fix, "queue.data_dir")
			}
			entries, err := os.ReadDir(base)
			require.NoError(t, err)
			for _, e := range entries {
				assert.False(t, strings.HasPrefix(e.Name(), ".ghcr-doctor-check"), "nothing is left behind")
			}
			assert.NoDirExists(t, filepath.Join(base, "a"), "the directory is not created by the check")
		})
	}
}

func TestBlocking(t *testing.T) {
	results := []CheckResult{
		{Check: "a", Status: OK},
		{Check: "b", Status: Warn},
		{Check: "c", Status: Problem, Unreachable: true},
		{Check: "d", Status: Problem},
	}
	assert.True(t, Failed(results))
	blocking := Blocking(results)
	require.Len(t, blocking, 1, "GitHub or the database out of reach does not stop a start")
	assert.Equal(t, "d", blocking[0].Check)
	assert.False(t, Failed(results[:3:3][:2]))
}
