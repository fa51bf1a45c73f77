package githubfake

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const reviewWorkflow = ".github/workflows/release.yml"

// numbered is a file of n lines "line 1" … "line n".
func numbered(n int, replace map[int]string) []byte {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		l := "line " + itoa(int64(i))
		if r, ok := replace[i]; ok {
			l = r
		}
		b.WriteString(l + "\n")
	}
	return []byte(b.String())
}

// openTestPull pushes a base file to main, changes line 10 of 30 on a
// branch and opens a pull request for it.
func openTestPull(t *testing.T, s *Server) (int, string) {
	t.Helper()
	s.Push(testOrg, testRepo, "main", "base", map[string][]byte{reviewWorkflow: numbered(30, nil), "README.md": []byte("hi\n")})
	head := s.Push(testOrg, testRepo, "feature", "change line 10", map[string][]byte{reviewWorkflow: numbered(30, map[int]string{10: "changed"})})
	n := s.AddPull(testOrg, testRepo, Pull{Title: "change", HeadRef: "feature", HeadSHA: head})
	return n, head
}

func TestPullFilesListThePatchOfTheChange(t *testing.T) {
	s := newFake(t, fullPerms)
	n, head := openTestPull(t, s)
	gh := installationClient(t, s, testInstID)
	files, _, err := gh.PullRequests.ListFiles(context.Background(), testOrg, testRepo, n, nil)
	require.NoError(t, err)
	require.Len(t, files, 1, "README.md is unchanged on the branch")
	f := files[0]
	assert.Equal(t, reviewWorkflow, f.GetFilename())
	assert.Equal(t, "modified", f.GetStatus())
	assert.Equal(t, 1, f.GetAdditions())
	assert.Equal(t, 1, f.GetDeletions())
	assert.Equal(t, "@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+changed\n line 11\n line 12\n line 13", f.GetPatch())
	assert.Contains(t, f.GetContentsURL(), "ref="+head)
}

func TestReviewCommentsMustBeInsideTheDiff(t *testing.T) {
	s := newFake(t, fullPerms)
	n, head := openTestPull(t, s)
	gh := installationClient(t, s, testInstID)
	cases := []struct {
		name       string
		path       string
		start      int
		line       int
		wantStatus int
	}{
		{"one line in the hunk", reviewWorkflow, 0, 10, http.StatusOK},
		{"a range inside the hunk", reviewWorkflow, 8, 11, http.StatusOK},
		{"a line outside every hunk", reviewWorkflow, 0, 20, http.StatusUnprocessableEntity},
		{"a range starting before the hunk", reviewWorkflow, 3, 10, http.StatusUnprocessableEntity},
		{"a range ending before it starts", reviewWorkflow, 11, 10, http.StatusUnprocessableEntity},
		{"a file the pull request does not change", "README.md", 0, 1, http.StatusUnprocessableEntity},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cm := &github.DraftReviewComment{Path: github.String(tc.path), Line: github.Int(tc.line), Side: github.String("RIGHT"), Body: github.String("look")}
			if tc.start > 0 {
				cm.StartLine, cm.StartSide = github.Int(tc.start), github.String("RIGHT")
			}
			_, resp, err := gh.PullRequests.CreateReview(context.Background(), testOrg, testRepo, n, &github.PullRequestReviewRequest{
				CommitID: github.String(head), Event: github.String("COMMENT"), Body: github.String("review"), Comments: []*github.DraftReviewComment{cm}})
			require.NotNil(t, resp)
			assert.Equal(t, tc.wantStatus, resp.StatusCode, "%v", err)
		})
	}
	assert.Len(t, s.Reviews(testOrg, testRepo, n), 2, "only the accepted reviews are stored")
}

func TestReviewNeedsABodyAndPullRequestsWrite(t *testing.T) {
	s := newFake(t, fullPerms)
	n, _ := openTestPull(t, s)
	gh := installationClient(t, s, testInstID)
	_, _, err := gh.PullRequests.CreateReview(context.Background(), testOrg, testRepo, n, &github.PullRequestReviewRequest{Event: github.String("COMMENT")})
	requireStatus(t, err, http.StatusUnprocessableEntity)

	readOnly := map[string]string{"pull_requests": "read", "contents": "read", "metadata": "read"}
	s.SetInstallationPermissions(testInstID, readOnly)
	s.ExpireTokens()
	gh = installationClient(t, s, testInstID)
	_, _, err = gh.PullRequests.CreateReview(context.Background(), testOrg, testRepo, n, &github.PullRequestReviewRequest{Event: github.String("COMMENT"), Body: github.String("b")})
	er := requireStatus(t, err, http.StatusForbidden)
	assert.Equal(t, "pull_requests=write", er.Response.Header.Get("X-Accepted-GitHub-Permissions"))
}

