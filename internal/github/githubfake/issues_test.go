package githubfake

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCommentPagination(t *testing.T) {
	s := newFake(t, fullPerms)
	pr := s.AddPull(testOrg, testRepo, Pull{Title: "change", HeadSHA: testHeadSHA, HeadRef: "change"})
	for i := 0; i < 35; i++ {
		s.AddComment(testOrg, testRepo, pr, "octocat", fmt.Sprintf("comment %d", i))
	}
	client := installationClient(t, s, testInstID)

	var bodies []string
	pages := 0
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 10}}
	for {
		page, resp, err := client.Issues.ListComments(context.Background(), testOrg, testRepo, pr, opts)
		require.NoError(t, err)
		pages++
		for _, c := range page {
			bodies = append(bodies, c.GetBody())
		}
		if pages == 1 {
			assert.Equal(t, 4, resp.LastPage)
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	assert.Equal(t, 4, pages)
	require.Len(t, bodies, 35)
	assert.Equal(t, "comment 0", bodies[0])
	assert.Equal(t, "comment 34", bodies[34])
}

func TestCommentLifecycle(t *testing.T) {
	s := newFake(t, fullPerms)
	issue := s.AddIssue(testOrg, testRepo, Issue{Title: "tracking"})
	client := installationClient(t, s, testInstID)
	ctx := context.Background()

	created, resp, err := client.Issues.CreateComment(ctx, testOrg, testRepo, issue, &github.IssueComment{Body: github.String("<!-- marker -->\nfirst")})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "ghcr-doctor[bot]", created.GetUser().GetLogin())
	assert.Equal(t, "Bot", created.GetUser().GetType())

	edited, _, err := client.Issues.EditComment(ctx, testOrg, testRepo, created.GetID(), &github.IssueComment{Body: github.String("<!-- marker -->\nsecond")})
	require.NoError(t, err)
	assert.Equal(t, "<!-- marker -->\nsecond", edited.GetBody())

	got, _, err := client.Issues.GetComment(ctx, testOrg, testRepo, created.GetID())
	require.NoError(t, err)
	assert.Equal(t, edited.GetBody(), got.GetBody())
	assert.Empty(t, missingKeys("", readFixture(t, "issue-comment.json"), commentMap(t, s, created.GetID())))

	_, _, err = client.Issues.CreateComment(ctx, testOrg, testRepo, issue, &github.IssueComment{Body: github.String(strings.Repeat("x", 65537))})
	er := requireStatus(t, err, http.StatusUnprocessableEntity)
	require.Len(t, er.Errors, 1)
	assert.Equal(t, "Body is too long (maximum is 65536 characters)", er.Errors[0].Message)
	_, _, err = client.Issues.CreateComment(ctx, testOrg, testRepo, issue, &github.IssueComment{Body: github.String(strings.Repeat("é", 65536))})
	require.NoError(t, err, "the limit counts characters, not bytes")

	reaction, resp, err := client.Reactions.CreateIssueCommentReaction(ctx, testOrg, testRepo, created.GetID(), "eyes")
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	again, resp, err := client.Reactions.CreateIssueCommentReaction(ctx, testOrg, testRepo, created.GetID(), "eyes")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, reaction.GetID(), again.GetID())
	assert.Len(t, s.Reactions(created.GetID()), 1)

	comments := s.Comments(testOrg, testRepo, issue)
	require.Len(t, comments, 2)
	assert.Equal(t, "<!-- marker -->\nsecond", comments[0].Body)
}

func commentMap(t *testing.T, s *Server, id int64) map[string]any {
	t.Helper()
	m, _ := getJSON(t, s, installationClient(t, s, testInstID), fmt.Sprintf("repos/octo-org/octo-repo/issues/comments/%d", id))
	return m
}

func TestCommentPermissionDependsOnIssueKind(t *testing.T) {
	s := newFake(t, map[string]string{"pull_requests": "write"})
	issue := s.AddIssue(testOrg, testRepo, Issue{Title: "plain issue"})
	pr := s.AddPull(testOrg, testRepo, Pull{Title: "pr", HeadSHA: testHeadSHA, HeadRef: "x"})
	client := installationClient(t, s, testInstID)
	ctx := context.Background()

	_, _, err := client.Issues.CreateComment(ctx, testOrg, testRepo, pr, &github.IssueComment{Body: github.String("on a PR")})
	require.NoError(t, err)
	_, _, err = client.Issues.CreateComment(ctx, testOrg, testRepo, issue, &github.IssueComment{Body: github.String("on an issue")})
	er := requireStatus(t, err, http.StatusForbidden)
	assert.Equal(t, "issues=write", er.Response.Header.Get("X-Accepted-GitHub-Permissions"))
}

func TestIssuesListAndUpdate(t *testing.T) {
	s := newFake(t, fullPerms)
	s.AddPull(testOrg, testRepo, Pull{Title: "a pull request", HeadSHA: testHeadSHA, HeadRef: "x"})
	client := installationClient(t, s, testInstID)
	ctx := context.Background()

	created, _, err := client.Issues.Create(ctx, testOrg, testRepo, &github.IssueRequest{
		Title: github.String("GHCR push failing"), Body: github.String("details"), Labels: &[]string{"ghcr-doctor", "ci"}})
	require.NoError(t, err)
	assert.Equal(t, 2, created.GetNumber())
	require.Len(t, created.Labels, 2)

	all, _, err := client.Issues.ListByRepo(ctx, testOrg, testRepo, nil)
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.True(t, all[1].IsPullRequest(), "pull requests are listed as issues with a pull_request key")

	labelled, _, err := client.Issues.ListByRepo(ctx, testOrg, testRepo, &github.IssueListByRepoOptions{Labels: []string{"ghcr-doctor"}, Creator: "ghcr-doctor[bot]"})
	require.NoError(t, err)
	require.Len(t, labelled, 1)
	assert.Equal(t, "GHCR push failing", labelled[0].GetTitle())

	_, _, err = client.Issues.Edit(ctx, testOrg, testRepo, 2, &github.IssueRequest{State: github.String("closed"), StateReason: github.String("completed")})
	require.NoError(t, err)
	open, _, err := client.Issues.ListByRepo(ctx, testOrg, testRepo, &github.IssueListByRepoOptions{State: "open"})
	require.NoError(t, err)
	assert.Len(t, open, 1)
	closed, _, err := client.Issues.ListByRepo(ctx, testOrg, testRepo, &github.IssueListByRepoOptions{State: "closed"})
	require.NoError(t, err)
	require.Len(t, closed, 1)
	assert.Equal(t, "completed", closed[0].GetStateReason())
	assert.NotNil(t, closed[0].ClosedAt)

	issues := s.Issues(testOrg, testRepo)
	require.Len(t, issues, 2)
	assert.Equal(t, "closed", issues[1].State)
	assert.Equal(t, []string{"ghcr-doctor", "ci"}, issues[1].Labels)
}

func TestConcurrentCommentsGetDistinctIDs(t *testing.T) {
	s := newFake(t, fullPerms)
	issue := s.AddIssue(testOrg, testRepo, Issue{Title: "busy"})
	client := installationClient(t, s, testInstID)
	const writers = 20
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, _, err := client.Issues.CreateComment(context.Background(), testOrg, testRepo, issue, &github.IssueComment{Body: github.String(fmt.Sprint(i))})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	seen := map[int64]bool{}
	for _, c := range s.Comments(testOrg, testRepo, issue) {
		seen[c.ID] = true
	}
	assert.Len(t, seen, writers)
}
