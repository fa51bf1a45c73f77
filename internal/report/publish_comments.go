package report

import (
	"context"
	"errors"
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// publishComment keeps the one comment of the pull request and workflow
// that lists every refused package: edited when its content changed,
// untouched otherwise. When there is none yet, an earlier version's
// per-package comment of the pull request and workflow is adopted (edited
// into the report) rather than another posted; the other open ones are
// then rewritten to point at it.
func (p *Publisher) publishComment(ctx context.Context, t Target, pr int, ds []diagnose.Diagnosis, res *PublishResult) error {
	comments, err := p.listComments(ctx, t, pr)
	if err != nil {
		return err
	}
	r := renderComment(ds, t, pr)
	found := p.findCommentReports(comments, t, pr)
	target, adopted := found.target()
	switch {
	case target == nil:
		if err := p.writing(ctx, ledgerComment, CommentKey(t, pr)); err != nil {
			return fmt.Errorf("commenting on pull request #%d: %w", pr, err)
		}
		c, err := p.GH.CreateIssueComment(ctx, t.Repo.Owner, t.Repo.Name, pr, r.body)
		if err != nil {
			return fmt.Errorf("commenting on pull request #%d: %w", pr, err)
		}
		res.count(created)
		res.Comments = append(res.Comments, c.ID)
		return nil
	case adopted || target.marker.Hash != r.marker.Hash || target.marker.State != StateOpen:
		if err := p.GH.EditIssueComment(ctx, t.Repo.Owner, t.Repo.Name, target.comment.ID, r.body); err != nil {
			return fmt.Errorf("editing comment %d on pull request #%d: %w", target.comment.ID, pr, err)
		}
		res.count(updated)
	default:
		res.count(unchanged)
	}
	res.Comments = append(res.Comments, target.comment.ID)
	return p.supersedeComments(ctx, t, pr, found.others(target), target.comment.ID, res)
}

// supersedeComments rewrites open earlier comments of the pull request and
// workflow into a note that points at the report, at most
// maxLegacyEditsPerRun of them.
func (p *Publisher) supersedeComments(ctx context.Context, t Target, pr int, others []markedComment, reportID int64, res *PublishResult) error {
	others, _ = capped(others, maxLegacyEditsPerRun)
	var errs []error
	for _, mc := range others {
		body := renderSupersededComment(mc.marker, t, commentURL(t, pr, reportID))
		if err := p.GH.EditIssueComment(ctx, t.Repo.Owner, t.Repo.Name, mc.comment.ID, body); err != nil {
			errs = append(errs, fmt.Errorf("pointing comment %d on pull request #%d at the report: %w", mc.comment.ID, pr, err))
			continue
		}
		res.Superseded++
	}
	return errors.Join(errs...)
}

// resolveComments edits our open comments about the workflow on a pull
// request, the report and any earlier per-package ones, into resolved
// notes.
func (p *Publisher) resolveComments(ctx context.Context, t Target, pr int, res *PublishResult) error {
	comments, err := p.listComments(ctx, t, pr)
	if err != nil {
		return err
	}
	open, _ := capped(p.findCommentReports(comments, t, pr).others(nil), maxLegacyEditsPerRun)
	var errs []error
	for _, mc := range open {
		if err := p.GH.EditIssueComment(ctx, t.Repo.Owner, t.Repo.Name, mc.comment.ID, RenderResolved(mc.marker, t)); err != nil {
			errs = append(errs, fmt.Errorf("resolving comment %d on pull request #%d: %w", mc.comment.ID, pr, err))
			continue
		}
		res.count(updated)
		res.Comments = append(res.Comments, mc.comment.ID)
	}
	return errors.Join(errs...)
}

// listComments lists the comments of the pull request, or nothing when the
// ledger rules out a report of the workflow there.
func (p *Publisher) listComments(ctx context.Context, t Target, pr int) ([]Comment, error) {
	if !p.mayExist(ctx, ledgerComment, CommentKey(t, pr)) {
		return nil, nil
	}
	comments, err := p.GH.ListIssueComments(ctx, t.Repo.Owner, t.Repo.Name, pr)
	if err != nil {
		return nil, fmt.Errorf("listing comments of pull request #%d: %w", pr, err)
	}
	return comments, nil
}
