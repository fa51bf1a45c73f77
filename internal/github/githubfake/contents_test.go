package githubfake

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const workflowPath = ".github/workflows/release.yml"

func TestGetContentAtRefs(t *testing.T) {
	s := newFake(t, fullPerms)
	s.SetFile(testOrg, testRepo, testHeadSHA, workflowPath, []byte("on: push\n"))
	long := strings.Repeat("jobs:\n  build: {}\n", 20)
	s.SetFile(testOrg, testRepo, "main", workflowPath, []byte(long))
	client := installationClient(t, s, testInstID)
	ctx := context.Background()

	cases := []struct {
		name string
		ref  string
		want string
	}{
		{"by sha", testHeadSHA, "on: push\n"},
		{"by branch", "main", long},
		{"default branch", "", long},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file, dir, _, err := client.Repositories.GetContents(ctx, testOrg, testRepo, workflowPath, &github.RepositoryContentGetOptions{Ref: tc.ref})
			require.NoError(t, err)
			require.Nil(t, dir)
			content, err := file.GetContent()
			require.NoError(t, err)
			assert.Equal(t, tc.want, content)
			assert.Equal(t, blobSHA([]byte(tc.want)), file.GetSHA())
			assert.Equal(t, "base64", file.GetEncoding())
		})
	}

	_, dir, _, err := client.Repositories.GetContents(ctx, testOrg, testRepo, ".github/workflows", &github.RepositoryContentGetOptions{Ref: testHeadSHA})
	require.NoError(t, err)
	require.Len(t, dir, 1)
	assert.Equal(t, "release.yml", dir[0].GetName())

	rc, _, err := client.Repositories.DownloadContents(ctx, testOrg, testRepo, workflowPath, &github.RepositoryContentGetOptions{Ref: testHeadSHA})
	require.NoError(t, err)
	defer rc.Close()

	_, _, _, err = client.Repositories.GetContents(ctx, testOrg, testRepo, "missing.yml", nil)
	requireStatus(t, err, http.StatusNotFound)
	_, _, _, err = client.Repositories.GetContents(ctx, testOrg, testRepo, workflowPath, &github.RepositoryContentGetOptions{Ref: "no-such-branch"})
	er := requireStatus(t, err, http.StatusNotFound)
	assert.Equal(t, "No commit found for the ref no-such-branch", er.Message)
}

func TestWorkflowFileUpdateNeedsWorkflowsPermission(t *testing.T) {
	perms := map[string]string{"contents": "write", "pull_requests": "write"}
	s := newFake(t, perms)
	s.SetFile(testOrg, testRepo, "main", workflowPath, []byte("on: push\n"))
	client := installationClient(t, s, testInstID)
	ctx := context.Background()
	opts := &github.RepositoryContentFileOptions{Message: github.String("fix permissions"), Content: []byte("on: push\npermissions:\n  packages: write\n"),
		SHA: github.String(blobSHA([]byte("on: push\n"))), Branch: github.String("main")}

	_, _, err := client.Repositories.UpdateFile(ctx, testOrg, testRepo, workflowPath, opts)
	er := requireStatus(t, err, http.StatusForbidden)
	assert.Equal(t, "refusing to allow a GitHub App to create or update workflow `.github/workflows/release.yml` without `workflows` permission", er.Message)
	assert.Equal(t, "contents=write,workflows=write", er.Response.Header.Get("X-Accepted-GitHub-Permissions"))

	_, _, err = client.Repositories.UpdateFile(ctx, testOrg, testRepo, "README.md", &github.RepositoryContentFileOptions{Message: github.String("docs"), Content: []byte("hi")})
	require.NoError(t, err, "other files need contents write only")
}

