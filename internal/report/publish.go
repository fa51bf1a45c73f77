package report

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// DefaultLabel labels tracking issues.
const DefaultLabel = "ghcr-doctor"

// Where says which outputs to write.
type Where struct {
	CheckRun           bool
	PullRequestComment bool
	TrackingIssue      bool
}

// Publisher writes reports to GitHub, editing what it wrote before instead
// of writing again, and writing nothing when nothing changed.
type Publisher struct {
	GH GitHub
	// BotLogin is the app's login ("ghcr-doctor[bot]"); only comments by it
	// (or by ActionsLogin) count as ours. Empty accepts only ActionsLogin's,
	// never any author's.
	BotLogin string
	// Label marks tracking issues; DefaultLabel when empty.
	Label string
	// Accept, when set, decides which marked comments are ours instead
	// of BotLogin: the Action's token may comment as github-actions[bot],
	// as another App or as a person (see ActionsLogin).
	Accept func(Comment) bool
	// Ledger, when set, spares the lookups of reports that cannot exist
	// (see Ledger); nil looks every report up on GitHub.
	Ledger Ledger
}

// PublishResult counts what a Publish or Resolve did.
type PublishResult struct {
	Created   int
	Updated   int
	Unchanged int
	// Superseded counts earlier reports (one per package, written by
	// earlier versions) rewritten or closed to point at the one report.
	Superseded int
	// CheckRunID is the check run written or found, if any.
	CheckRunID int64
	// Comments are the ids of the comments written or found.
	Comments []int64
	// Issues are the numbers of the tracking issues written or found.
	Issues []int
}

// outcome is what happened to one item.
type outcome int

const (
	created outcome = iota
	updated
	unchanged
)

func (r *PublishResult) count(o outcome) {
	switch o {
	case created:
		r.Created++
	case updated:
		r.Updated++
	default:
		r.Unchanged++
	}
}

func (p *Publisher) label() string {
	if p.Label == "" {
		return DefaultLabel
	}
	return p.Label
}

// ours reports whether a comment was written by the app, or by the
// Action with the workflow's token, so the two keep one comment.
func (p *Publisher) ours(c Comment) bool {
	if p.Accept != nil {
		return p.Accept(c)
	}
	if p.BotLogin != "" && strings.EqualFold(c.UserLogin, p.BotLogin) {
		return true
	}
	return strings.EqualFold(c.UserLogin, ActionsLogin)
}

// Publish writes the diagnoses of a failed run: a check run on the head
// commit, and one report listing every refused package (at most
// MaxPackages), as a comment on each of the run's pull requests or, for a
// run without pull requests, as the tracking issue of its branch and
// workflow. It carries on past a failed item and returns all errors joined.
func (p *Publisher) Publish(ctx context.Context, t Target, ds []diagnose.Diagnosis, where Where) (PublishResult, error) {
	if len(ds) == 0 {
		return PublishResult{}, nil
	}
	var items []publishItem
	if where.CheckRun {
		items = append(items, func(res *PublishResult) error { return p.publishCheckRun(ctx, t, ds, res) })
	}
	if where.PullRequestComment {
		for _, pr := range t.Run.PullRequests {
			items = append(items, func(res *PublishResult) error { return p.publishComment(ctx, t, pr, ds, res) })
		}
	}
	if where.TrackingIssue && len(t.Run.PullRequests) == 0 {
		items = append(items, func(res *PublishResult) error { return p.publishIssue(ctx, t, ds, res) })
	}
	return publishAll(items)
}

// publishItem writes (or resolves) one output: the check run, one pull
// request's comment, or the tracking issue.
type publishItem func(*PublishResult) error

// publishAll runs the items at once, as each finds and edits its own
// output and none depends on another, so a report costs one round trip
// of finding and one of writing however many outputs it has. The results
// are added up in the items' order; every error is returned, joined.
func publishAll(items []publishItem) (PublishResult, error) {
	results := make([]PublishResult, len(items))
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = item(&results[i])
		}()
	}
	wg.Wait()
	var total PublishResult
	for _, r := range results {
		total.add(r)
	}
	return total, errors.Join(errs...)
}

// add counts another item's result in.
func (r *PublishResult) add(o PublishResult) {
	r.Created += o.Created
	r.Updated += o.Updated
	r.Unchanged += o.Unchanged
	r.Superseded += o.Superseded
	if o.CheckRunID != 0 {
		r.CheckRunID = o.CheckRunID
	}
	r.Comments = append(r.Comments, o.Comments...)
	r.Issues = append(r.Issues, o.Issues...)
}

// Resolve marks what was published for a workflow as resolved, after a run
// of the same workflow on the same branch succeeded: it edits our open
// comments about the workflow on the run's pull requests, comments on and
// closes the open tracking issues of the workflow on a push run's branch,
// and turns the check run of the same commit green. Reports that earlier
// versions kept per package are resolved alike. Running it again changes
// nothing.
func (p *Publisher) Resolve(ctx context.Context, t Target, where Where) (PublishResult, error) {
	var items []publishItem
	if where.CheckRun {
		items = append(items, func(res *PublishResult) error { return p.resolveCheckRun(ctx, t, res) })
	}
	if where.PullRequestComment {
		for _, pr := range t.Run.PullRequests {
			items = append(items, func(res *PublishResult) error { return p.resolveComments(ctx, t, pr, res) })
		}
	}
	if where.TrackingIssue && len(t.Run.PullRequests) == 0 {
		items = append(items, func(res *PublishResult) error { return p.resolveIssues(ctx, t, res) })
	}
	return publishAll(items)
}
