package report

import (
	"context"
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/audit"
)

// HealthOutcome says what PublishHealth did.
type HealthOutcome struct {
	// Issue is the health issue's number, 0 when there is none.
	Issue int
	// Action is "created", "updated", "reopened", "closed", "unchanged" or
	// "none" (nothing at risk and no issue yet).
	Action string
}

// Health issue actions.
const (
	HealthCreated   = "created"
	HealthUpdated   = "updated"
	HealthReopened  = "reopened"
	HealthClosed    = "closed"
	HealthUnchanged = "unchanged"
	HealthNone      = "none"
)

// PublishHealth keeps the one "GitHub Packages publishing health" issue of
// an organisation's `.github` repository (owner/repo) current. It is found
// again by its hidden marker among the issues labelled like every
// ghcr-doctor issue, and edited in place, never duplicated:
//
//   - jobs at risk: the issue lists them (opened, or reopened if closed);
//   - nothing at risk: an open issue says so and is closed as completed, so
//     an organisation's open issue always means work to do; with no issue
//     yet, none is opened;
//   - the same audit again (same content): nothing is written.
func (p *Publisher) PublishHealth(ctx context.Context, owner, repo string, rep audit.Report, o AuditOptions) (HealthOutcome, error) {
	issues, err := p.GH.ListIssuesByLabel(ctx, owner, repo, p.label())
	if err != nil {
		return HealthOutcome{}, fmt.Errorf("listing issues labelled %q in %s/%s: %w", p.label(), owner, repo, err)
	}
	var existing *Issue
	for i := range issues {
		if _, ok := healthHash(issues[i].Body); ok && (existing == nil || issues[i].State == issueOpen && existing.State != issueOpen) {
			existing = &issues[i]
		}
	}
	content := RenderAudit(rep, o)
	body := healthMarker(content) + "\n" + content
	atRisk := len(rep.AtRisk()) > 0
	switch {
	case existing == nil && !atRisk:
		return HealthOutcome{Action: HealthNone}, nil
	case existing == nil:
		iss, err := p.GH.CreateIssue(ctx, owner, repo, HealthIssueTitle, body, []string{p.label()})
		if err != nil {
			return HealthOutcome{}, fmt.Errorf("opening the health issue in %s/%s: %w", owner, repo, err)
		}
		return HealthOutcome{Issue: iss.Number, Action: HealthCreated}, nil
	}
	out := HealthOutcome{Issue: existing.Number}
	oldHash, _ := healthHash(existing.Body)
	newHash, _ := healthHash(body)
	open := existing.State == issueOpen
	edit := IssueEdit{}
	if oldHash != newHash || existing.Title != HealthIssueTitle {
		edit.Body, edit.Title = &body, ptr(HealthIssueTitle)
		out.Action = HealthUpdated
	}
	switch {
	case atRisk && !open:
		edit.State, edit.StateReason = ptr(issueOpen), ptr(reasonReopened)
		out.Action = HealthReopened
	case !atRisk && open:
		edit.State, edit.StateReason = ptr(issueClosed), ptr(reasonCompleted)
		out.Action = HealthClosed
	}
	if out.Action == "" {
		out.Action = HealthUnchanged
		return out, nil
	}
	if err := p.GH.EditIssue(ctx, owner, repo, existing.Number, edit); err != nil {
		return HealthOutcome{}, fmt.Errorf("updating the health issue #%d in %s/%s: %w", existing.Number, owner, repo, err)
	}
	return out, nil
}
