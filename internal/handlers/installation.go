package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/orgaudit"
)

// Installation queues the first organisation audit when the App is
// installed (installation created) and another when the installation is
// given more repositories (installation_repositories added). Whether the
// organisation opted in is read by the audit job, not here: a handler
// makes no call to GitHub. GitHub Apps receive both events without
// subscribing to them.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#installation
type Installation struct {
	Base
	// Ledger, when set, learns of each new installation, whose reports it
	// will then know in full (see internal/ledger).
	Ledger interface {
		Began(ctx context.Context, installationID int64) error
	}
}

var _ githubapp.EventHandler = (*Installation)(nil)

// Handles names the events.
func (h *Installation) Handles() []string {
	return []string{"installation", "installation_repositories"}
}

// Handle parses, filters and queues.
func (h *Installation) Handle(ctx context.Context, eventType, deliveryID string, payload []byte) error {
	var (
		action string
		inst   *github.Installation
		reason string
		key    string
	)
	switch eventType {
	case "installation":
		var ev github.InstallationEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return &BadPayloadError{Event: eventType, Err: err}
		}
		action, inst, reason = ev.GetAction(), ev.GetInstallation(), orgaudit.ReasonInstalled
		if action != "created" {
			zerolog.Ctx(ctx).Debug().Str("action", action).Msg("Ignoring an installation event.")
			return nil
		}
		key = fmt.Sprintf("%s:%d:installed", orgaudit.KindAudit, inst.GetID())
	case "installation_repositories":
		var ev github.InstallationRepositoriesEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return &BadPayloadError{Event: eventType, Err: err}
		}
		action, inst, reason = ev.GetAction(), ev.GetInstallation(), orgaudit.ReasonRepositoriesAdded
		if action != "added" || len(ev.RepositoriesAdded) == 0 {
			zerolog.Ctx(ctx).Debug().Str("action", action).Msg("Ignoring an installation_repositories event.")
			return nil
		}
		key = fmt.Sprintf("%s:%d:delivery:%s", orgaudit.KindAudit, inst.GetID(), deliveryID)
	default:
		return nil
	}
	if inst == nil || inst.GetID() == 0 || inst.GetAccount().GetLogin() == "" {
		return &BadPayloadError{Event: eventType, Err: errors.New("installation.id and installation.account.login are required")}
	}
	logger := zerolog.Ctx(ctx).With().Int64(githubapp.LogKeyInstallationID, inst.GetID()).Str("account", inst.GetAccount().GetLogin()).Logger()
	if eventType == "installation" && h.Ledger != nil {
		if err := h.Ledger.Began(ctx, inst.GetID()); err != nil {
			return fmt.Errorf("recording the new installation: %w", err)
		}
	}
	req := orgaudit.Request{InstallationID: inst.GetID(), Account: inst.GetAccount().GetLogin(), Reason: reason}
	job, err := orgaudit.AuditJob(req, key, deliveryID)
	if err != nil {
		return err
	}
	if err := h.Queue.Enqueue(ctx, job); err != nil {
		return fmt.Errorf("queueing the organisation audit: %w", err)
	}
	logger.Info().Str("job_key", key).Str("reason", reason).Msg("Queued the organisation audit.")
	return nil
}
