package report

import (
	"context"
	"errors"
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

const (
	issueOpen        = "open"
	issueClosed      = "closed"
	reasonCompleted  = "completed"
	reasonNotPlanned = "not_planned"
	reasonReopened   = "reopened"
)

// publishIssue keeps the one tracking issue of the branch and workflow for
// a run without pull requests, listing every refused package: created
// when missing, reopened when closed, edited when its content changed.
// When there is none yet, an earlier version's per-package issue of the
// branch and workflow is adopted rather than another opened; the other
// open ones are then closed in its favour.
func (p *Publisher) publishIssue(ctx context.Context, t Target, ds []diagnose.Diagnosis, res *PublishResult) error {
	issues, err := p.listIssues(ctx, t)
	if err != nil {
		return err
	}
	title, r := issueTitle(ds, t), renderIssue(ds, t)
	found := findIssueReports(issues, t)
	target, adopted := found.target()
	if target == nil {
		if err := p.writing(ctx, ledgerIssue, IssueKey(t)); err != nil {
			return fmt.Errorf("opening tracking issue: %w", err)
		}
		iss, err := p.GH.CreateIssue(ctx, t.Repo.Owner, t.Repo.Name, title, r.body, []string{p.label()})
		if err != nil {
			return fmt.Errorf("opening tracking issue: %w", err)
		}
		res.count(created)
		res.Issues = append(res.Issues, iss.Number)
		return nil
	}
	existing, prev := target.issue, target.marker
	switch {
	case existing.State != issueOpen:
		edit := IssueEdit{Title: &title, Body: &r.body, State: ptr(issueOpen), StateReason: ptr(reasonReopened)}
		if err := p.GH.EditIssue(ctx, t.Repo.Owner, t.Repo.Name, existing.Number, edit); err != nil {
			return fmt.Errorf("reopening tracking issue #%d: %w", existing.Number, err)
		}
		existing.State = issueOpen
		res.count(updated)
	case adopted || prev.Hash != r.marker.Hash || prev.State != StateOpen || existing.Title != title:
		if err := p.GH.EditIssue(ctx, t.Repo.Owner, t.Repo.Name, existing.Number, IssueEdit{Title: &title, Body: &r.body}); err != nil {
			return fmt.Errorf("editing tracking issue #%d: %w", existing.Number, err)
		}
		res.count(updated)
	default:
		res.count(unchanged)
	}
	res.Issues = append(res.Issues, existing.Number)
	return p.supersedeIssues(ctx, t, found.others(target), existing.Number, res)
}

// supersedeIssues closes open earlier issues of the branch and workflow
// with a comment that points at the report, at most maxLegacyEditsPerRun
// of them.
func (p *Publisher) supersedeIssues(ctx context.Context, t Target, others []markedIssue, report int, res *PublishResult) error {
	others, _ = capped(others, maxLegacyEditsPerRun)
	var errs []error
	for _, mi := range others {
		n := mi.issue.Number
		if _, err := p.GH.CreateIssueComment(ctx, t.Repo.Owner, t.Repo.Name, n, supersededIssueComment(t, report)); err != nil {
			errs = append(errs, fmt.Errorf("pointing tracking issue #%d at #%d: %w", n, report, err))
			continue
		}
		edit := IssueEdit{State: ptr(issueClosed), StateReason: ptr(reasonNotPlanned)}
		if err := p.GH.EditIssue(ctx, t.Repo.Owner, t.Repo.Name, n, edit); err != nil {
			errs = append(errs, fmt.Errorf("closing tracking issue #%d in favour of #%d: %w", n, report, err))
			continue
		}
		res.Superseded++
	}
	return errors.Join(errs...)
}

// resolveIssues comments on and closes the open tracking issues of the
// workflow on the run's branch: the report and any earlier per-package
// ones.
func (p *Publisher) resolveIssues(ctx context.Context, t Target, res *PublishResult) error {
	issues, err := p.listIssues(ctx, t)
	if err != nil {
		return err
	}
	open, _ := capped(findIssueReports(issues, t).others(nil), maxLegacyEditsPerRun)
	var errs []error
	for _, mi := range open {
		n := mi.issue.Number
		if _, err := p.GH.CreateIssueComment(ctx, t.Repo.Owner, t.Repo.Name, n, resolvedIssueComment(t)); err != nil {
			errs = append(errs, fmt.Errorf("commenting on tracking issue #%d: %w", n, err))
			continue
		}
		edit := IssueEdit{State: ptr(issueClosed), StateReason: ptr(reasonCompleted)}
		if err := p.GH.EditIssue(ctx, t.Repo.Owner, t.Repo.Name, n, edit); err != nil {
			errs = append(errs, fmt.Errorf("closing tracking issue #%d: %w", n, err))
			continue
		}
		res.count(updated)
		res.Issues = append(res.Issues, n)
	}
	return errors.Join(errs...)
}

// listIssues lists the issues with the label, or nothing when the ledger
// rules out a tracking issue of the branch and workflow.
func (p *Publisher) listIssues(ctx context.Context, t Target) ([]Issue, error) {
	if !p.mayExist(ctx, ledgerIssue, IssueKey(t)) {
		return nil, nil
	}
	issues, err := p.GH.ListIssuesByLabel(ctx, t.Repo.Owner, t.Repo.Name, p.label())
	if err != nil {
		return nil, fmt.Errorf("listing issues labelled %q: %w", p.label(), err)
	}
	return issues, nil
}

func ptr[T any](v T) *T { return &v }
