// Package ghpayload decodes GitHub's JSON shapes (webhook payloads and
// REST answers) into the domain's values: the workflow run with its
// workflow file's path, the repository.
package ghpayload

import (
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// DecodeRun reads a workflow run as the REST API and the workflow_run
// webhook show it, with the workflow file's path. Only pull requests into
// the run's own repository (repoID, or when zero the run's own repository
// field) are kept: runs also list those of other repositories. It decodes
// only the fields it keeps: a run's JSON is mostly its repositories, and
// webhooks are decoded on the request path.
func DecodeRun(raw json.RawMessage, repoID int64) (diagnose.Run, error) {
	var run RunFields
	if err := json.Unmarshal(raw, &run); err != nil {
		return diagnose.Run{}, fmt.Errorf("decoding workflow run: %w", err)
	}
	return run.Run(repoID), nil
}

// Run is the run DecodeRun would return for these fields, for a caller
// that decodes them as part of a larger document (a webhook payload, in
// one pass over its bytes).
func (run *RunFields) Run(repoID int64) diagnose.Run {
	var prs []int
	if repoID == 0 {
		repoID = run.Repository.ID
	}
	for _, pr := range run.PullRequests {
		if base := pr.Base.Repo.ID; base != 0 && repoID != 0 && base != repoID {
			continue
		}
		prs = append(prs, pr.Number)
	}
	return diagnose.Run{
		ID:              run.ID,
		Attempt:         run.RunAttempt,
		WorkflowID:      run.WorkflowID,
		WorkflowName:    run.Name,
		Path:            run.Path,
		Event:           run.Event,
		HeadSHA:         run.HeadSHA,
		HeadBranch:      run.HeadBranch,
		HeadRepo:        run.HeadRepository.FullName,
		Actor:           run.Actor.Login,
		TriggeringActor: run.TriggeringActor.Login,
		HTMLURL:         run.HTMLURL,
		Conclusion:      run.Conclusion,
		PullRequests:    prs,
	}
}

// RunFields are the fields of a workflow run that DecodeRun keeps.
type RunFields struct {
	ID             int64  `json:"id"`
	RunAttempt     int    `json:"run_attempt"`
	WorkflowID     int64  `json:"workflow_id"`
	Name           string `json:"name"`
	Path           string `json:"path"`
	Event          string `json:"event"`
	HeadSHA        string `json:"head_sha"`
	HeadBranch     string `json:"head_branch"`
	HTMLURL        string `json:"html_url"`
	Conclusion     string `json:"conclusion"`
	HeadRepository struct {
		FullName string `json:"full_name"`
	} `json:"head_repository"`
	Repository struct {
		ID int64 `json:"id"`
	} `json:"repository"`
	Actor struct {
		Login string `json:"login"`
	} `json:"actor"`
	TriggeringActor struct {
		Login string `json:"login"`
	} `json:"triggering_actor"`
	PullRequests []struct {
		Number int `json:"number"`
		Base   struct {
			Repo struct {
				ID int64 `json:"id"`
			} `json:"repo"`
		} `json:"base"`
	} `json:"pull_requests"`
}

// RepoOf describes a repository as the diagnosis needs it.
func RepoOf(repo *github.Repository) diagnose.Repo {
	return diagnose.Repo{
		Owner:         repo.GetOwner().GetLogin(),
		Name:          repo.GetName(),
		OwnerType:     repo.GetOwner().GetType(),
		DefaultBranch: repo.GetDefaultBranch(),
		Private:       repo.GetPrivate(),
	}
}
