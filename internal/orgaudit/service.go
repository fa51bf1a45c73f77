package orgaudit

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/audit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/repoconfig"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// Why an audit ran.
const (
	ReasonInstalled         = "installed"
	ReasonRepositoriesAdded = "repositories_added"
	ReasonWeekly            = "weekly"
)

// Request is one installation's audit, as the queue holds it.
type Request struct {
	InstallationID int64 `json:"installation_id"`
	// Account is the installation's organisation (or user) login.
	Account string `json:"account"`
	// Reason is ReasonInstalled, ReasonRepositoriesAdded or ReasonWeekly.
	Reason string `json:"reason"`
}

// Client is an installation's GitHub: what the audit reads and the issue's calls.
type Client interface {
	audit.Source
	report.GitHub
}

// ClientSource gives the client of an installation.
type ClientSource interface {
	Client(ctx context.Context, installationID int64) (Client, error)
}

// Service runs installations' audits.
type Service struct {
	Clients ClientSource
	Analyze audit.Analyzer
	// WebURL is GitHub's web address, for links to lines.
	WebURL string
}

// Outcome says what one audit did, for the log.
type Outcome struct {
	// Skipped says why nothing was audited ("not opted in", …).
	Skipped string
	Report  audit.Report
	Issue   report.HealthOutcome
	// Unpublished says why the health issue could not be written, if so.
	Unpublished string
}

// Run audits the installation when its organisation opted in, and writes
// the health issue. Failing to write the issue (no `.github` repository,
// no issues:write there) is logged and recorded, not an error: trying
// again cannot help until someone changes the installation.
func (s *Service) Run(ctx context.Context, req Request) (Outcome, error) {
	gh, err := s.Clients.Client(ctx, req.InstallationID)
	if err != nil {
		return Outcome{}, fmt.Errorf("creating installation client: %w", err)
	}
	logger := zerolog.Ctx(ctx)
	cfg := repoconfig.LoadOrg(ctx, gh, req.Account)
	switch {
	case cfg.Err != nil:
		logger.Warn().Err(cfg.Err).Msg("The organisation's ghcr-doctor configuration is broken; no audit.")
		return Outcome{Skipped: "the organisation's configuration is broken"}, nil
	case cfg.Source == "" || !cfg.Config.Audit.Enabled:
		return Outcome{Skipped: "the organisation has not opted in (audit.enabled in " + req.Account + "/" + repoconfig.OrgRepo + ":" + repoconfig.Path + ")"}, nil
	}
	a := &audit.Auditor{Source: gh, Analyze: s.Analyze, WebURL: s.WebURL}
	rep, err := a.Installation(ctx, req.Account)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Report: rep}
	p := &report.Publisher{GH: gh}
	out.Issue, err = p.PublishHealth(ctx, req.Account, repoconfig.OrgRepo, rep, HealthOptions(s.WebURL, req.Account))
	if err != nil {
		if pe, ok := gherr.AsPermission(err); ok {
			out.Unpublished = fmt.Sprintf("the App lacks %s on %s/%s", orWord(pe.Permission(), "a permission"), req.Account, repoconfig.OrgRepo)
			return out, nil
		}
		if gherr.IsNotFound(err) {
			out.Unpublished = fmt.Sprintf("%s/%s is not visible to the App (missing, or not among the installation's repositories)", req.Account, repoconfig.OrgRepo)
			return out, nil
		}
		return out, err
	}
	return out, nil
}

// HealthOptions are the health issue's heading and footer.
func HealthOptions(webURL, account string) report.AuditOptions {
	return report.AuditOptions{
		WebURL:  webURL,
		Heading: "## " + report.HealthIssueTitle + "\n\nghcr-doctor read the workflows of every repository it is installed on in " + markdown.Code(account, 100) + " and checked each job that publishes to GitHub Packages before it runs.",
		Footer: "<sub>ghcr-doctor updates this issue after it is installed and every week, and closes it when nothing is at risk " +
			"(`audit.enabled` in this repository's `.github/ghcr-doctor.yml`). Comment `/ghcr audit` on any issue or pull request of a repository to audit it now.</sub>",
	}
}

func orWord(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
