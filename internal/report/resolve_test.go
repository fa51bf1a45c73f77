package report_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

func successOf(t report.Target) report.Target {
	t.Run.ID = 9100
	t.Run.HTMLURL = "https://github.com/acme/app/actions/runs/9100"
	t.Run.Conclusion = "success"
	return t
}

func TestResolvePullRequest(t *testing.T) {
	ctx := context.Background()
	gh := newFake()
	p := newPublisher(gh)
	_, err := p.Publish(ctx, prTarget(), []diagnose.Diagnosis{missingWrite(), webPackage()}, everywhere)
	require.NoError(t, err)
	// A comment about another workflow on the same pull request stays.
	ci := prTarget()
	ci.Run.Path = ".github/workflows/ci.yml"
	_, err = p.Publish(ctx, ci, []diagnose.Diagnosis{packageAccess()}, report.Where{PullRequestComment: true})
	require.NoError(t, err)
	gh.resetCalls()

	res, err := p.Resolve(ctx, successOf(prTarget()), everywhere)
	require.NoError(t, err)
	assert.Equal(t, 2, res.Updated, "the one comment of the workflow and the check run")
	assert.Equal(t, 1, gh.count("EditIssueComment"))
	assert.Equal(t, 1, gh.count("UpdateCheckRun"))

	comments := gh.allComments(7)
	require.Len(t, comments, 2, "one comment per workflow")
	for i, want := range []string{report.StateResolved, report.StateOpen} {
		m, ok := report.ParseMarker(comments[i].Body)
		require.True(t, ok)
		assert.Equal(t, want, m.State, "comment %d", i)
	}
	assert.Contains(t, comments[0].Body, "[a later run](https://github.com/acme/app/actions/runs/9100)")
	assert.Contains(t, comments[0].Body, "- [x] `ghcr.io/acme/app`: Missing packages: write")
	assert.Contains(t, comments[0].Body, "- [x] `ghcr.io/acme/web`: Missing packages: write")
	assert.Contains(t, gh.checkRuns[0].Summary, "`ghcr.io/acme/web`", "the check run names what was resolved")
	assert.Equal(t, "success", gh.checkRuns[0].Conclusion)
	assert.Empty(t, gh.checkRuns[0].Actions, "the buttons go away")

	gh.resetCalls()
	res, err = p.Resolve(ctx, successOf(prTarget()), everywhere)
	require.NoError(t, err)
	assert.Equal(t, 0, gh.writes(), "resolving twice changes nothing")
	assert.Equal(t, 0, res.Updated)

	t.Run("failing again reopens the comment", func(t *testing.T) {
		gh.resetCalls()
		res, err := p.Publish(ctx, prTarget(), []diagnose.Diagnosis{missingWrite()}, everywhere)
		require.NoError(t, err)
		assert.Equal(t, 2, res.Updated)
		m, _ := report.ParseMarker(gh.allComments(7)[0].Body)
		assert.Equal(t, report.StateOpen, m.State)
		assert.Equal(t, "action_required", gh.checkRuns[0].Conclusion)
		assert.Len(t, gh.checkRuns[0].Annotations, 1, "annotations already on the check run are not sent again")
	})
}

func TestResolvePushRun(t *testing.T) {
	ctx := context.Background()
	gh := newFake()
	p := newPublisher(gh)
	_, err := p.Publish(ctx, pushTarget(), []diagnose.Diagnosis{packageAccess()}, report.Where{TrackingIssue: true})
	require.NoError(t, err)
	dev := pushTarget()
	dev.Run.HeadBranch = "dev"
	_, err = p.Publish(ctx, dev, []diagnose.Diagnosis{packageAccess()}, report.Where{TrackingIssue: true})
	require.NoError(t, err)
	gh.resetCalls()

	res, err := p.Resolve(ctx, successOf(pushTarget()), report.Where{TrackingIssue: true})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Updated)
	assert.Equal(t, []int{1}, res.Issues)
	assert.Equal(t, "closed", gh.issues[0].State)
	assert.Equal(t, "open", gh.issues[1].State, "another branch's issue stays open")
	comments := gh.allComments(1)
	require.Len(t, comments, 1)
	assert.Contains(t, comments[0].Body, "Resolved")
	assert.Contains(t, comments[0].Body, "https://github.com/acme/app/actions/runs/9100")

	gh.resetCalls()
	_, err = p.Resolve(ctx, successOf(pushTarget()), report.Where{TrackingIssue: true})
	require.NoError(t, err)
	assert.Equal(t, 0, gh.writes(), "resolving twice changes nothing")
}

func TestResolveWithoutAnythingPublished(t *testing.T) {
	gh := newFake()
	res, err := newPublisher(gh).Resolve(context.Background(), successOf(prTarget()), everywhere)
	require.NoError(t, err)
	assert.Equal(t, report.PublishResult{}, res)
	assert.Equal(t, 0, gh.writes())
}
