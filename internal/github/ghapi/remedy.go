package ghapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/commands"
	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghpayload"
)

var _ commands.GitHub = (*Client)(nil)

// RepoPermission reads a user's permission and role name in a repository;
// a user GitHub does not know as a collaborator has permission "none".
func (c *Client) RepoPermission(ctx context.Context, owner, repo, user string) (commands.RepoPermission, error) {
	u := fmt.Sprintf("repos/%s/%s/collaborators/%s/permission", url.PathEscape(owner), url.PathEscape(repo), url.PathEscape(user))
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return commands.RepoPermission{}, fmt.Errorf("building permission request: %w", err)
	}
	// go-github's RepositoryPermissionLevel lacks role_name.
	var body struct {
		Permission string `json:"permission"`
		RoleName   string `json:"role_name"`
	}
	resp, err := c.gh.Do(ctx, req, &body)
	if err != nil {
		err = gherr.Classify("reading the permission of "+user, resp, err)
		if gherr.IsNotFound(err) {
			return commands.RepoPermission{Permission: "none"}, nil
		}
		return commands.RepoPermission{}, err
	}
	return commands.RepoPermission{Permission: body.Permission, RoleName: body.RoleName}, nil
}

// OrgMembership reads a user's membership of an organisation; the zero
// value when the user is not a member.
func (c *Client) OrgMembership(ctx context.Context, org, user string) (commands.OrgMembership, error) {
	m, resp, err := c.gh.Organizations.GetOrgMembership(ctx, user, org)
	if err != nil {
		err = gherr.Classify("reading the organisation membership of "+user, resp, err)
		if gherr.IsNotFound(err) {
			return commands.OrgMembership{}, nil
		}
		return commands.OrgMembership{}, err
	}
	return commands.OrgMembership{Role: m.GetRole(), State: m.GetState()}, nil
}

// ReactToComment adds a reaction to an issue comment.
func (c *Client) ReactToComment(ctx context.Context, owner, repo string, commentID int64, content string) error {
	_, resp, err := c.gh.Reactions.CreateIssueCommentReaction(ctx, owner, repo, commentID, content)
	return gherr.Classify("reacting to a comment", resp, err)
}

// GetWorkflowRun returns a run's latest attempt.
func (c *Client) GetWorkflowRun(ctx context.Context, owner, repo string, runID int64) (diagnose.Run, error) {
	u := fmt.Sprintf("repos/%s/%s/actions/runs/%d", url.PathEscape(owner), url.PathEscape(repo), runID)
	var raw json.RawMessage
	if err := c.getJSON(ctx, "reading the workflow run", u, &raw); err != nil {
		return diagnose.Run{}, err
	}
	return ghpayload.DecodeRun(raw, 0)
}

