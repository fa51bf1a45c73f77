package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflightcheck"
	"github.com/ghcr-doctor/ghcr-doctor/internal/repoconfig"
)

// Push queues the preflight check of a push to the repository's default
// branch that changes a workflow or a local action, and, for any other
// push there, a job that checks every workflow once if the repository
// never had them checked (the first push after installation). Tag pushes,
// other branches and deletions are ignored.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
type Push struct {
	Base
	// ConfigChanged, when set, hears of each push to a default branch that
	// may have changed the repository's `.github/ghcr-doctor.yml` (every
	// push whose files the payload does not list).
	ConfigChanged func(owner, repo string)
}

var _ githubapp.EventHandler = (*Push)(nil)

// Handles names the event.
func (h *Push) Handles() []string { return []string{"push"} }

// maxPushCommits is the most commits a push payload lists; a push with
// more is compared by the job instead.
const maxPushCommits = 2048

// zeroSHA is "before" for a new branch and "after" for a deletion.
var zeroSHA = strings.Repeat("0", 40)

// Handle parses, filters and queues.
func (h *Push) Handle(ctx context.Context, eventType, deliveryID string, payload []byte) error {
	var ev github.PushEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return &BadPayloadError{Event: eventType, Err: err}
	}
	repo := ev.GetRepo()
	if repo == nil || repo.GetOwner() == nil || repo.GetName() == "" || ev.GetRef() == "" {
		return &BadPayloadError{Event: eventType, Err: errors.New("ref and repository are required")}
	}
	ctx, logger := githubapp.PrepareRepoContext(ctx, ev.GetInstallation().GetID(), &github.Repository{Name: repo.Name, Owner: repo.Owner})
	branch, isBranch := strings.CutPrefix(ev.GetRef(), "refs/heads/")
	switch {
	case !isBranch:
		logger.Debug().Msg("Ignoring a push that is not to a branch.")
		return nil
	case branch != repo.GetDefaultBranch():
		logger.Debug().Msg("Ignoring a push to a branch other than the default branch.")
		return nil
	case ev.GetDeleted() || ev.GetAfter() == zeroSHA:
		logger.Debug().Msg("Ignoring a branch deletion.")
		return nil
	}
	if !isCommitSHA(ev.GetAfter()) {
		return &BadPayloadError{Event: eventType, Err: errors.New("after must be a commit SHA")}
	}
	if ev.GetInstallation().GetID() == 0 {
		return &BadPayloadError{Event: eventType, Err: errors.New("installation.id is required for a GitHub App delivery")}
	}
	pe := preflightcheck.Event{
		DeliveryID:     deliveryID,
		InstallationID: ev.GetInstallation().GetID(),
		Repo:           diagnose.Repo{Owner: repo.GetOwner().GetLogin(), Name: repo.GetName(), OwnerType: repo.GetOwner().GetType(), DefaultBranch: repo.GetDefaultBranch(), Private: repo.GetPrivate()},
		RepoID:         repo.GetID(),
		HeadSHA:        ev.GetAfter(),
		Before:         ev.GetBefore(),
	}
	pe.Changed, pe.ChangedKnown = changedPaths(&ev)
	if h.ConfigChanged != nil && (!pe.ChangedKnown || slices.Contains(pe.Changed, repoconfig.Path)) {
		h.ConfigChanged(pe.Repo.Owner, pe.Repo.Name)
	}
	key := fmt.Sprintf("preflight:%s:push:%s", pe.Repo.FullName(), pe.HeadSHA)
	relevant := !pe.ChangedKnown || preflightcheck.AnyRelevant(pe.Changed)
	if !relevant {
		// Only worth a job while the repository's workflows were never
		// all checked; one such job per repository at a time.
		key = fmt.Sprintf("preflight-baseline:%s:%d", pe.Repo.FullName(), pe.RepoID)
		pe.Changed = nil
	}
	if err := h.queuePreflight(ctx, key, pe); err != nil {
		return err
	}
	logger.Info().Str("head_sha", pe.HeadSHA).Bool("workflows_changed", relevant).Msg("Queued the preflight check of the push.")
	return nil
}

// changedPaths lists the paths the push's commits added, modified or
// removed; known is false when the payload cannot tell them all (a new
// branch, no commits listed, or more commits than a payload holds).
func changedPaths(ev *github.PushEvent) (paths []string, known bool) {
	if ev.GetBefore() == zeroSHA || len(ev.Commits) == 0 || len(ev.Commits) >= maxPushCommits {
		return nil, false
	}
	seen := map[string]bool{}
	for _, c := range ev.Commits {
		for _, list := range [][]string{c.Added, c.Modified, c.Removed} {
			for _, p := range list {
				if !seen[p] {
					seen[p] = true
					paths = append(paths, p)
				}
			}
		}
	}
	return paths, true
}
