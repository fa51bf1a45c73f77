package githubfake

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServerErrorThenSuccess(t *testing.T) {
	s := newFake(t, fullPerms)
	addFailedRun(s, "log")
	client := installationClient(t, s, testInstID)
	s.InjectFault(Fault{Method: "GET", PathPattern: "/repos/octo-org/octo-repo/actions/runs/", Times: 2, Status: http.StatusBadGateway})
	ctx := context.Background()

	for i := 0; i < 2; i++ {
		_, _, err := client.Actions.GetWorkflowRunByID(ctx, testOrg, testRepo, testRunID)
		requireStatus(t, err, http.StatusBadGateway)
	}
	_, _, err := client.Actions.GetWorkflowRunByID(ctx, testOrg, testRepo, testRunID)
	require.NoError(t, err)
	assert.Equal(t, 0, s.PendingFaults())
	assert.Equal(t, 3, s.CountRequests("GET", "/repos/octo-org/octo-repo/actions/runs/9001"))
}

func TestFaultsMatchInOrderAndByRegexp(t *testing.T) {
	s := newFake(t, fullPerms)
	client := installationClient(t, s, testInstID)
	ctx := context.Background()
	s.InjectFault(Fault{PathPattern: `^/repos/[^/]+/[^/]+/issues/\d+/comments$`, Status: http.StatusServiceUnavailable, Body: `{"message":"busy"}`})
	s.InjectFault(Fault{PathPattern: "/repos/", Status: http.StatusInternalServerError})
	issue := s.AddIssue(testOrg, testRepo, Issue{Title: "t"})

	_, _, err := client.Repositories.Get(ctx, testOrg, testRepo)
	requireStatus(t, err, http.StatusInternalServerError)
	_, _, err = client.Issues.ListComments(ctx, testOrg, testRepo, issue, nil)
	er := requireStatus(t, err, http.StatusServiceUnavailable)
	assert.Equal(t, "busy", er.Message)
	_, _, err = client.Issues.ListComments(ctx, testOrg, testRepo, issue, nil)
	require.NoError(t, err)
}

func TestDelayOnlyFaultSlowsDown(t *testing.T) {
	s := newFake(t, fullPerms)
	client := installationClient(t, s, testInstID)
	_, _, err := client.Repositories.Get(context.Background(), testOrg, testRepo)
	require.NoError(t, err)
	s.InjectFault(Fault{PathPattern: "/repos/", Delay: 150 * time.Millisecond})

	start := time.Now()
	_, _, err = client.Repositories.Get(context.Background(), testOrg, testRepo)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)

	s.InjectFault(Fault{PathPattern: "/repos/", Delay: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _, err = client.Repositories.Get(ctx, testOrg, testRepo)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestSecondaryRateLimit(t *testing.T) {
	s := newFake(t, fullPerms)
	issue := s.AddIssue(testOrg, testRepo, Issue{Title: "t"})
	client := installationClient(t, s, testInstID)
	s.InjectFault(Fault{Method: "POST", PathPattern: "/repos/octo-org/octo-repo/issues/", RetryAfter: 1})

	_, _, err := client.Issues.CreateComment(context.Background(), testOrg, testRepo, issue, &github.IssueComment{Body: github.String("x")})
	var abuse *github.AbuseRateLimitError
	require.True(t, errors.As(err, &abuse), "got %T: %v", err, err)
	require.NotNil(t, abuse.RetryAfter)
	assert.Equal(t, time.Second, *abuse.RetryAfter)
	assert.Contains(t, abuse.Message, "secondary rate limit")

	time.Sleep(1100 * time.Millisecond) // go-github refuses requests until retry-after has passed
	_, _, err = client.Issues.CreateComment(context.Background(), testOrg, testRepo, issue, &github.IssueComment{Body: github.String("x")})
	require.NoError(t, err)
	assert.Len(t, s.Comments(testOrg, testRepo, issue), 1)
}

func TestPrimaryRateLimit(t *testing.T) {
	s := newFake(t, fullPerms)
	client := installationClient(t, s, testInstID)
	s.InjectFault(Fault{PathPattern: "/repos/", PrimaryRateLimit: true, RetryAfter: 120})

	_, _, err := client.Repositories.Get(context.Background(), testOrg, testRepo)
	var rl *github.RateLimitError
	require.True(t, errors.As(err, &rl), "got %T: %v", err, err)
	assert.Equal(t, 0, rl.Rate.Remaining)
	assert.WithinDuration(t, time.Now().Add(120*time.Second), rl.Rate.Reset.Time, 5*time.Second)
	assert.Contains(t, rl.Message, "API rate limit exceeded for installation ID 77")
}
