package audit

import "context"

// Repository is a repository as the listing endpoints describe it.
type Repository struct {
	Owner string `json:"owner"`
	Name  string `json:"name"`
	// OwnerIsOrg is true for organisation-owned repositories.
	OwnerIsOrg    bool   `json:"owner_is_org"`
	DefaultBranch string `json:"default_branch"`
	Archived      bool   `json:"archived"`
	Fork          bool   `json:"fork"`
}

// FullName is "owner/name".
func (r Repository) FullName() string { return r.Owner + "/" + r.Name }

// Entry is one entry of a directory listing.
type Entry struct {
	Name string
	Path string
	// Type is "file", "dir", "symlink" or "submodule".
	Type string
}

// Source is the GitHub access an audit needs. Missing resources are
// gherr.NotFoundError, missing permissions gherr.PermissionError.
type Source interface {
	// ListOrgRepos lists an organisation's repositories, every page.
	ListOrgRepos(ctx context.Context, org string) ([]Repository, error)
	// ListInstallationRepos lists the repositories the installation can reach, every page.
	ListInstallationRepos(ctx context.Context) ([]Repository, error)
	// GetRepo describes one repository.
	GetRepo(ctx context.Context, owner, name string) (Repository, error)
	// ListDirectory lists a directory at ref ("" for the default branch).
	ListDirectory(ctx context.Context, owner, repo, path, ref string) ([]Entry, error)
	// GetFile returns a file's content at ref.
	GetFile(ctx context.Context, owner, repo, path, ref string) ([]byte, error)
	// BranchHead is the commit a branch points at.
	BranchHead(ctx context.Context, owner, repo, branch string) (string, error)
	// RepoWorkflowDefault is the repository's default workflow permissions ("read" or "write").
	RepoWorkflowDefault(ctx context.Context, owner, repo string) (string, error)
	// OrgWorkflowDefault is the organisation's default workflow permissions.
	OrgWorkflowDefault(ctx context.Context, org string) (string, error)
}
