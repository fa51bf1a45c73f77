package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/audit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// HealthIssueTitle is the title of the organisation's audit issue.
const HealthIssueTitle = "GitHub Packages publishing health"

// healthMarkerPrefix starts the hidden first line of the health issue,
// by which it is found again (never a second one).
const healthMarkerPrefix = "<!-- ghcr-doctor:audit v1 "

// Bounds of an audit's rendering.
const (
	maxAuditText  = 400
	maxAuditLabel = 200
)

// verdictLabels name the verdicts in a sentence.
var verdictLabels = map[preflight.Verdict]string{
	preflight.MissingPackagesWrite: "the job's token lacks `packages: write`",
	preflight.UppercaseName:        "an image name has upper-case letters",
	preflight.NamespaceMismatch:    "the package belongs to another owner",
	preflight.ForkPRPush:           "it publishes on pull requests, which forks run read-only",
	preflight.Dependabot:           "it publishes on Dependabot's runs, which are read-only",
	preflight.PATLogin:             "it logs in with a personal token",
	preflight.Unknown:              "what it publishes could not be decided",
	preflight.OK:                   "ok",
}

// VerdictLabel says a verdict in a few words of safe Markdown.
func VerdictLabel(v preflight.Verdict) string {
	if l, ok := verdictLabels[v]; ok {
		return l
	}
	return markdown.Code(string(v), 40)
}

// AuditOptions shape an audit's rendering.
type AuditOptions struct {
	// WebURL is GitHub's web address; links go nowhere else.
	WebURL string
	// Heading is the first line, the bot's own Markdown.
	Heading string
	// Footer closes the body, the bot's own Markdown.
	Footer string
}

// RenderAudit renders an audit as a checklist of the jobs at risk, each
// linking to the line that decides it with the reason and the fix, then
// the jobs that could not be decided and the repositories that could not
// be read, within GitHub's size limit. Every value from GitHub or a
// workflow file goes through internal/markdown.
func RenderAudit(rep audit.Report, o AuditOptions) string {
	site := markdown.SiteOf(o.WebURL)
	atRisk, unknown, failed := rep.AtRisk(), rep.Unknown(), rep.Failed()
	var b strings.Builder
	if o.Heading != "" {
		b.WriteString(o.Heading + "\n\n")
	}
	b.WriteString(auditSummary(rep, len(atRisk), len(unknown)) + "\n\n")
	budget := maxBody - len(o.Footer) - 500
	if len(atRisk) > 0 {
		b.WriteString("### At risk\n\n")
		writeItems(&b, budget, atRisk, func(f audit.Finding) string {
			return fmt.Sprintf("- [ ] %s: %s\n  %s\n  **Fix:** %s\n", findingLink(site, f), VerdictLabel(f.Verdict),
				markdown.Text(f.Reason, maxAuditText), markdown.Text(f.Fix, maxAuditText))
		})
	}
	if len(unknown) > 0 {
		b.WriteString("### Could not be decided\n\n")
		writeItems(&b, budget, unknown, func(f audit.Finding) string {
			return fmt.Sprintf("- %s: %s\n", findingLink(site, f), markdown.Text(f.Reason, maxAuditText))
		})
	}
	if len(failed) > 0 {
		b.WriteString("### Repositories that could not be read\n\n")
		writeItems(&b, budget, failed, func(o audit.RepoOutcome) string {
			return fmt.Sprintf("- %s: %s\n", markdown.Code(o.Repository, maxAuditLabel), markdown.Text(o.Error, maxAuditText))
		})
	}
	if o.Footer != "" {
		b.WriteString("\n" + o.Footer + "\n")
	}
	return b.String()
}

// writeItems writes one line per item while the body stays within budget,
// then says how many were left out.
func writeItems[T any](b *strings.Builder, budget int, items []T, line func(T) string) {
	for i, it := range items {
		l := line(it)
		if b.Len()+len(l) > budget {
			fmt.Fprintf(b, "\n_…and %d more, left out to stay within GitHub's size limit._\n", len(items)-i)
			break
		}
		b.WriteString(l)
	}
	b.WriteString("\n")
}

// auditSummary counts what the audit found, in one sentence.
func auditSummary(rep audit.Report, atRisk, unknown int) string {
	audited, skipped := 0, 0
	for _, o := range rep.Repos {
		if o.Skipped != "" {
			skipped++
		} else {
			audited++
		}
	}
	ok := 0
	for _, f := range rep.Findings {
		if f.Verdict == preflight.OK || f.Verdict == preflight.PATLogin {
			ok++
		}
	}
	s := fmt.Sprintf("**%d %s at risk** of being refused by GitHub Packages; %d publishing %s ok, %d could not be decided. %d %s audited",
		atRisk, plural(atRisk, "job", "jobs"), ok, plural(ok, "job is", "jobs are"), unknown,
		audited, plural(audited, "repository", "repositories"))
	if skipped > 0 {
		s += fmt.Sprintf(" (%d archived or forked %s skipped)", skipped, plural(skipped, "one", "ones"))
	}
	if failed := len(rep.Failed()); failed > 0 {
		s += fmt.Sprintf(", %d could not be read", failed)
	}
	return s + "."
}

// findingLink is the job, its workflow file and repository, linked to the line.
func findingLink(site markdown.Site, f audit.Finding) string {
	label := f.Repository + " · " + path.Base(f.File)
	if f.Job != "" {
		label += " · job " + f.Job
	}
	if f.Line > 0 {
		label += fmt.Sprintf(" (line %d)", f.Line)
	}
	return site.Link(markdown.Plain(label, maxAuditLabel), f.URL)
}

// healthMarker is the health issue's hidden first line: its content's
// hash, so an unchanged audit writes nothing.
func healthMarker(body string) string {
	sum := sha256.Sum256([]byte(body))
	return healthMarkerPrefix + "hash=" + hex.EncodeToString(sum[:8]) + " -->"
}

// healthHash reads the hash of a health issue's marker, "" when body has none.
func healthHash(body string) (string, bool) {
	first, _, _ := strings.Cut(body, "\n")
	rest, ok := strings.CutPrefix(strings.TrimSpace(first), healthMarkerPrefix)
	if !ok {
		return "", false
	}
	hash, _ := strings.CutPrefix(strings.TrimSuffix(rest, " -->"), "hash=")
	return hash, true
}
