package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/ghcr-doctor/ghcr-doctor/internal/commands"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghpayload"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// CheckRun queues the command of a button pressed on ghcr-doctor's check
// run: "Fix" and "Recheck" (a check_run event with action requested_action)
// and GitHub's "Re-run" (action rerequested), which rechecks.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_run
type CheckRun struct {
	Base
}

var _ githubapp.EventHandler = (*CheckRun)(nil)

// Handles names the event.
func (h *CheckRun) Handles() []string { return []string{"check_run"} }

// Handle parses, filters and queues.
func (h *CheckRun) Handle(ctx context.Context, eventType, deliveryID string, payload []byte) error {
	var ev github.CheckRunEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return &BadPayloadError{Event: eventType, Err: err}
	}
	cr, repo := ev.GetCheckRun(), ev.GetRepo()
	if cr == nil || repo == nil || repo.GetOwner() == nil || cr.GetID() == 0 {
		return &BadPayloadError{Event: eventType, Err: errors.New("check_run, repository and their ids are required")}
	}
	ctx, logger := githubapp.PrepareRepoContext(ctx, githubapp.GetInstallationIDFromEvent(&ev), repo)
	if cr.GetName() != report.CheckRunName {
		logger.Debug().Msgf("Ignoring check_run action %q of %q.", ev.GetAction(), cr.GetName())
		return nil
	}
	var (
		identifier string
		cmd        commands.Command
	)
	switch ev.GetAction() {
	case commands.EventRequestedAction:
		identifier = ev.GetRequestedAction().Identifier
		var ok bool
		if cmd, ok = commands.ButtonCommand(identifier); !ok {
			logger.Info().Str("identifier", identifier).Msg("Ignoring an unknown check run button.")
			return nil
		}
	case commands.EventRerequested:
		// GitHub's own "Re-run" button on the check run.
		identifier, cmd = commands.EventRerequested, commands.RerunCommand()
	default:
		logger.Debug().Msgf("Ignoring check_run action %q of %q.", ev.GetAction(), cr.GetName())
		return nil
	}
	sender := commands.Sender{Login: ev.GetSender().GetLogin(), Type: ev.GetSender().GetType()}
	if d := commands.Authorize(commands.Subject{Event: ev.GetAction(), Sender: sender}, commands.ActionHelp); d.Outcome == commands.Ignored {
		commands.Audit(&logger, commands.AuditRecord{Actor: sender.Login, Repository: repo.GetFullName(), Command: cmd.String(),
			Source: "check_run", Decision: commands.Ignored, Result: d.Reason})
		return nil
	}
	if ev.GetInstallation().GetID() == 0 {
		return &BadPayloadError{Event: eventType, Err: errors.New("installation.id is required for a GitHub App delivery")}
	}
	req := commands.Request{
		DeliveryID:     deliveryID,
		InstallationID: ev.GetInstallation().GetID(),
		Repo:           ghpayload.RepoOf(repo),
		Event:          ev.GetAction(),
		Sender:         sender,
		Commands:       []commands.Command{cmd},
		CheckRun: &commands.CheckRunSource{
			ID:         cr.GetID(),
			HeadSHA:    cr.GetHeadSHA(),
			ExternalID: cr.GetExternalID(),
			DetailsURL: cr.GetDetailsURL(),
			HTMLURL:    cr.GetHTMLURL(),
			Summary:    cr.GetOutput().GetSummary(),
			Identifier: identifier,
		},
	}
	return h.enqueueCommand(ctx, pressKey(repo.GetFullName(), &ev, identifier), deliveryID, req)
}

// pressKey identifies one press of a button from the signed body only: the
// check run, the button, who pressed it and the state of the check run at
// the time. The delivery id is left out, as its header is not signed: a
// replay of a body under a new delivery id is the same press and is dropped.
// A check run carries no updated_at of its own; its suite's updated_at moves
// with every update of its check runs (each press the bot answers notes its
// outcome on the check run), and completed_at with every new conclusion, so
// a later press is a new key.
func pressKey(repo string, ev *github.CheckRunEvent, identifier string) string {
	cr := ev.GetCheckRun()
	return fmt.Sprintf("command:%s:check_run:%d:%s:%s:%s:%s:%s", repo, cr.GetID(), ev.GetAction(), identifier,
		ev.GetSender().GetLogin(), timestamp(cr.GetCheckSuite().GetUpdatedAt()), timestamp(cr.GetCompletedAt()))
}

// timestamp formats a payload's time as GitHub sends it, or "" when absent.
func timestamp(t github.Timestamp) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