func TestPutContentCommitsOnBranch(t *testing.T) {
	s := newFake(t, fullPerms)
	s.SetFile(testOrg, testRepo, "main", workflowPath, []byte("on: push\n"))
	client := installationClient(t, s, testInstID)
	ctx := context.Background()
	base := s.BranchSHA(testOrg, testRepo, "main")

	ref, _, err := client.Git.GetRef(ctx, testOrg, testRepo, "heads/main")
	require.NoError(t, err)
	assert.Equal(t, base, ref.GetObject().GetSHA())

	_, resp, err := client.Git.CreateRef(ctx, testOrg, testRepo, &github.Reference{Ref: github.String("refs/heads/ghcr-doctor/fix"), Object: &github.GitObject{SHA: github.String(base)}})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	_, _, err = client.Git.CreateRef(ctx, testOrg, testRepo, &github.Reference{Ref: github.String("refs/heads/ghcr-doctor/fix"), Object: &github.GitObject{SHA: github.String(base)}})
	er := requireStatus(t, err, http.StatusUnprocessableEntity)
	assert.Equal(t, "Reference already exists", er.Message)

	update := func(sha string) (*github.RepositoryContentResponse, error) {
		res, _, err := client.Repositories.UpdateFile(ctx, testOrg, testRepo, workflowPath, &github.RepositoryContentFileOptions{
			Message: github.String("ci: grant packages: write"), Content: []byte("on: push\npermissions:\n  packages: write\n"),
			SHA: github.String(sha), Branch: github.String("ghcr-doctor/fix")})
		return res, err
	}
	_, err = update(strings.Repeat("0", 40))
	er = requireStatus(t, err, http.StatusConflict)
	assert.Contains(t, er.Message, "does not match")

	res, err := update(blobSHA([]byte("on: push\n")))
	require.NoError(t, err)
	assert.Equal(t, "ci: grant packages: write", res.Commit.GetMessage())
	require.Len(t, res.Commit.Parents, 1)
	assert.Equal(t, base, res.Commit.Parents[0].GetSHA())

	branch, _, err := client.Repositories.GetBranch(ctx, testOrg, testRepo, "ghcr-doctor/fix", 0)
	require.NoError(t, err)
	assert.Equal(t, res.Commit.GetSHA(), branch.GetCommit().GetSHA())
	got, ok := s.FileAt(testOrg, testRepo, "ghcr-doctor/fix", workflowPath)
	require.True(t, ok)
	assert.Contains(t, string(got), "packages: write")
	unchanged, _ := s.FileAt(testOrg, testRepo, "main", workflowPath)
	assert.Equal(t, "on: push\n", string(unchanged))
	assert.Equal(t, []string{"refs/heads/ghcr-doctor/fix", "refs/heads/main"}, s.Refs(testOrg, testRepo))
}

func TestPullRequests(t *testing.T) {
	s := newFake(t, fullPerms)
	s.SetFile(testOrg, testRepo, "main", workflowPath, []byte("on: push\n"))
	s.SetFile(testOrg, testRepo, "fix", workflowPath, []byte("on: push\npermissions: {}\n"))
	s.AddPull(testOrg, testRepo, Pull{Number: 7, Title: "fork change", HeadSHA: testHeadSHA, HeadRef: "feature", HeadRepoFullName: "contributor/octo-repo", User: "contributor"})
	client := installationClient(t, s, testInstID)
	ctx := context.Background()

	prs, _, err := client.PullRequests.ListPullRequestsWithCommit(ctx, testOrg, testRepo, testHeadSHA, nil)
	require.NoError(t, err)
	require.Len(t, prs, 1)
	assert.Equal(t, 7, prs[0].GetNumber())
	assert.Equal(t, "contributor/octo-repo", prs[0].GetHead().GetRepo().GetFullName())
	assert.True(t, prs[0].GetHead().GetRepo().GetFork())

	pr, resp, err := client.PullRequests.Create(ctx, testOrg, testRepo, &github.NewPullRequest{Title: github.String("Grant packages: write"), Head: github.String("fix"), Base: github.String("main")})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, 8, pr.GetNumber())
	assert.Equal(t, "ghcr-doctor[bot]", pr.GetUser().GetLogin())

	_, _, err = client.PullRequests.Create(ctx, testOrg, testRepo, &github.NewPullRequest{Title: github.String("again"), Head: github.String("octo-org:fix"), Base: github.String("main")})
	er := requireStatus(t, err, http.StatusUnprocessableEntity)
	require.Len(t, er.Errors, 1)
	assert.Equal(t, "A pull request already exists for octo-org:fix.", er.Errors[0].Message)

	open, _, err := client.PullRequests.List(ctx, testOrg, testRepo, &github.PullRequestListOptions{Head: "octo-org:fix"})
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, 8, open[0].GetNumber())

	got, _, err := client.PullRequests.Get(ctx, testOrg, testRepo, 8)
	require.NoError(t, err)
	assert.Equal(t, s.BranchSHA(testOrg, testRepo, "fix"), got.GetHead().GetSHA())
	assert.Len(t, s.Pulls(testOrg, testRepo), 2)
}

func TestContentsOverOneMegabyteComeWithoutContent(t *testing.T) {
	cases := []struct {
		name     string
		size     int
		encoding string
	}{
		{"1 MB is inline", 1 << 20, "base64"},
		{"over 1 MB is not", 1<<20 + 1, "none"},
	}
	s := newFake(t, fullPerms)
	client := installationClient(t, s, testInstID)
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			content := bytes.Repeat([]byte("#"), tc.size)
			s.SetFile(testOrg, testRepo, "main", "big.yml", content)
			file, _, _, err := client.Repositories.GetContents(ctx, testOrg, testRepo, "big.yml", nil)
			require.NoError(t, err)
			assert.Equal(t, tc.encoding, file.GetEncoding())
			assert.Equal(t, tc.size, file.GetSize())
			rc, _, err := client.Repositories.DownloadContents(ctx, testOrg, testRepo, "big.yml", nil)
			require.NoError(t, err)
			defer rc.Close()
			raw, err := io.ReadAll(rc)
			require.NoError(t, err)
			assert.Equal(t, content, raw, "download_url serves the bytes")
		})
	}
}
