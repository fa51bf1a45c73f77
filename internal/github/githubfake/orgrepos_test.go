package githubfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// orgWithRepos is a fake whose organisation has n repositories besides
// testRepo, and one repository of another installation.
func orgWithRepos(t *testing.T, n int) *Server {
	t.Helper()
	s := newFake(t, fullPerms)
	for i := range n {
		s.AddRepo(Repo{Owner: testOrg, Name: fmt.Sprintf("repo-%02d", i), InstallationID: testInstID, Fork: i%5 == 0, Archived: i == 3, Private: i%2 == 1})
	}
	s.AddInstallation(testInstID+1, "other-org", "Organization", fullPerms)
	s.AddRepo(Repo{Owner: testOrg, Name: "not-installed", InstallationID: testInstID + 1})
	return s
}

func TestListOrgReposPaginatesAndFilters(t *testing.T) {
	s := orgWithRepos(t, 12)
	gh := installationClient(t, s, testInstID)
	ctx := context.Background()

	var names []string
	opts := &github.RepositoryListByOrgOptions{Sort: "full_name", ListOptions: github.ListOptions{PerPage: 5}}
	pages := 0
	for {
		repos, resp, err := gh.Repositories.ListByOrg(ctx, testOrg, opts)
		require.NoError(t, err)
		pages++
		for _, r := range repos {
			names = append(names, r.GetName())
			assert.Equal(t, "main", r.GetDefaultBranch(), "full repository objects")
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	assert.Equal(t, 3, pages, "13 repositories, 5 a page")
	require.Len(t, names, 13, "only the installation's repositories")
	assert.Equal(t, testRepo, names[0])
	assert.NotContains(t, names, "not-installed")

	forks, _, err := gh.Repositories.ListByOrg(ctx, testOrg, &github.RepositoryListByOrgOptions{Type: "forks"})
	require.NoError(t, err)
	assert.Len(t, forks, 3, "repo-00, repo-05, repo-10")
	private, _, err := gh.Repositories.ListByOrg(ctx, testOrg, &github.RepositoryListByOrgOptions{Type: "private"})
	require.NoError(t, err)
	assert.Len(t, private, 6)

	all, _, err := gh.Repositories.ListByOrg(ctx, testOrg, &github.RepositoryListByOrgOptions{ListOptions: github.ListOptions{PerPage: 500}})
	require.NoError(t, err)
	assert.Len(t, all, 13, "per_page over 100 is 100")
	archived := 0
	for _, r := range all {
		if r.GetArchived() {
			archived++
			assert.Equal(t, "repo-03", r.GetName())
		}
	}
	assert.Equal(t, 1, archived)
}

func TestListOrgReposRejectsWhatGitHubRejects(t *testing.T) {
	s := orgWithRepos(t, 2)
	gh := installationClient(t, s, testInstID)
	ctx := context.Background()
	_, _, err := gh.Repositories.ListByOrg(ctx, testOrg, &github.RepositoryListByOrgOptions{Type: "everything"})
	requireStatus(t, err, http.StatusUnprocessableEntity)
	_, _, err = gh.Repositories.ListByOrg(ctx, testOrg, &github.RepositoryListByOrgOptions{Sort: "stars"})
	requireStatus(t, err, http.StatusUnprocessableEntity)
	_, _, err = gh.Repositories.ListByOrg(ctx, "no-such-org", nil)
	requireStatus(t, err, http.StatusNotFound)
	_, _, err = gh.Repositories.ListByOrg(ctx, testOrg, &github.RepositoryListByOrgOptions{ListOptions: github.ListOptions{PerPage: -1}})
	requireStatus(t, err, http.StatusUnprocessableEntity)

	anon := github.NewClient(nil)
	anon.BaseURL = baseURL(t, s)
	_, _, err = anon.Repositories.ListByOrg(ctx, testOrg, nil)
	requireStatus(t, err, http.StatusUnauthorized)
}

// TestConditionalReadsOfListingsAndContents: the answers an audit reads
// carry an ETag, and the same request with If-None-Match gets 304.
func TestConditionalReadsOfListingsAndContents(t *testing.T) {
	s := orgWithRepos(t, 1)
	s.SetFile(testOrg, testRepo, "main", ".github/workflows/release.yml", []byte("on: push\n"))
	gh := installationClient(t, s, testInstID)
	for _, path := range []string{
		"orgs/" + testOrg + "/repos",
		"installation/repositories",
		"repos/" + testOrg + "/" + testRepo,
		"repos/" + testOrg + "/" + testRepo + "/contents/.github/workflows",
		"repos/" + testOrg + "/" + testRepo + "/contents/.github/workflows/release.yml",
	} {
		t.Run(path, func(t *testing.T) {
			req, err := gh.NewRequest("GET", path, nil)
			require.NoError(t, err)
			resp, err := gh.Do(context.Background(), req, nil)
			require.NoError(t, err)
			etag := resp.Header.Get("ETag")
			require.NotEmpty(t, etag)
			req.Header.Set("If-None-Match", etag)
			resp, err = gh.Do(context.Background(), req, nil)
			require.Error(t, err, "go-github reports 304 as an error")
			assert.Equal(t, http.StatusNotModified, resp.StatusCode)
		})
	}
}

func TestDirectoryListingShape(t *testing.T) {
	s := newFake(t, fullPerms)
	s.SetFile(testOrg, testRepo, "main", "lib/octokit.rb", []byte("x"))
	s.SetFile(testOrg, testRepo, "main", "lib/octokit/client.rb", []byte("y"))
	gh := installationClient(t, s, testInstID)
	req, err := gh.NewRequest("GET", "repos/"+testOrg+"/"+testRepo+"/contents/lib", nil)
	require.NoError(t, err)
	var got []map[string]any
	_, err = gh.Do(context.Background(), req, &got)
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join("testdata", "get-content-directory.json"))
	require.NoError(t, err)
	var want []map[string]any
	require.NoError(t, json.Unmarshal(b, &want))
	require.Len(t, got, 2)
	byType := map[string]map[string]any{}
	for _, e := range got {
		byType[e["type"].(string)] = e
	}
	for _, w := range want {
		g, ok := byType[w["type"].(string)]
		require.True(t, ok, "a %s entry", w["type"])
		assert.Empty(t, missingKeys("", w, g))
	}
}

func TestInstallationEventShapes(t *testing.T) {
	s := orgWithRepos(t, 2)
	// The examples' permissions are their installation's own choice.
	fixture := func(name string) map[string]any {
		m := readFixture(t, name)
		delete(m["installation"].(map[string]any), "permissions")
		return m
	}
	var created map[string]any
	require.NoError(t, json.Unmarshal(s.InstallationEvent("created", testInstID, "octocat"), &created))
	assert.Empty(t, missingKeys("", fixture("installation.created.json"), created))
	parsed, err := github.ParseWebHook("installation", s.InstallationEvent("created", testInstID, "octocat"))
	require.NoError(t, err)
	ev := parsed.(*github.InstallationEvent)
	assert.Equal(t, testInstID, ev.GetInstallation().GetID())
	assert.Equal(t, testOrg, ev.GetInstallation().GetAccount().GetLogin())
	assert.Equal(t, "Organization", ev.GetInstallation().GetAccount().GetType())
	assert.Len(t, ev.Repositories, 3)

	var added map[string]any
	payload := s.InstallationRepositoriesEvent(testInstID, "octocat", "repo-01")
	require.NoError(t, json.Unmarshal(payload, &added))
	assert.Empty(t, missingKeys("", fixture("installation_repositories.added.json"), added))
	parsed, err = github.ParseWebHook("installation_repositories", payload)
	require.NoError(t, err)
	rev := parsed.(*github.InstallationRepositoriesEvent)
	require.Len(t, rev.RepositoriesAdded, 1)
	assert.Equal(t, testOrg+"/repo-01", rev.RepositoriesAdded[0].GetFullName())
}
