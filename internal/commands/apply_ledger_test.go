package commands

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// branchLedger records the keys written, and the GitHub writes made
// before each; fail makes recording fail.
type branchLedger struct {
	gh   *memGitHub
	keys map[string]int
	fail bool
}

func (l *branchLedger) Writing(_ context.Context, key string) error {
	if l.fail {
		return errors.New("database is locked")
	}
	l.keys[key] = len(l.gh.writes)
	return nil
}

func TestApplyPullRequestRecordsTheBranchFirst(t *testing.T) {
	const branch = "ghcr-doctor/packages-write/release-build"
	t.Run("recorded before anything is written", func(t *testing.T) {
		gh := newMemGitHub(map[string]string{planPath: wfMissing})
		l := &branchLedger{gh: gh, keys: map[string]int{}}
		a := applier(gh)
		a.Ledger = l
		res := a.Apply(context.Background(), prStep, false)
		require.Equal(t, StatusDone, res.Status, res.Message)
		writes, ok := l.keys[report.FixPullRequestKey("acme", "app", branch)]
		require.True(t, ok, "the fix branch is in the ledger: %v", l.keys)
		assert.Zero(t, writes)
	})
	t.Run("a ledger that cannot record stops the step", func(t *testing.T) {
		gh := newMemGitHub(map[string]string{planPath: wfMissing})
		a := applier(gh)
		a.Ledger = &branchLedger{gh: gh, keys: map[string]int{}, fail: true}
		res := a.Apply(context.Background(), prStep, false)
		assert.Equal(t, StatusFailed, res.Status)
		assert.Contains(t, res.Message, "nothing was changed")
		assert.NotContains(t, res.Message, "database is locked", "the database's error stays in the log")
		assert.Empty(t, gh.writes)
	})
}
