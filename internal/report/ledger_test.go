package report_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// memLedger is a report ledger in memory. complete says whether it vouches
// for the keys it lacks; fail makes every call fail.
type memLedger struct {
	mu       sync.Mutex
	complete bool
	keys     map[string]bool
	fail     bool
	// writingBefore is, for each key, the number of calls of the fake
	// GitHub when it was recorded.
	gh            *fakeGitHub
	writingBefore map[string]int
}

func newMemLedger(gh *fakeGitHub, complete bool) *memLedger {
	return &memLedger{complete: complete, keys: map[string]bool{}, gh: gh, writingBefore: map[string]int{}}
}

var errLedger = errors.New("ledger down")

func (l *memLedger) MayExist(_ context.Context, key string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail {
		return false, errLedger
	}
	return !l.complete || l.keys[key], nil
}

func (l *memLedger) Writing(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail {
		return errLedger
	}
	l.keys[key] = true
	l.writingBefore[key] = l.gh.writes()
	return nil
}

func TestLedgerSparesTheLookupsOfReportsThatCannotExist(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		target report.Target
		list   string
	}{
		{"pull request", prTarget(), "ListIssueComments"},
		{"push", pushTarget(), "ListIssuesByLabel"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			gh := newFake()
			p := newPublisher(gh)
			p.Ledger = newMemLedger(gh, true)

			res, err := p.Publish(ctx, tt.target, []diagnose.Diagnosis{missingWrite()}, everywhere)
			require.NoError(t, err)
			assert.Equal(t, 2, res.Created, "the check run and the comment or issue")
			assert.Zero(t, gh.count("ListCheckRuns"), "a first report looks nothing up")
			assert.Zero(t, gh.count(tt.list))

			gh.resetCalls()
			res, err = p.Publish(ctx, tt.target, []diagnose.Diagnosis{missingWrite()}, everywhere)
			require.NoError(t, err)
			assert.Equal(t, 2, res.Unchanged, "the recorded reports are found and left alone")
			assert.Equal(t, 1, gh.count("ListCheckRuns"))
			assert.Equal(t, 1, gh.count(tt.list))
			assert.Zero(t, gh.writes())

			gh.resetCalls()
			_, err = p.Resolve(ctx, successOf(tt.target), everywhere)
			require.NoError(t, err)
			assert.Equal(t, 1, gh.count(tt.list), "a report exists: it is looked up and resolved")

			other := tt.target
			other.Run.Path = ".github/workflows/other.yml"
			gh.resetCalls()
			res, err = p.Resolve(ctx, successOf(other), everywhere)
			require.NoError(t, err)
			assert.Zero(t, res.Updated)
			assert.Empty(t, gh.calls, "a workflow that never failed costs no request to resolve")
		})
	}
}

func TestLedgerRecordsBeforeWriting(t *testing.T) {
	for _, where := range []report.Where{{CheckRun: true}, {PullRequestComment: true}, {TrackingIssue: true}} {
		gh := newFake()
		p := newPublisher(gh)
		l := newMemLedger(gh, true)
		p.Ledger = l
		target := prTarget()
		if where.TrackingIssue {
			target = pushTarget()
		}
		res, err := p.Publish(context.Background(), target, []diagnose.Diagnosis{missingWrite()}, where)
		require.NoError(t, err)
		require.Equal(t, 1, res.Created)
		require.Len(t, l.writingBefore, 1)
		for key, writes := range l.writingBefore {
			assert.Zero(t, writes, "%s was recorded before its report was written", key)
		}
	}
}

func TestLedgerThatCannotVouchLooksEverythingUp(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		ledger func(*fakeGitHub) *memLedger
	}{
		{"began after the installation", func(gh *fakeGitHub) *memLedger { return newMemLedger(gh, false) }},
		{"failing to read", func(gh *fakeGitHub) *memLedger {
			l := newMemLedger(gh, true)
			l.fail = true
			return l
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			gh := newFake()
			// A comment of the report exists already, written before the ledger.
			seed := newPublisher(gh)
			_, err := seed.Publish(ctx, prTarget(), []diagnose.Diagnosis{missingWrite()}, everywhere)
			require.NoError(t, err)
			gh.resetCalls()

			p := newPublisher(gh)
			p.Ledger = tt.ledger(gh)
			res, err := p.Publish(ctx, prTarget(), []diagnose.Diagnosis{missingWrite()}, everywhere)
			assert.Equal(t, 1, gh.count("ListCheckRuns"))
			assert.Equal(t, 1, gh.count("ListIssueComments"))
			assert.Zero(t, gh.count("CreateIssueComment"), "the existing comment is found, never doubled")
			require.NoError(t, err)
			assert.Equal(t, 2, res.Unchanged)
		})
	}
}

func TestLedgerFailingToRecordWritesNothing(t *testing.T) {
	gh := newFake()
	p := newPublisher(gh)
	l := newMemLedger(gh, false)
	l.fail = true
	p.Ledger = l
	_, err := p.Publish(context.Background(), prTarget(), []diagnose.Diagnosis{missingWrite()}, everywhere)
	require.ErrorIs(t, err, errLedger)
	assert.Zero(t, gh.writes(), "a report the ledger could not record is not written")
}
