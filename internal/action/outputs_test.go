package action

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteOutputs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "output")
	require.NoError(t, os.WriteFile(path, []byte("earlier=kept\n"), 0o600))
	random := bytes.NewReader(bytes.Repeat([]byte{0xab}, 64))
	err := WriteOutputs(path, []Output{{"found", "true"}, {"fix", "one\ntwo"}}, random)
	require.NoError(t, err)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	d := "ghadelimiter_" + strings.Repeat("ab", 16)
	assert.Equal(t, "earlier=kept\nfound<<"+d+"\ntrue\n"+d+"\nfix<<"+d+"\none\ntwo\n"+d+"\n", string(got))
}

func TestOutputDelimiterIsNotInTheValue(t *testing.T) {
	first := "ghadelimiter_" + strings.Repeat("00", 16)
	random := bytes.NewReader(append(make([]byte, 16), bytes.Repeat([]byte{1}, 16)...))
	path := filepath.Join(t.TempDir(), "output")
	require.NoError(t, WriteOutputs(path, []Output{{"fix", "x\n" + first + "\nfound=false"}}, random))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	second := "ghadelimiter_" + strings.Repeat("01", 16)
	assert.Equal(t, "fix<<"+second+"\nx\n"+first+"\nfound=false\n"+second+"\n", string(got))
}

func TestWriteOutputsNeedsAFile(t *testing.T) {
	err := WriteOutputs(filepath.Join(t.TempDir(), "missing", "output"), []Output{{"found", "true"}}, nil)
	assert.ErrorContains(t, err, "opening GITHUB_OUTPUT")
}
