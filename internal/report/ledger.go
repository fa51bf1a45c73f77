package report

import (
	"context"
	"fmt"

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

// LedgerKey is the key a ledger keeps for one report (a comment, tracking
// issue or check run key, or a fix pull request's branch).
func LedgerKey(kind, key string) string { return kind + ":" + shortHash(key) }

// Ledger kinds: what the key names.
const (
	ledgerCheckRun = "check-run"
	ledgerComment  = "comment"
	ledgerIssue    = "issue"
	// LedgerFixPullRequest keys a fix pull request by repository and branch.
	LedgerFixPullRequest = "fix-pull-request"
)

// FixPullRequestKey is the ledger key of the fix pull request from branch.
func FixPullRequestKey(owner, repo, branch string) string {
	return LedgerKey(LedgerFixPullRequest, fmt.Sprintf("%s/%s|branch=%s", lowerASCII(owner), lowerASCII(repo), branch))
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// mayExist asks the ledger whether a report may exist under key; without
// a ledger, or when it fails (logged), the answer is yes, so the report is
// looked for on GitHub as if there were no ledger.
func (p *Publisher) mayExist(ctx context.Context, kind, key string) bool {
	if p.Ledger == nil {
		return true
	}
	ok, err := p.Ledger.MayExist(ctx, LedgerKey(kind, key))
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Str("report", kind).Msg("Could not read the report ledger; looking on GitHub.")
		return true
	}
	return ok
}

// writing records in the ledger that a report is about to be created
// under key. A failure to record stops the creation: written but not
// recorded, the report could later be written again.
func (p *Publisher) writing(ctx context.Context, kind, key string) error {
	if p.Ledger == nil {
		return nil
	}
	if err := p.Ledger.Writing(ctx, LedgerKey(kind, key)); err != nil {
		return fmt.Errorf("recording the %s in the report ledger: %w", kind, err)
	}
	return nil
}
