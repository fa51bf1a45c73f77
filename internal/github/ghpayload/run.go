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
// webhook show it. go-github's WorkflowRun lacks the workflow file's path,
// so it is read separately. Only pull requests into the run's own
// repository (repoID, or when zero the run's own repository field) are
// kept: runs also list those of other repositories.
func DecodeRun(raw json.RawMessage, repoID int64) (diagnose.Run, error) {
	// One pass: go-github's run lacks the workflow file's path.
	var decoded struct {
		github.WorkflowRun
		Path string `json:"path"`
	}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		return diagnose.Run{}, fmt.Errorf("decoding workflow run: %w", err)
	}
	run, extra := decoded.WorkflowRun, decoded
	var prs []int
	if repoID == 0 {
		repoID = run.GetRepository().GetID()
	}
	for _, pr := range run.PullRequests {
		if base := pr.GetBase().GetRepo(); base != nil && base.GetID() != 0 && repoID != 0 && base.GetID() != repoID {
			continue
		}
		prs = append(prs, pr.GetNumber())
	}
	return diagnose.Run{
		ID:              run.GetID(),
		Attempt:         run.GetRunAttempt(),
		WorkflowID:      run.GetWorkflowID(),
		WorkflowName:    run.GetName(),
		Path:            extra.Path,
		Event:           run.GetEvent(),
		HeadSHA:         run.GetHeadSHA(),
		HeadBranch:      run.GetHeadBranch(),
		HeadRepo:        run.GetHeadRepository().GetFullName(),
		Actor:           run.GetActor().GetLogin(),
		TriggeringActor: run.GetTriggeringActor().GetLogin(),
		HTMLURL:         run.GetHTMLURL(),
		Conclusion:      run.GetConclusion(),
		PullRequests:    prs,
	}, nil
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
