package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"

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

// Handle parses, filters and queues.
func (h *WorkflowRun) Handle(ctx context.Context, eventType, deliveryID string, payload []byte) error {
	var ev github.WorkflowRunEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return &BadPayloadError{Event: eventType, Err: err}
	}
	var raw struct {
		Run      json.RawMessage       `json:"workflow_run"`
		Workflow struct{ Path string } `json:"workflow"`
	}
	if err := json.Unmarshal(payload, &raw); err != nil {
		return &BadPayloadError{Event: eventType, Err: err}
	}
	run := ev.GetWorkflowRun()
	if run == nil || ev.GetRepo() == nil || ev.GetRepo().GetOwner() == nil || run.GetID() == 0 {
		return &BadPayloadError{Event: eventType, Err: errors.New("workflow_run, repository and their ids are required")}
	}
	ctx, logger := githubapp.PrepareRepoContext(ctx, githubapp.GetInstallationIDFromEvent(&ev), ev.GetRepo())
	if ev.GetAction() != "completed" {
		logger.Debug().Msgf("Ignoring workflow_run action %q.", ev.GetAction())
		return nil
	}
	conclusion := run.GetConclusion()
	if conclusion != "failure" && conclusion != "success" {
		logger.Debug().Msgf("Ignoring a run that concluded %q.", conclusion)
		return nil
	}
	if ev.GetInstallation().GetID() == 0 {
		return &BadPayloadError{Event: eventType, Err: errors.New("installation.id is required for a GitHub App delivery")}
	}
	decoded, err := ghpayload.DecodeRun(raw.Run, ev.GetRepo().GetID())
	if err != nil {
		return &BadPayloadError{Event: eventType, Err: err}
	}
	if decoded.Path == "" {
		decoded.Path = raw.Workflow.Path
	}
	re := triage.RunEvent{DeliveryID: deliveryID, InstallationID: ev.GetInstallation().GetID(), Repo: ghpayload.RepoOf(ev.GetRepo()), Run: decoded}
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
