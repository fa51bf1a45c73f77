package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghpayload"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflightcheck"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

// PullRequest queues the preflight check of a pull request's head when it
// is opened, reopened or pushed to. Drafts are checked too (early warning
// is the point); pull requests from forks as well: the App reads their
// head with its own installation token and never runs their code. Whether
// the pull request changes a workflow is decided by the job, which lists
// its files.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request
type PullRequest struct {
	Base
}

var _ githubapp.EventHandler = (*PullRequest)(nil)

// Handles names the event.
func (h *PullRequest) Handles() []string { return []string{"pull_request"} }

// preflightActions are the pull_request actions that put a new head up for review.
var preflightActions = map[string]bool{"opened": true, "synchronize": true, "reopened": true}

// Handle parses, filters and queues.
func (h *PullRequest) Handle(ctx context.Context, eventType, deliveryID string, payload []byte) error {
	var ev github.PullRequestEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return &BadPayloadError{Event: eventType, Err: err}
	}
	pr, repo := ev.GetPullRequest(), ev.GetRepo()
	if pr == nil || repo == nil || repo.GetOwner() == nil || pr.GetNumber() == 0 {
		return &BadPayloadError{Event: eventType, Err: errors.New("pull_request, repository and the number are required")}
	}
	ctx, logger := githubapp.PrepareRepoContext(ctx, githubapp.GetInstallationIDFromEvent(&ev), repo)
	if !preflightActions[ev.GetAction()] {
		logger.Debug().Msgf("Ignoring pull_request action %q.", ev.GetAction())
		return nil
	}
	if pr.GetState() != "open" {
		logger.Debug().Int("pull", pr.GetNumber()).Msg("Ignoring a pull request that is not open.")
		return nil
	}
	sha := pr.GetHead().GetSHA()
	if !isCommitSHA(sha) {
		return &BadPayloadError{Event: eventType, Err: errors.New("pull_request.head.sha must be a commit SHA")}
	}
	if ev.GetInstallation().GetID() == 0 {
		return &BadPayloadError{Event: eventType, Err: errors.New("installation.id is required for a GitHub App delivery")}
	}
	pe := preflightcheck.Event{
		DeliveryID:     deliveryID,
		InstallationID: ev.GetInstallation().GetID(),
		Repo:           ghpayload.RepoOf(repo),
		RepoID:         repo.GetID(),
		HeadSHA:        sha,
		Pull:           pr.GetNumber(),
		PullURL:        pr.GetHTMLURL(),
	}
	key := fmt.Sprintf("preflight:%s:pull:%d:%s", pe.Repo.FullName(), pe.Pull, sha)
	if err := h.queuePreflight(ctx, key, pe); err != nil {
		return err
	}
	logger.Info().Int("pull", pe.Pull).Str("head_sha", sha).Msg("Queued the preflight check of the pull request.")
	return nil
}

// queuePreflight queues a preflight job; the jobs of one repository run
// one at a time, so two checks never write the same review or check run at once.
func (h *Base) queuePreflight(ctx context.Context, key string, ev preflightcheck.Event) error {
	job, err := queue.NewJob(KindPreflight, key, ev.DeliveryID, ev)
	if err != nil {
		return err
	}
	job.Serial = "preflight:" + ev.Repo.FullName()
	if err := h.Queue.Enqueue(ctx, job); err != nil {
		return fmt.Errorf("queueing the preflight check of %s: %w", ev.HeadSHA, err)
	}
	return nil
}

// isCommitSHA reports whether s is a full hexadecimal commit SHA.
func isCommitSHA(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return true
}
