package commands

import (
	"context"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// GitHub is what the commands need from GitHub's REST API beyond what the
// diagnosis and the report use. Missing resources are gherr.NotFoundError,
// missing app permissions gherr.PermissionError.
type GitHub interface {
	// RepoPermission is a user's permission and role in a repository
	// (GET /repos/{o}/{r}/collaborators/{user}/permission); a user who is
	// not a collaborator has permission "none".
	RepoPermission(ctx context.Context, owner, repo, user string) (RepoPermission, error)
	// OrgMembership is a user's membership of an organisation (GET
	// /orgs/{org}/memberships/{user}); the zero value for a non-member.
	OrgMembership(ctx context.Context, org, user string) (OrgMembership, error)
	// ReactToComment adds a reaction ("eyes") to an issue comment.
	ReactToComment(ctx context.Context, owner, repo string, commentID int64, content string) error

	// GetWorkflowRun returns a run's latest attempt, with its workflow path
	// and the numbers of its pull requests in this repository.
	GetWorkflowRun(ctx context.Context, owner, repo string, runID int64) (diagnose.Run, error)
	// ListRunsForCommit lists the runs (latest attempts) of a head commit.
	ListRunsForCommit(ctx context.Context, owner, repo, sha string) ([]diagnose.Run, error)
	// GetCheckRun returns a check run's output.
	GetCheckRun(ctx context.Context, owner, repo string, id int64) (CheckRun, error)

	// BranchHead is the commit a branch points at.
	BranchHead(ctx context.Context, owner, repo, branch string) (string, error)
	// GetFileAt returns a file's content and blob SHA at a ref.
	GetFileAt(ctx context.Context, owner, repo, path, ref string) (File, error)
	// CreateBranch creates refs/heads/branch at sha.
	CreateBranch(ctx context.Context, owner, repo, branch, sha string) error
	// ResetBranch force-moves refs/heads/branch to sha.
	ResetBranch(ctx context.Context, owner, repo, branch, sha string) error
	// DeleteBranch deletes refs/heads/branch.
	DeleteBranch(ctx context.Context, owner, repo, branch string) error
	// CommitFile writes a file on a branch with a new commit.
	CommitFile(ctx context.Context, owner, repo string, change FileChange) error
	// FindOpenPullRequest returns the open pull request from
	// headOwner:branch, or nil.
	FindOpenPullRequest(ctx context.Context, owner, repo, headOwner, branch string) (*PullRequest, error)
	// CreatePullRequest opens a pull request.
	CreatePullRequest(ctx context.Context, owner, repo string, pr NewPullRequest) (PullRequest, error)

	// SetRepoWorkflowDefault sets a repository's default workflow
	// permissions ("read" or "write"); a gherr.ConflictError when the
	// organisation or enterprise prevents it.
	SetRepoWorkflowDefault(ctx context.Context, owner, repo, level string) error
	// SetOrgWorkflowDefault sets an organisation's default workflow permissions.
	SetOrgWorkflowDefault(ctx context.Context, org, level string) error
	// RerunFailedJobs re-runs the failed jobs of a run as a new attempt.
	RerunFailedJobs(ctx context.Context, owner, repo string, runID int64) error
}

// CommandClient is an installation's client: what the diagnosis and the report
// need, and the commands' own calls.
type CommandClient interface {
	triage.InstallationClient
	GitHub
}

// ClientSource gives the client of an installation.
type ClientSource interface {
	Client(ctx context.Context, installationID int64) (CommandClient, error)
}

// RepoPermission is GitHub's answer about a collaborator.
type RepoPermission struct {
	// Permission is "admin", "write", "read" or "none".
	Permission string
	// RoleName is "admin", "maintain", "write", "triage", "read" or a custom role.
	RoleName string
}

// OrgMembership is GitHub's answer about an organisation member.
type OrgMembership struct {
	// Role is "admin" (owner) or "member".
	Role string
	// State is "active" or "pending".
	State string
}

// IsOwner reports whether the membership is an active owner's.
func (m OrgMembership) IsOwner() bool { return m.Role == "admin" && m.State == "active" }

// CheckRun is the part of a check run a command updates.
type CheckRun struct {
	ID      int64
	HTMLURL string
	Title   string
	Summary string
	Text    string
}

// File is a file's content at a ref.
type File struct {
	Content []byte
	// SHA is the blob SHA, needed to update the file.
	SHA string
}

// FileChange is a commit of one file to a branch.
type FileChange struct {
	Path    string
	Branch  string
	Message string
	Content []byte
	// SHA is the blob being replaced.
	SHA string
}

// PullRequest is an open pull request.
type PullRequest struct {
	Number  int
	HTMLURL string
}

// NewPullRequest is a pull request to open.
type NewPullRequest struct {
	Title string
	// Head is the branch of the base repository.
	Head string
	Base string
	Body string
}
