package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/audit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// RepoAuditor audits one repository of an installation for `/ghcr audit`.
type RepoAuditor interface {
	AuditRepo(ctx context.Context, installationID int64, owner, name string) (audit.Report, error)
}

// auditReplyMarker starts the answer to `/ghcr audit`: a later audit on the
// same issue or pull request edits that answer instead of adding another.
const auditReplyMarker = "<!-- ghcr-doctor:audit-reply v1 -->"

// runAudit audits the repository for anyone who can read it: the audit
// only reads, and says what the workflows already show.
func (x *execution) runAudit(ctx context.Context, sec section) section {
	sec.audit = true
	if d, msg := x.authorize(ctx, ActionAudit); d.Outcome != Allowed {
		sec.decision, sec.Note, sec.result = d.Outcome, msg, "refused: needs "+d.Needs
		return sec
	}
	if x.svc.Auditor == nil {
		sec.Note, sec.result = "The audit is not available on this server.", "audit unavailable"
		return sec
	}
	rep, err := x.svc.Auditor.AuditRepo(ctx, x.req.InstallationID, x.owner(), x.name())
	if err != nil {
		res := failure(Step{}, "audit this repository", err, "contents:read")
		sec.Note, sec.result = strings.Join(append([]string{res.Message}, res.Details...), " "), "audit failed"
		return sec
	}
	sec.Note = report.RenderAudit(rep, report.AuditOptions{WebURL: x.svc.WebURL,
		Heading: fmt.Sprintf("The jobs of %s's workflows that publish to GitHub Packages, checked before they run, at the head of the default branch:", code(x.req.Repo.FullName()))})
	sec.result = fmt.Sprintf("audited: %d at risk, %d unknown, %d reads", len(rep.AtRisk()), len(rep.Unknown()), rep.Reads)
	return sec
}

// onlyAudits reports whether every command of the request was `/ghcr
// audit`: only then is the answer the one kept in place (a fix's answer
// must not overwrite it).
func onlyAudits(secs []section) bool {
	for _, s := range secs {
		if !s.audit {
			return false
		}
	}
	return len(secs) > 0
}

// answerInPlace edits the bot's earlier answer to `/ghcr audit` on the
// issue, or posts the first one.
func (x *execution) answerInPlace(ctx context.Context, number int, body string) {
	body = auditReplyMarker + "\n" + body
	comments, err := x.gh.ListIssueComments(ctx, x.owner(), x.name(), number)
	if err != nil {
		x.log.Warn().Err(err).Int("issue", number).Msg("Could not list the comments to find the earlier audit answer; posting a new one.")
	}
	for i := len(comments) - 1; i >= 0; i-- {
		c := comments[i]
		if c.UserLogin == x.bot && x.bot != "" && strings.HasPrefix(c.Body, auditReplyMarker) {
			if err := x.gh.EditIssueComment(ctx, x.owner(), x.name(), c.ID, body); err != nil {
				x.log.Error().Err(err).Int("issue", number).Msg("Could not edit the earlier audit answer.")
			}
			return
		}
	}
	x.comment(ctx, number, body)
}
