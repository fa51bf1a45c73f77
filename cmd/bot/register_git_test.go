package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRegisterRefusesToWriteSecretsIntoAGitWorkTree: without --out, bot
// register writes nothing in a work tree and says why.
func TestRegisterRefusesToWriteSecretsIntoAGitWorkTree(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, ".git"), 0o755))
	t.Chdir(dir)
	r := runBot(t, "", "register", "--webhook-url", "https://bot.example.com")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "refusing to write ghcr-doctor.yml into the git work tree "+dir)
	assert.Contains(t, r.stderr, "--out")
	assert.NoFileExists(t, filepath.Join(dir, "ghcr-doctor.yml"))
}

// TestGitignoreKeepsSecretsAndDataOut: what bot register and bot serve
// write in the repository's root is ignored.
func TestGitignoreKeepsSecretsAndDataOut(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	for _, p := range []string{"ghcr-doctor.yml", "ghcr-doctor.yml.app-42", "app.pem", "data/queue.db", "cmd/bot/data/queue.db"} {
		cmd := exec.Command("git", "check-ignore", "-q", "--no-index", p)
		cmd.Dir = "../.."
		assert.NoError(t, cmd.Run(), "%s is ignored by .gitignore", p)
	}
}
