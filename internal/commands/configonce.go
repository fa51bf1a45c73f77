package commands

import (
	"context"
	"sync"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/repoconfig"
)

// configOnce is a command's client that reads each ghcr-doctor
// configuration file (the repository's, the organisation's) once: the
// command's steps (a fresh diagnosis, the fix's opt-ins, the report
// republished) each consult it, and all of them see the same answer.
// Answers are kept, found or not found; a failed read is not, so the next
// step asks again.
type configOnce struct {
	CommandClient
	mu    sync.Mutex
	files map[string]configAnswer // by owner/repo
}

// configAnswer is GitHub's answer for a configuration file: its content or
// its not-found error.
type configAnswer struct {
	data []byte
	err  error
}

func newConfigOnce(gh CommandClient) *configOnce {
	return &configOnce{CommandClient: gh, files: map[string]configAnswer{}}
}

// GetFile reads a configuration file at the default branch once; every
// other file is read as asked.
func (c *configOnce) GetFile(ctx context.Context, owner, repo, path, ref string) ([]byte, error) {
	if path != repoconfig.Path || ref != "" {
		return c.CommandClient.GetFile(ctx, owner, repo, path, ref)
	}
	key := owner + "/" + repo
	c.mu.Lock()
	answer, seen := c.files[key]
	c.mu.Unlock()
	if seen {
		return answer.data, answer.err
	}
	data, err := c.CommandClient.GetFile(ctx, owner, repo, path, ref)
	if err == nil || gherr.IsNotFound(err) {
		c.mu.Lock()
		c.files[key] = configAnswer{data: data, err: err}
		c.mu.Unlock()
	}
	return data, err
}

// OpenPullRequestForBranch passes on the lookup the diagnosis makes of the
// client, when the client has it.
func (c *configOnce) OpenPullRequestForBranch(ctx context.Context, owner, repo, branch string) (*diagnose.Link, error) {
	prs, ok := c.CommandClient.(interface {
		OpenPullRequestForBranch(ctx context.Context, owner, repo, branch string) (*diagnose.Link, error)
	})
	if !ok {
		return nil, nil
	}
	return prs.OpenPullRequestForBranch(ctx, owner, repo, branch)
}
