package ghapi

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/audit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

func TestContractListDir(t *testing.T) {
	c := replay(t, map[string]recorded{
		"/repos/o/r/contents/lib":      {body: "@get-content-directory.json"},
		"/repos/o/r/contents/lib/a.rb": {body: `{"type":"file","encoding":"base64","content":"","name":"a.rb","path":"lib/a.rb"}`},
		"/repos/o/r/contents/gone":     {status: 404, body: `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`},
	})
	entries, err := c.ListDirectory(context.Background(), "o", "r", "lib", "")
	require.NoError(t, err)
	assert.Equal(t, []audit.Entry{{Name: "octokit.rb", Path: "lib/octokit.rb", Type: "file"}, {Name: "octokit", Path: "lib/octokit", Type: "dir"}}, entries)

	_, err = c.ListDirectory(context.Background(), "o", "r", "lib/a.rb", "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "it is a file")

	_, err = c.ListDirectory(context.Background(), "o", "r", "gone", "")
	assert.True(t, gherr.IsNotFound(err))
}

func TestListOrgReposFollowsPages(t *testing.T) {
	page := func(names ...string) string {
		s := "["
		for i, n := range names {
			if i > 0 {
				s += ","
			}
			s += `{"name":"` + n + `","owner":{"login":"acme","type":"Organization"},"default_branch":"main","archived":` + map[bool]string{true: "true", false: "false"}[n == "old"] + `}`
		}
		return s + "]"
	}
	c := replay(t, map[string]recorded{
		"/orgs/acme/repos": {headers: map[string]string{"Link": `<{server}/orgs/acme/repos?page=2&per_page=100>; rel="next"`}, body: page("a", "old")},
	})
	// The replay answers by path, so the second page is the same answer
	// with the same Link: the adapter must stop at its bound, not loop forever.
	_, err := c.ListOrgRepos(context.Background(), "acme")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than 100 pages")

	c = replay(t, map[string]recorded{"/orgs/acme/repos": {body: page("a", "old")}})
	repos, err := c.ListOrgRepos(context.Background(), "acme")
	require.NoError(t, err)
	assert.Equal(t, []audit.Repository{
		{Owner: "acme", Name: "a", OwnerIsOrg: true, DefaultBranch: "main"},
		{Owner: "acme", Name: "old", OwnerIsOrg: true, DefaultBranch: "main", Archived: true},
	}, repos)
}
