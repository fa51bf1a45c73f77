package ghapi

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/audit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// maxListPages bounds a paginated listing: 100 pages of 100 repositories.
const maxListPages = 100

// ListOrgRepos lists every repository of an organisation the client can see.
func (c *Client) ListOrgRepos(ctx context.Context, org string) ([]audit.Repository, error) {
	opts := &github.RepositoryListByOrgOptions{Type: "all", ListOptions: github.ListOptions{PerPage: 100}}
	var out []audit.Repository
	for page := 0; page < maxListPages; page++ {
		repos, resp, err := c.gh.Repositories.ListByOrg(ctx, org, opts)
		if err != nil {
			return nil, gherr.Classify("listing the repositories of "+org, resp, err)
		}
		for _, r := range repos {
			out = append(out, toAuditRepo(r))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
	return nil, fmt.Errorf("listing the repositories of %s: more than %d pages", org, maxListPages)
}

// ListInstallationRepos lists every repository the installation can reach.
func (c *Client) ListInstallationRepos(ctx context.Context) ([]audit.Repository, error) {
	opts := &github.ListOptions{PerPage: 100}
	var out []audit.Repository
	for page := 0; page < maxListPages; page++ {
		list, resp, err := c.gh.Apps.ListRepos(ctx, opts)
		if err != nil {
			return nil, gherr.Classify("listing the installation's repositories", resp, err)
		}
		for _, r := range list.Repositories {
			out = append(out, toAuditRepo(r))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
	return nil, fmt.Errorf("listing the installation's repositories: more than %d pages", maxListPages)
}

// GetRepo describes one repository.
func (c *Client) GetRepo(ctx context.Context, owner, name string) (audit.Repository, error) {
	r, resp, err := c.gh.Repositories.Get(ctx, owner, name)
	if err != nil {
		return audit.Repository{}, gherr.Classify("reading "+owner+"/"+name, resp, err)
	}
	return toAuditRepo(r), nil
}

// ListDirectory lists a directory at ref ("" for the default branch); a file
// at the path is an error.
func (c *Client) ListDirectory(ctx context.Context, owner, repo, path, ref string) ([]audit.Entry, error) {
	var opts *github.RepositoryContentGetOptions
	if ref != "" {
		opts = &github.RepositoryContentGetOptions{Ref: ref}
	}
	_, dir, resp, err := c.gh.Repositories.GetContents(ctx, owner, repo, path, opts)
	if err != nil {
		return nil, gherr.Classify("listing "+orRoot(path), resp, err)
	}
	if dir == nil {
		return nil, fmt.Errorf("listing %s: it is a file", orRoot(path))
	}
	out := make([]audit.Entry, 0, len(dir))
	for _, e := range dir {
		out = append(out, audit.Entry{Name: e.GetName(), Path: e.GetPath(), Type: e.GetType()})
	}
	return out, nil
}

func orRoot(path string) string {
	if path == "" {
		return "the repository's root"
	}
	return path
}

func toAuditRepo(r *github.Repository) audit.Repository {
	return audit.Repository{
		Owner:         r.GetOwner().GetLogin(),
		Name:          r.GetName(),
		OwnerIsOrg:    r.GetOwner().GetType() == "Organization",
		DefaultBranch: r.GetDefaultBranch(),
		Archived:      r.GetArchived(),
		Fork:          r.GetFork(),
	}
}

var _ audit.Source = (*Client)(nil)
