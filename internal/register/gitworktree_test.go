package register_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/register"
)

func TestGitWorkTree(t *testing.T) {
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	linked := filepath.Join(base, "linked")
	require.NoError(t, os.MkdirAll(filepath.Join(repo, ".git"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(repo, "deploy"), 0o755))
	require.NoError(t, os.MkdirAll(linked, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(linked, ".git"), []byte("gitdir: ../repo/.git/worktrees/linked\n"), 0o644))
	tests := []struct {
		name, path, root string
	}{
		{"in the root", filepath.Join(repo, "ghcr-doctor.yml"), repo},
		{"in a folder", filepath.Join(repo, "deploy", "app.yml"), repo},
		{"in a linked work tree", filepath.Join(linked, "ghcr-doctor.yml"), linked},
		{"outside", filepath.Join(base, "ghcr-doctor.yml"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, ok, err := register.GitWorkTree(tt.path)
			require.NoError(t, err)
			assert.Equal(t, tt.root != "", ok)
			assert.Equal(t, tt.root, root)
		})
	}
}
