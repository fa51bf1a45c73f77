package report

import (
	"context"
	"errors"
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// publishComments writes one comment per diagnosis on a pull request:
// created when missing, edited when its content changed, untouched otherwise.
func (p *Publisher) publishComments(ctx context.Context, t Target, pr int, ds []diagnose.Diagnosis, res *Result) error {
	comments, err := p.GH.ListIssueComments(ctx, t.Repo.Owner, t.Repo.Name, pr)
	if err != nil {
		return fmt.Errorf("listing comments of pull request #%d: %w", pr, err)
	}
	var errs []error
	for _, d := range ds {
		r := renderComment(d, t, pr)
		existing, prev := p.findComment(comments, r.marker.Key)
		switch {
		case existing == nil:
			c, err := p.GH.CreateIssueComment(ctx, t.Repo.Owner, t.Repo.Name, pr, r.body)
			if err != nil {
				errs = append(errs, fmt.Errorf("commenting on pull request #%d about %s: %w", pr, d.Package.Display(), err))
				continue
			}
			res.count(created)
			res.Comments = append(res.Comments, c.ID)
			comments = append(comments, c)
		case prev.Hash != r.marker.Hash || prev.State != StateOpen:
			if err := p.GH.EditIssueComment(ctx, t.Repo.Owner, t.Repo.Name, existing.ID, r.body); err != nil {
				errs = append(errs, fmt.Errorf("editing comment %d on pull request #%d: %w", existing.ID, pr, err))
				continue
			}
			res.count(updated)
			res.Comments = append(res.Comments, existing.ID)
		default:
			res.count(unchanged)
			res.Comments = append(res.Comments, existing.ID)
		}
	}
	return errors.Join(errs...)
}

// findComment returns our comment with the marker key, and its marker.
func (p *Publisher) findComment(comments []Comment, key string) (*Comment, Marker) {
	for i := range comments {
		if !p.ours(comments[i]) {
			continue
		}
		if m, ok := ParseMarker(comments[i].Body); ok && m.Key == key {
			return &comments[i], m
		}
	}
	return nil, Marker{}
}

// resolveComments edits our open comments about the workflow on a pull
// request into resolved notes.
func (p *Publisher) resolveComments(ctx context.Context, t Target, pr int, res *Result) error {
	comments, err := p.GH.ListIssueComments(ctx, t.Repo.Owner, t.Repo.Name, pr)
	if err != nil {
		return fmt.Errorf("listing comments of pull request #%d: %w", pr, err)
	}
	var errs []error
	for _, c := range comments {
		if !p.ours(c) {
			continue
		}
		m, ok := ParseMarker(c.Body)
		if !ok || m.State != StateOpen || m.Workflow != t.Run.Path || m.Key != shortHash(commentKey(t, pr, m.Package)) {
			continue
		}
		if err := p.GH.EditIssueComment(ctx, t.Repo.Owner, t.Repo.Name, c.ID, RenderResolved(m, t)); err != nil {
			errs = append(errs, fmt.Errorf("resolving comment %d on pull request #%d: %w", c.ID, pr, err))
			continue
		}
		res.count(updated)
		res.Comments = append(res.Comments, c.ID)
	}
	return errors.Join(errs...)
}
