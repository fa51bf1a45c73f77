package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/commands"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// diagnoseRunJob works a queued run (handlers.KindDiagnoseRun): the
// whole data path of triage, with the job's logger.
func diagnoseRunJob(d *triage.Doctor) queue.Handler {
	return func(ctx context.Context, job queue.Job) error {
		var ev triage.RunEvent
		if err := json.Unmarshal(job.Payload, &ev); err != nil {
			return queue.Permanent(fmt.Errorf("decoding run job: %w", err))
		}
		repo := &github.Repository{Name: github.String(ev.Repo.Name), Owner: &github.User{Login: github.String(ev.Repo.Owner)}}
		ctx, logger := githubapp.PrepareRepoContext(ctx, ev.InstallationID, repo)
		ctx = logger.With().Int64("run_id", ev.Run.ID).Int("run_attempt", ev.Run.Attempt).Logger().WithContext(ctx)
		ev.FinalAttempt = queue.FinalAttempt(ctx)
		out, err := d.HandleRun(ctx, ev)
		if err != nil {
			return classifyJobError(err)
		}
		logRunOutcome(zerolog.Ctx(ctx), out)
		return nil
	}
}

func logRunOutcome(logger *zerolog.Logger, out triage.RunOutcome) {
	if out.Skipped != "" {
		logger.Info().Str("reason", out.Skipped).Msg("Nothing to report for the run.")
		return
	}
	for _, d := range out.Diagnoses {
		logger.Info().Str("package", d.Package.Display()).Str("cause", string(d.Primary().ID)).
			Str("confidence", string(d.Primary().Confidence)).Msg("Diagnosed a GitHub Packages failure.")
	}
	logger.Info().Int("created", out.Result.Created).Int("updated", out.Result.Updated).
		Int("unchanged", out.Result.Unchanged).Int("superseded", out.Result.Superseded).Msg("Published the report.")
}

// classifyJobError marks errors that retrying cannot fix — a permission the
// app lacks, a repository or run that is gone — as permanent, so the job
// stops at once; the log says what is missing.
func classifyJobError(err error) error {
	if pe, ok := gherr.AsPermission(err); ok {
		return queue.Permanent(fmt.Errorf("the app lacks a permission (%s): %w", pe.Permission(), err))
	}
	if gherr.IsNotFound(err) {
		return queue.Permanent(err)
	}
	return err
}

// commandJob works a queued `/ghcr` command or check run button
// (handlers.KindCommand).
func commandJob(s *commands.Service) queue.Handler {
	return func(ctx context.Context, job queue.Job) error {
		var req commands.Request
		if err := json.Unmarshal(job.Payload, &req); err != nil {
			return queue.Permanent(fmt.Errorf("decoding command job: %w", err))
		}
		repo := &github.Repository{Name: github.String(req.Repo.Name), Owner: &github.User{Login: github.String(req.Repo.Owner)}}
		ctx, _ = githubapp.PrepareRepoContext(ctx, req.InstallationID, repo)
		return s.Handle(ctx, req)
	}
}
