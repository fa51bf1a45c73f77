package ghapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghpayload"
)

// GetRun reads a workflow run, or one attempt of it when attempt > 0, with
// its repository (GET /repos/{owner}/{repo}/actions/runs/{id}[/attempts/{n}]).
// go-github's type lacks the workflow file's path, so the answer is read
// raw. Errors are classified, so a missing `actions: read` is a
// gherr.PermissionError naming it.
func (c *Client) GetRun(ctx context.Context, owner, repo string, runID int64, attempt int) (diagnose.Repo, diagnose.Run, error) {
	path := fmt.Sprintf("repos/%s/%s/actions/runs/%d", url.PathEscape(owner), url.PathEscape(repo), runID)
	if attempt > 0 {
		path += fmt.Sprintf("/attempts/%d", attempt)
	}
	req, err := c.gh.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		return diagnose.Repo{}, diagnose.Run{}, fmt.Errorf("reading run %d: %w", runID, err)
	}
	var raw json.RawMessage
	resp, err := c.gh.Do(ctx, req, &raw)
	if err != nil {
		return diagnose.Repo{}, diagnose.Run{}, gherr.Classify(fmt.Sprintf("reading run %d", runID), resp, err)
	}
	run, err := ghpayload.DecodeRun(raw, 0)
	if err != nil {
		return diagnose.Repo{}, diagnose.Run{}, fmt.Errorf("run %d: %w", runID, err)
	}
	var withRepo struct {
		Repository *github.Repository `json:"repository"`
	}
	if err := json.Unmarshal(raw, &withRepo); err != nil {
		return diagnose.Repo{}, diagnose.Run{}, fmt.Errorf("decoding run %d: %w", runID, err)
	}
	r := ghpayload.RepoOf(withRepo.Repository)
	if r.Owner == "" || r.Name == "" {
		r.Owner, r.Name = owner, repo
	}
	return r, run, nil
}
