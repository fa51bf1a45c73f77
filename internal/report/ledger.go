package report

import (
	"context"
	"fmt"
	"strings"

	"github.com/rs/zerolog"
)

// Ledger remembers which reports may have been written, so that looking
// for one that cannot exist costs no request: a first failure's check run,
// comment and tracking issue are created without listing what is there,
// and a successful run with nothing to resolve reads nothing. GitHub stays
// the truth for every report the ledger knows of: those are still looked
// up, read and edited as before.
type Ledger interface {
	// MayExist reports whether a report may exist under key: true when
	// one was recorded, and whenever the ledger cannot vouch that none
	// was written (it began after some of the installation's reports).
	MayExist(ctx context.Context, key string) (bool, error)
	// Writing records that a report may exist under key. It is called
	// before the report is created, so a crash between the two leaves a
	// record and the next attempt looks on GitHub instead of writing a
	// second one.
	Writing(ctx context.Context, key string) error
}

// ledgerKey is the key a ledger keeps for one report (a comment, tracking
// issue or check run key, or a fix pull request's branch).
func ledgerKey(kind, key string) string { return kind + ":" + shortHash(key) }

// Ledger kinds: what the key names.
const (
	ledgerCheckRun       = "check-run"
	ledgerComment        = "comment"
	ledgerIssue          = "issue"
	ledgerFixPullRequest = "fix-pull-request"
)

// FixPullRequestKey is the ledger key of the fix pull request from branch.
func FixPullRequestKey(owner, repo, branch string) string {
	return ledgerKey(ledgerFixPullRequest, strings.ToLower(owner+"/"+repo)+"|branch="+branch)
}

// MayExist asks the ledger whether something may exist under key (a
// FixPullRequestKey, or a report's key); without a ledger, or when it
// fails (logged), the answer is yes, so it is looked for on GitHub as if
// there were no ledger.
func MayExist(ctx context.Context, l Ledger, key string) bool {
	if l == nil {
		return true
	}
	ok, err := l.MayExist(ctx, key)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("Could not read the report ledger; looking on GitHub.")
		return true
	}
	return ok
}

// mayExist is MayExist for one of the publisher's reports.
func (p *Publisher) mayExist(ctx context.Context, kind, key string) bool {
	return MayExist(ctx, p.Ledger, ledgerKey(kind, key))
}

// writing records in the ledger that a report is about to be created
// under key. A failure to record stops the creation: written but not
// recorded, the report could later be written again.
func (p *Publisher) writing(ctx context.Context, kind, key string) error {
	if p.Ledger == nil {
		return nil
	}
	if err := p.Ledger.Writing(ctx, ledgerKey(kind, key)); err != nil {
		return fmt.Errorf("recording the %s in the report ledger: %w", kind, err)
	}
	return nil
}
