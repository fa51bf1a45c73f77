package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflightcheck"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

// newPreflightChecker builds the preflight check with the diagnosis's
// installation clients and the queue's durable marks.
func newPreflightChecker(clients *installationClients, marks preflightcheck.Baselines, webURL, botLogin string) *preflightcheck.Checker {
	return &preflightcheck.Checker{Clients: preflightClients{clients}, Analyze: preflight.Analyze, Baselines: marks, WebURL: webURL, BotLogin: botLogin}
}

// preflightJob works a queued preflight check (handlers.KindPreflight).
func preflightJob(c *preflightcheck.Checker) queue.Handler {
	return func(ctx context.Context, job queue.Job) error {
		var ev preflightcheck.Event
		if err := json.Unmarshal(job.Payload, &ev); err != nil {
			return queue.Permanent(fmt.Errorf("decoding preflight job: %w", err))
		}
		repo := &github.Repository{Name: github.String(ev.Repo.Name), Owner: &github.User{Login: github.String(ev.Repo.Owner)}}
		ctx, logger := githubapp.PrepareRepoContext(ctx, ev.InstallationID, repo)
		ctx = logger.With().Str("head_sha", ev.HeadSHA).Int("pull", ev.Pull).Logger().WithContext(ctx)
		rep, err := c.Handle(ctx, ev, queue.FinalAttempt(ctx))
		if err != nil {
			return classifyJobError(err)
		}
		logPreflight(zerolog.Ctx(ctx), rep)
		return nil
	}
}

func logPreflight(logger *zerolog.Logger, rep preflightcheck.Outcome) {
	if rep.Skipped != "" {
		logger.Info().Str("reason", rep.Skipped).Msg("No preflight check needed.")
		return
	}
	logger.Info().Int64("check_run_id", rep.CheckRunID).Str("conclusion", rep.Conclusion).Int("at_risk", rep.AtRisk).
		Int("comments_created", rep.Review.Created).Int("comments_updated", rep.Review.Updated).
		Int("comments_deleted", rep.Review.Deleted).Msg("Published the preflight check.")
}

// preflightClients gives the preflight check the same installation clients
// as the diagnosis, with the calls only the preflight makes.
type preflightClients struct{ c *installationClients }

func (p preflightClients) Client(_ context.Context, installationID int64) (preflightcheck.GitHub, error) {
	gh, err := p.c.creator.NewInstallationClient(installationID)
	if err != nil {
		return nil, fmt.Errorf("installation %d: %w", installationID, err)
	}
	return ghapi.New(gh), nil
}

// lateMarks forwards to the queue's marks once the queue exists.
type lateMarks struct{ q *queue.Durable }

func (l *lateMarks) Recorded(ctx context.Context, key string) (bool, error) {
	return l.q.Recorded(ctx, key)
}

func (l *lateMarks) Record(ctx context.Context, key string) error { return l.q.Record(ctx, key) }
