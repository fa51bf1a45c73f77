package report

import (
	"context"
	"errors"
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

const (
	issueOpen       = "open"
	issueClosed     = "closed"
	reasonCompleted = "completed"
	reasonReopened  = "reopened"
)

// publishIssues keeps one tracking issue per (branch, workflow, package) for
// a run without pull requests: created when missing, reopened when closed,
// edited when its content changed.
func (p *Publisher) publishIssues(ctx context.Context, t Target, ds []diagnose.Diagnosis, res *Result) error {
	issues, err := p.GH.ListIssuesByLabel(ctx, t.Repo.Owner, t.Repo.Name, p.label())
	if err != nil {
		return fmt.Errorf("listing issues labelled %q: %w", p.label(), err)
	}
	var errs []error
	for _, d := range ds {
		title, r := issueTitle(d, t), renderIssue(d, t)
		existing, prev := findIssue(issues, r.marker.Key)
		switch {
		case existing == nil:
			iss, err := p.GH.CreateIssue(ctx, t.Repo.Owner, t.Repo.Name, title, r.body, []string{p.label()})
			if err != nil {
				errs = append(errs, fmt.Errorf("opening tracking issue for %s: %w", d.Package.Display(), err))
				continue
			}
			res.count(created)
			res.Issues = append(res.Issues, iss.Number)
			issues = append(issues, iss)
		case existing.State != issueOpen:
			edit := IssueEdit{Title: &title, Body: &r.body, State: ptr(issueOpen), StateReason: ptr(reasonReopened)}
			if err := p.GH.EditIssue(ctx, t.Repo.Owner, t.Repo.Name, existing.Number, edit); err != nil {
				errs = append(errs, fmt.Errorf("reopening tracking issue #%d: %w", existing.Number, err))
				continue
			}
			existing.State = issueOpen
			res.count(updated)
			res.Issues = append(res.Issues, existing.Number)
		case prev.Hash != r.marker.Hash || prev.State != StateOpen || existing.Title != title:
			if err := p.GH.EditIssue(ctx, t.Repo.Owner, t.Repo.Name, existing.Number, IssueEdit{Title: &title, Body: &r.body}); err != nil {
				errs = append(errs, fmt.Errorf("editing tracking issue #%d: %w", existing.Number, err))
				continue
			}
			res.count(updated)
			res.Issues = append(res.Issues, existing.Number)
		default:
			res.count(unchanged)
			res.Issues = append(res.Issues, existing.Number)
		}
	}
	return errors.Join(errs...)
}

// findIssue returns the issue with the marker key, preferring an open one,
// then the newest; and its marker.
func findIssue(issues []Issue, key string) (*Issue, Marker) {
	var best *Issue
	var bestMarker Marker
	for i := range issues {
		m, ok := ParseMarker(issues[i].Body)
		if !ok || m.Key != key {
			continue
		}
		iss := &issues[i]
		if best == nil || better(iss, best) {
			best, bestMarker = iss, m
		}
	}
	return best, bestMarker
}

func better(a, b *Issue) bool {
	if (a.State == issueOpen) != (b.State == issueOpen) {
		return a.State == issueOpen
	}
	return a.Number > b.Number
}

// resolveIssues comments on and closes the open tracking issues of the
// workflow on the run's branch.
func (p *Publisher) resolveIssues(ctx context.Context, t Target, res *Result) error {
	issues, err := p.GH.ListIssuesByLabel(ctx, t.Repo.Owner, t.Repo.Name, p.label())
	if err != nil {
		return fmt.Errorf("listing issues labelled %q: %w", p.label(), err)
	}
	var errs []error
	for _, iss := range issues {
		if iss.State != issueOpen {
			continue
		}
		m, ok := ParseMarker(iss.Body)
		if !ok || m.Workflow != t.Run.Path || m.Key != shortHash(issueKey(t, m.Package)) {
			continue
		}
		if _, err := p.GH.CreateIssueComment(ctx, t.Repo.Owner, t.Repo.Name, iss.Number, resolvedIssueComment(t)); err != nil {
			errs = append(errs, fmt.Errorf("commenting on tracking issue #%d: %w", iss.Number, err))
			continue
		}
		edit := IssueEdit{State: ptr(issueClosed), StateReason: ptr(reasonCompleted)}
		if err := p.GH.EditIssue(ctx, t.Repo.Owner, t.Repo.Name, iss.Number, edit); err != nil {
			errs = append(errs, fmt.Errorf("closing tracking issue #%d: %w", iss.Number, err))
			continue
		}
		res.count(updated)
		res.Issues = append(res.Issues, iss.Number)
	}
	return errors.Join(errs...)
}

func ptr[T any](v T) *T { return &v }
