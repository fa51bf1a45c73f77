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

// TestContentCreationLimits: content creation over GitHub's limits per
// installation is refused as GitHub refuses it, 403 with Retry-After and
// the secondary rate limit message, nothing created; reads and other
// installations go on; the window frees up as time passes.
func TestContentCreationLimits(t *testing.T) {
	tests := []struct {
		name          string
		perMin, perHr int
		before        int // comments created first, a second apart

	}{
		{"the 81st in a minute", 0, 0, 80},
		{"a smaller limit", 5, 0, 5},
		{"the hour's limit", -1, 30, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newTestClock()
			s := New(Options{AppID: testAppID, AppKey: sharedKey(t), Now: clock.Now, WritesPerMinute: tt.perMin, WritesPerHour: tt.perHr})
			t.Cleanup(s.Close)
			s.AddInstallation(testInstID, testOrg, "Organization", fullPerms)
			s.AddRepo(Repo{Owner: testOrg, Name: testRepo, InstallationID: testInstID})
			s.AddInstallation(testInstID+1, "other-org", "Organization", fullPerms)
			s.AddRepo(Repo{Owner: "other-org", Name: testRepo, InstallationID: testInstID + 1})
			issue := s.AddIssue(testOrg, testRepo, Issue{Title: "t", User: "octocat"})
			other := s.AddIssue("other-org", testRepo, Issue{Title: "t", User: "octocat"})
			ctx := context.Background()
			client := installationClient(t, s, testInstID)
			comment := &github.IssueComment{Body: github.String("hello")}
			// Take the token first, so the clock moving does not expire it.
			_, _, err := client.Repositories.Get(ctx, testOrg, testRepo)
			require.NoError(t, err)
			for i := range tt.before {
				_, _, err := client.Issues.CreateComment(ctx, testOrg, testRepo, issue, comment)
				require.NoError(t, err, "comment %d", i+1)
				clock.Advance(100 * time.Millisecond)
			}
			_, resp, err := client.Issues.CreateComment(ctx, testOrg, testRepo, issue, comment)
			var abuse *github.AbuseRateLimitError
			require.True(t, errors.As(err, &abuse), "got %v", err)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
			assert.Contains(t, abuse.Message, "secondary rate limit")
			require.NotNil(t, abuse.RetryAfter)
			assert.Positive(t, *abuse.RetryAfter)
			assert.Len(t, s.Comments(testOrg, testRepo, issue), tt.before, "the refused comment was not created")

			// go-github itself holds a client back after a secondary limit:
			// a fresh client asks the fake.
			_, _, err = installationClient(t, s, testInstID).Issues.ListComments(ctx, testOrg, testRepo, issue, nil)
			require.NoError(t, err, "reads are not limited")
			_, _, err = installationClient(t, s, testInstID+1).Issues.CreateComment(ctx, "other-org", testRepo, other, comment)
			require.NoError(t, err, "another installation is not limited")

			if *abuse.RetryAfter > 10*time.Minute {
				// The hour's window: the oldest comment leaves it an hour
				// after it was made (tokens do not live that long).
				assert.InDelta(t, time.Hour.Seconds(), abuse.RetryAfter.Seconds(), float64(tt.before))
				return
			}
			clock.Advance(*abuse.RetryAfter)
			_, _, err = installationClient(t, s, testInstID).Issues.CreateComment(ctx, testOrg, testRepo, issue, comment)
			require.NoError(t, err, "after Retry-After the window lets it through")
		})
	}
}
