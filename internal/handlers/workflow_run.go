package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghpayload"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// WorkflowRun queues a diagnosis for every completed run that failed, and
// a close-out for every one that succeeded.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#workflow_run
type WorkflowRun struct {
	Base
}

var _ githubapp.EventHandler = (*WorkflowRun)(nil)

// Handles names the event.
func (h *WorkflowRun) Handles() []string { return []string{"workflow_run"} }

// Handle parses, filters and queues. Most deliveries are actions that
// need nothing (requested, in_progress): those are told from the action
// alone, which GitHub sends first, without decoding the rest.
func (h *WorkflowRun) Handle(ctx context.Context, eventType, deliveryID string, payload []byte) error {
	if action, ok := leadingAction(payload); ok && action != "completed" {
		zerolog.Ctx(ctx).Debug().Msgf("Ignoring workflow_run action %q.", action)
		return nil
	}
	var ev struct {
		Action       string                `json:"action"`
		Run          *ghpayload.RunFields  `json:"workflow_run"`
		Workflow     struct{ Path string } `json:"workflow"`
		Repo         *payloadRepo          `json:"repository"`
		Installation struct {
			ID int64 `json:"id"`
		} `json:"installation"`
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		return &BadPayloadError{Event: eventType, Err: err}
	}
	if ev.Run == nil || ev.Repo == nil || ev.Repo.Owner == nil {
		return &BadPayloadError{Event: eventType, Err: errors.New("workflow_run, repository and their ids are required")}
	}
	repo := ev.Repo.github()
	// The run is decoded with the rest of the payload: one pass over the
	// bytes instead of a second one over the run.
	decoded := ev.Run.Run(repo.GetID())
	if decoded.ID == 0 {
		return &BadPayloadError{Event: eventType, Err: errors.New("workflow_run, repository and their ids are required")}
	}
	ctx, logger := githubapp.PrepareRepoContext(ctx, ev.Installation.ID, repo)
	if ev.Action != "completed" {
		logger.Debug().Msgf("Ignoring workflow_run action %q.", ev.Action)
		return nil
	}
	conclusion := decoded.Conclusion
	if conclusion != "failure" && conclusion != "success" {
		logger.Debug().Msgf("Ignoring a run that concluded %q.", conclusion)
		return nil
	}
	if ev.Installation.ID == 0 {
		return &BadPayloadError{Event: eventType, Err: errors.New("installation.id is required for a GitHub App delivery")}
	}
	if decoded.Path == "" {
		decoded.Path = ev.Workflow.Path
	}
	re := triage.RunEvent{DeliveryID: deliveryID, InstallationID: ev.Installation.ID, Repo: ghpayload.RepoOf(repo), Run: decoded}
	key := fmt.Sprintf("run:%s:%d:%d:%s", re.Repo.FullName(), re.Run.ID, re.Run.Attempt, conclusion)
	job, err := queue.NewJob(KindDiagnoseRun, key, deliveryID, re)
	if err != nil {
		return err
	}
	job.Installation = re.InstallationID
	if err := h.Queue.Enqueue(ctx, job); err != nil {
		return fmt.Errorf("queueing run %d: %w", re.Run.ID, err)
	}
	logger.Info().Int64("run_id", re.Run.ID).Str("conclusion", conclusion).Msg("Queued the run.")
	return nil
}

// payloadRepo is what the handler reads of the payload's repository: a
// fraction of go-github's Repository, which is slow to decode on the
// request path.
type payloadRepo struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	FullName      string `json:"full_name"`
	DefaultBranch string `json:"default_branch"`
	Private       bool   `json:"private"`
	Owner         *struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"owner"`
}

// github is the repository as go-github's type, with what was read.
func (r *payloadRepo) github() *github.Repository {
	return &github.Repository{ID: &r.ID, Name: &r.Name, FullName: &r.FullName, DefaultBranch: &r.DefaultBranch, Private: &r.Private,
		Owner: &github.User{Login: &r.Owner.Login, Type: &r.Owner.Type}}
}
