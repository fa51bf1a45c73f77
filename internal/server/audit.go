package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/audit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/orgaudit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

// orgAuditJob works a queued organisation audit (orgaudit.KindAudit).
func orgAuditJob(s *orgaudit.Service) queue.Handler {
	return func(ctx context.Context, job queue.Job) error {
		var req orgaudit.Request
		if err := json.Unmarshal(job.Payload, &req); err != nil {
			return queue.Permanent(fmt.Errorf("decoding audit job: %w", err))
		}
		logger := zerolog.Ctx(ctx).With().Int64(githubapp.LogKeyInstallationID, req.InstallationID).
			Str("account", req.Account).Str("reason", req.Reason).Logger()
		ctx = logger.WithContext(ctx)
		out, err := s.Run(ctx, req)
		if err != nil {
			return classifyJobError(err)
		}
		logAuditOutcome(&logger, out)
		return nil
	}
}

func logAuditOutcome(logger *zerolog.Logger, out orgaudit.Outcome) {
	if out.Skipped != "" {
		logger.Info().Str("reason", out.Skipped).Msg("No organisation audit.")
		return
	}
	ev := logger.Info().Int("repositories", len(out.Report.Repos)).Int("at_risk", len(out.Report.AtRisk())).
		Int("unknown", len(out.Report.Unknown())).Int("unreadable", len(out.Report.Failed())).Int("reads", out.Report.Reads)
	if out.Unpublished != "" {
		ev.Str("unpublished", out.Unpublished).Msg("Audited the organisation, but could not write the health issue.")
		return
	}
	ev.Int("issue", out.Issue.Issue).Str("issue_action", out.Issue.Action).Msg("Audited the organisation.")
}

// orgAuditClients gives the audit the installation clients.
type orgAuditClients struct{ c *installationClients }

func (r orgAuditClients) Client(_ context.Context, installationID int64) (orgaudit.Client, error) {
	gh, err := r.c.creator.NewInstallationClient(installationID)
	if err != nil {
		return nil, fmt.Errorf("installation %d: %w", installationID, err)
	}
	return ghapi.New(gh), nil
}

// repoAuditor audits one repository for `/ghcr audit`.
type repoAuditor struct {
	clients orgAuditClients
	analyze audit.Analyzer
	webURL  string
}

func (a repoAuditor) AuditRepo(ctx context.Context, installationID int64, owner, name string) (audit.Report, error) {
	gh, err := a.clients.Client(ctx, installationID)
	if err != nil {
		return audit.Report{}, err
	}
	return (&audit.Auditor{Source: gh, Analyze: a.analyze, WebURL: a.webURL}).Repo(ctx, owner, name)
}

// appInstallations lists the App's installations with a fresh app (JWT) client.
type appInstallations struct{ creator githubapp.ClientCreator }

func (a appInstallations) ListInstallations(ctx context.Context) ([]orgaudit.Installation, error) {
	c, err := a.creator.NewAppClient()
	if err != nil {
		return nil, fmt.Errorf("creating the app client: %w", err)
	}
	return ghapi.AppInstallations{App: c}.ListInstallations(ctx)
}
