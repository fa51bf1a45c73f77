package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/commands"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghpayload"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

// KindCommand is the job kind of `/ghcr` commands and check run buttons.
const KindCommand = "command"

// IssueComment queues the `/ghcr` commands of new comments on issues and
// pull requests. Edited and deleted comments, and comments by bots, are
// ignored without a reply; the decision is still written to the audit log.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#issue_comment
type IssueComment struct {
	Base
}

var _ githubapp.EventHandler = (*IssueComment)(nil)

// Handles names the event.
func (h *IssueComment) Handles() []string { return []string{"issue_comment"} }

// Handle parses, filters and queues.
func (h *IssueComment) Handle(ctx context.Context, eventType, deliveryID string, payload []byte) error {
	var ev github.IssueCommentEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return &BadPayloadError{Event: eventType, Err: err}
	}
	cm, is, repo := ev.GetComment(), ev.GetIssue(), ev.GetRepo()
	if cm == nil || is == nil || repo == nil || repo.GetOwner() == nil || cm.GetID() == 0 || is.GetNumber() == 0 {
		return &BadPayloadError{Event: eventType, Err: errors.New("comment, issue, repository and their ids are required")}
	}
	ctx, logger := githubapp.PrepareRepoContext(ctx, githubapp.GetInstallationIDFromEvent(&ev), repo)
	cmds := commands.Parse(cm.GetBody())
	if len(cmds) == 0 {
		logger.Debug().Msg("Ignoring a comment without /ghcr commands.")
		return nil
	}
	sender := commands.Sender{Login: cm.GetUser().GetLogin(), Type: cm.GetUser().GetType()}
	if sender.Login == "" {
		sender = commands.Sender{Login: ev.GetSender().GetLogin(), Type: ev.GetSender().GetType()}
	}
	if d := commands.Authorize(commands.Subject{Event: ev.GetAction(), Sender: sender}, commands.ActionHelp); d.Outcome == commands.Ignored {
		for _, c := range cmds {
			commands.Audit(&logger, commands.AuditRecord{Actor: sender.Login, Repository: repo.GetFullName(), Command: c.String(),
				Source: "comment", Decision: commands.Ignored, Result: d.Reason})
		}
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
		Commands:       cmds,
		Comment: &commands.CommentSource{
			ID:          cm.GetID(),
			Issue:       is.GetNumber(),
			IsPR:        is.IsPullRequest(),
			IssueURL:    is.GetHTMLURL(),
			IssueAuthor: commands.Sender{Login: is.GetUser().GetLogin(), Type: is.GetUser().GetType()},
			IssueBody:   is.GetBody(),
		},
	}
	if len(req.Commands) > commands.MaxCommands {
		req.Dropped = len(req.Commands) - commands.MaxCommands
		req.Commands = req.Commands[:commands.MaxCommands]
	}
	// The comment id is the key: a redelivered event does not act twice.
	key := fmt.Sprintf("command:%s:comment:%d", repo.GetFullName(), cm.GetID())
	return h.enqueueCommand(ctx, key, deliveryID, req)
}

// commandSerial is the serial key of the command jobs of a repository.
func commandSerial(owner, repo string) string {
	return "command:" + strings.ToLower(owner+"/"+repo)
}

func (b Base) enqueueCommand(ctx context.Context, key, deliveryID string, req commands.Request) error {
	job, err := queue.NewJob(KindCommand, key, deliveryID, req)
	if err != nil {
		return err
	}
	// Commands on one repository run one at a time: two fixes at once
	// would reset and delete each other's fix branch.
	job.Serial = commandSerial(req.Repo.Owner, req.Repo.Name)
	job.Installation = req.InstallationID
	if err := b.Queue.Enqueue(ctx, job); err != nil {
		return fmt.Errorf("queueing command: %w", err)
	}
	zerolog.Ctx(ctx).Info().Str("job_key", key).Int("commands", len(req.Commands)).Msg("Queued the command.")
	return nil
}