func TestReviewCommentsAreEditedDeletedAndOutdatedByAPush(t *testing.T) {
	s := newFake(t, fullPerms)
	n, head := openTestPull(t, s)
	gh := installationClient(t, s, testInstID)
	ctx := context.Background()
	_, _, err := gh.PullRequests.CreateReview(ctx, testOrg, testRepo, n, &github.PullRequestReviewRequest{CommitID: github.String(head), Event: github.String("COMMENT"), Body: github.String("r"),
		Comments: []*github.DraftReviewComment{
			{Path: github.String(reviewWorkflow), Line: github.Int(10), Side: github.String("RIGHT"), Body: github.String("a")},
			{Path: github.String(reviewWorkflow), StartLine: github.Int(11), Line: github.Int(12), Side: github.String("RIGHT"), Body: github.String("b")},
		}})
	require.NoError(t, err)
	comments, _, err := gh.PullRequests.ListComments(ctx, testOrg, testRepo, n, nil)
	require.NoError(t, err)
	require.Len(t, comments, 2)
	assert.Equal(t, 11, comments[1].GetStartLine())
	assert.Equal(t, 12, comments[1].GetLine())

	_, _, err = gh.PullRequests.EditComment(ctx, testOrg, testRepo, comments[0].GetID(), &github.PullRequestComment{Body: github.String(strings.Repeat("x", 65537))})
	requireStatus(t, err, http.StatusUnprocessableEntity)
	_, _, err = gh.PullRequests.EditComment(ctx, testOrg, testRepo, comments[0].GetID(), &github.PullRequestComment{Body: github.String("  ")})
	requireStatus(t, err, http.StatusUnprocessableEntity)
	_, _, err = gh.PullRequests.EditComment(ctx, testOrg, testRepo, comments[0].GetID(), &github.PullRequestComment{Body: github.String("a, edited")})
	require.NoError(t, err)
	s.Push(testOrg, testRepo, "feature", "change line 12", map[string][]byte{reviewWorkflow: numbered(30, map[int]string{10: "changed", 12: "again"})})
	got := s.ReviewComments(testOrg, testRepo, n)
	require.Len(t, got, 2)
	assert.Equal(t, "a, edited", got[0].Body)
	assert.Equal(t, 10, got[0].Line, "its line did not change")
	assert.Zero(t, got[1].Line, "its lines changed: outdated")

	_, err = gh.PullRequests.DeleteComment(ctx, testOrg, testRepo, comments[0].GetID())
	require.NoError(t, err)
	_, err = gh.PullRequests.DeleteComment(ctx, testOrg, testRepo, comments[0].GetID())
	requireStatus(t, err, http.StatusNotFound)
	assert.Len(t, s.ReviewComments(testOrg, testRepo, n), 1)
}

func TestCompareListsTheCommitsAndFilesOfAPush(t *testing.T) {
	s := newFake(t, fullPerms)
	before := s.Push(testOrg, testRepo, "main", "base", map[string][]byte{"a.txt": []byte("a\n")})
	s.Push(testOrg, testRepo, "main", "two", map[string][]byte{"b.txt": []byte("b\n")})
	after := s.Push(testOrg, testRepo, "main", "three", map[string][]byte{"a.txt": nil})
	gh := installationClient(t, s, testInstID)
	cmp, _, err := gh.Repositories.CompareCommits(context.Background(), testOrg, testRepo, before, after, nil)
	require.NoError(t, err)
	assert.Equal(t, "ahead", cmp.GetStatus())
	assert.Equal(t, 2, cmp.GetAheadBy())
	require.Len(t, cmp.Files, 2)
	assert.Equal(t, "a.txt", cmp.Files[0].GetFilename())
	assert.Equal(t, "removed", cmp.Files[0].GetStatus())
	assert.Equal(t, "added", cmp.Files[1].GetStatus())
}

func TestPushEventListsEachCommitsFiles(t *testing.T) {
	s := newFake(t, fullPerms)
	before := s.Push(testOrg, testRepo, "main", "base", map[string][]byte{"a.txt": []byte("a\n")})
	after := s.Push(testOrg, testRepo, "main", "edit", map[string][]byte{"a.txt": []byte("b\n"), ".github/workflows/x.yml": []byte("on: push\n")})
	var ev github.PushEvent
	require.NoError(t, json.Unmarshal(s.PushEvent(testOrg, testRepo, "main", before, after), &ev))
	assert.Equal(t, "refs/heads/main", ev.GetRef())
	require.Len(t, ev.Commits, 1)
	assert.Equal(t, []string{".github/workflows/x.yml"}, ev.Commits[0].Added)
	assert.Equal(t, []string{"a.txt"}, ev.Commits[0].Modified)
	assert.Equal(t, "main", ev.GetRepo().GetDefaultBranch())
	assert.Equal(t, testInstID, ev.GetInstallation().GetID())
}