// ListRunsForCommit lists the runs of a head commit (first 100).
func (c *Client) ListRunsForCommit(ctx context.Context, owner, repo, sha string) ([]diagnose.Run, error) {
	u := fmt.Sprintf("repos/%s/%s/actions/runs?head_sha=%s&per_page=100", url.PathEscape(owner), url.PathEscape(repo), url.QueryEscape(sha))
	var body struct {
		Runs []json.RawMessage `json:"workflow_runs"`
	}
	if err := c.getJSON(ctx, "listing the runs of a commit", u, &body); err != nil {
		return nil, err
	}
	out := make([]diagnose.Run, 0, len(body.Runs))
	for _, raw := range body.Runs {
		r, err := ghpayload.DecodeRun(raw, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (c *Client) getJSON(ctx context.Context, op, u string, v any) error {
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("%s: building request: %w", op, err)
	}
	resp, err := c.gh.Do(ctx, req, v)
	return gherr.Classify(op, resp, err)
}

// GetCheckRun returns a check run's output.
func (c *Client) GetCheckRun(ctx context.Context, owner, repo string, id int64) (commands.CheckRun, error) {
	cr, resp, err := c.gh.Checks.GetCheckRun(ctx, owner, repo, id)
	if err != nil {
		return commands.CheckRun{}, gherr.Classify("reading a check run", resp, err)
	}
	return commands.CheckRun{ID: cr.GetID(), HTMLURL: cr.GetHTMLURL(), Title: cr.GetOutput().GetTitle(),
		Summary: cr.GetOutput().GetSummary(), Text: cr.GetOutput().GetText()}, nil
}

// BranchHead is the commit a branch points at.
func (c *Client) BranchHead(ctx context.Context, owner, repo, branch string) (string, error) {
	ref, resp, err := c.gh.Git.GetRef(ctx, owner, repo, "heads/"+branch)
	if err != nil {
		return "", gherr.Classify("reading branch "+branch, resp, err)
	}
	return ref.GetObject().GetSHA(), nil
}

// GetFileAt returns a file's content and blob SHA at a ref.
func (c *Client) GetFileAt(ctx context.Context, owner, repo, path, ref string) (commands.File, error) {
	content, sha, err := c.readFile(ctx, owner, repo, path, ref)
	if err != nil {
		return commands.File{}, err
	}
	return commands.File{Content: content, SHA: sha}, nil
}

// CreateBranch creates refs/heads/branch at sha.
func (c *Client) CreateBranch(ctx context.Context, owner, repo, branch, sha string) error {
	_, resp, err := c.gh.Git.CreateRef(ctx, owner, repo, &github.Reference{Ref: github.String("refs/heads/" + branch), Object: &github.GitObject{SHA: &sha}})
	return gherr.Classify("creating branch "+branch, resp, err)
}

// ResetBranch force-moves refs/heads/branch to sha.
func (c *Client) ResetBranch(ctx context.Context, owner, repo, branch, sha string) error {
	_, resp, err := c.gh.Git.UpdateRef(ctx, owner, repo, &github.Reference{Ref: github.String("refs/heads/" + branch), Object: &github.GitObject{SHA: &sha}}, true)
	return gherr.Classify("resetting branch "+branch, resp, err)
}

// DeleteBranch deletes refs/heads/branch.
func (c *Client) DeleteBranch(ctx context.Context, owner, repo, branch string) error {
	resp, err := c.gh.Git.DeleteRef(ctx, owner, repo, "heads/"+branch)
	return gherr.Classify("deleting branch "+branch, resp, err)
}

// CommitFile writes a file on a branch with a new commit.
func (c *Client) CommitFile(ctx context.Context, owner, repo string, ch commands.FileChange) error {
	opts := &github.RepositoryContentFileOptions{Message: &ch.Message, Content: ch.Content, Branch: &ch.Branch}
	if ch.SHA != "" {
		opts.SHA = &ch.SHA
	}
	_, resp, err := c.gh.Repositories.UpdateFile(ctx, owner, repo, ch.Path, opts)
	return gherr.Classify("committing "+ch.Path, resp, err)
}

// FindOpenPullRequest returns the open pull request from headOwner:branch, or nil.
func (c *Client) FindOpenPullRequest(ctx context.Context, owner, repo, headOwner, branch string) (*commands.PullRequest, error) {
	prs, resp, err := c.gh.PullRequests.List(ctx, owner, repo, &github.PullRequestListOptions{State: "open", Head: headOwner + ":" + branch, ListOptions: github.ListOptions{PerPage: 10}})
	if err != nil {
		return nil, gherr.Classify("listing pull requests", resp, err)
	}
	for _, pr := range prs {
		if pr.GetHead().GetRef() == branch {
			return &commands.PullRequest{Number: pr.GetNumber(), HTMLURL: pr.GetHTMLURL()}, nil
		}
	}
	return nil, nil
}

// OpenPullRequestForBranch returns the open pull request from a branch of
// the repository itself, or nil.
func (c *Client) OpenPullRequestForBranch(ctx context.Context, owner, repo, branch string) (*diagnose.Link, error) {
	pr, err := c.FindOpenPullRequest(ctx, owner, repo, owner, branch)
	if err != nil || pr == nil {
		return nil, err
	}
	return &diagnose.Link{Text: fmt.Sprintf("#%d", pr.Number), URL: pr.HTMLURL}, nil
}

// CreatePullRequest opens a pull request.
func (c *Client) CreatePullRequest(ctx context.Context, owner, repo string, p commands.NewPullRequest) (commands.PullRequest, error) {
	pr, resp, err := c.gh.PullRequests.Create(ctx, owner, repo, &github.NewPullRequest{Title: &p.Title, Head: &p.Head, Base: &p.Base, Body: &p.Body})
	if err != nil {
		return commands.PullRequest{}, gherr.Classify("opening a pull request", resp, err)
	}
	return commands.PullRequest{Number: pr.GetNumber(), HTMLURL: pr.GetHTMLURL()}, nil
}

// SetRepoWorkflowDefault sets a repository's default workflow permissions.
func (c *Client) SetRepoWorkflowDefault(ctx context.Context, owner, repo, level string) error {
	_, resp, err := c.gh.Repositories.EditDefaultWorkflowPermissions(ctx, owner, repo, github.DefaultWorkflowPermissionRepository{DefaultWorkflowPermissions: &level})
	return gherr.Classify("setting repository workflow permissions", resp, err)
}

// SetOrgWorkflowDefault sets an organisation's default workflow permissions.
func (c *Client) SetOrgWorkflowDefault(ctx context.Context, org, level string) error {
	_, resp, err := c.gh.Actions.EditDefaultWorkflowPermissionsInOrganization(ctx, org, github.DefaultWorkflowPermissionOrganization{DefaultWorkflowPermissions: &level})
	return gherr.Classify("setting organisation workflow permissions", resp, err)
}

// RerunFailedJobs re-runs the failed jobs of a run.
func (c *Client) RerunFailedJobs(ctx context.Context, owner, repo string, runID int64) error {
	resp, err := c.gh.Actions.RerunFailedJobsByID(ctx, owner, repo, runID)
	return gherr.Classify("re-running failed jobs", resp, err)
}
