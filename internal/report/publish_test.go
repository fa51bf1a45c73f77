package report_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

var everywhere = report.Where{CheckRun: true, PullRequestComment: true, TrackingIssue: true}

func newPublisher(gh *fakeGitHub) *report.Publisher {
	return &report.Publisher{GH: gh, BotLogin: "ghcr-doctor[bot]", Label: "ghcr-doctor"}
}

func TestPublishPullRequest(t *testing.T) {
	ctx := context.Background()
	gh := newFake()
	p := newPublisher(gh)
	ds := []diagnose.Diagnosis{missingWrite()}

	res, err := p.Publish(ctx, prTarget(), ds, everywhere)
	require.NoError(t, err)
	assert.Equal(t, 2, res.Created, "a check run and a comment")
	assert.Equal(t, 1, gh.count("CreateCheckRun"))
	assert.Equal(t, 1, gh.count("CreateIssueComment"))
	assert.Equal(t, 0, gh.count("CreateIssue"), "no tracking issue for a pull request run")
	require.Len(t, res.Comments, 1)
	assert.NotZero(t, res.CheckRunID)
	comments := gh.allComments(7)
	require.Len(t, comments, 1)
	assert.Contains(t, comments[0].Body, "```diff")
	cr := gh.checkRuns[0]
	assert.Equal(t, "ghcr-doctor", cr.Name)
	assert.Equal(t, headSHA, cr.HeadSHA)
	assert.Equal(t, "wf:"+releasePath, cr.ExternalID)
	assert.Equal(t, "completed", cr.Status)
	assert.Equal(t, "action_required", cr.Conclusion)
	assert.Equal(t, "https://github.com/acme/app/actions/runs/9001", cr.DetailsURL)
	assert.Len(t, cr.Annotations, 1)

	t.Run("same diagnosis again writes nothing", func(t *testing.T) {
		gh.resetCalls()
		rerun := prTarget()
		rerun.Run.ID, rerun.Run.Attempt = 9002, 2
		rerun.Run.HTMLURL = "https://github.com/acme/app/actions/runs/9002"
		res, err := p.Publish(ctx, rerun, ds, everywhere)
		require.NoError(t, err)
		assert.Equal(t, 0, gh.writes())
		assert.Equal(t, report.PublishResult{Unchanged: 2, CheckRunID: cr.ID, Comments: []int64{comments[0].ID}}, res)
	})

	t.Run("changed diagnosis edits once", func(t *testing.T) {
		gh.resetCalls()
		changed := missingWrite()
		changed.Causes[0].Confidence = diagnose.ConfidenceMedium
		res, err := p.Publish(ctx, prTarget(), []diagnose.Diagnosis{changed}, report.Where{PullRequestComment: true})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Updated)
		assert.Equal(t, 1, gh.writes())
		assert.Equal(t, 1, gh.count("EditIssueComment"))
		assert.Contains(t, gh.allComments(7)[0].Body, "(confidence: medium)")
		assert.Len(t, gh.allComments(7), 1)
	})

	t.Run("changed check run is updated without repeating annotations", func(t *testing.T) {
		gh.resetCalls()
		changed := missingWrite()
		changed.Causes[0].Confidence = diagnose.ConfidenceMedium
		res, err := p.Publish(ctx, prTarget(), []diagnose.Diagnosis{changed}, report.Where{CheckRun: true})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Updated)
		assert.Equal(t, 1, gh.count("UpdateCheckRun"))
		assert.Len(t, gh.checkRuns, 1)
		assert.Len(t, gh.checkRuns[0].Annotations, 1, "unchanged annotations are not appended again")
	})
}

func TestPublishIgnoresOthersComments(t *testing.T) {
	gh := newFake()
	// Someone pasted our comment, marker and all.
	gh.comments[7] = []report.Comment{{ID: 1, Body: report.RenderComment(diagnoses(missingWrite()), prTarget()), UserLogin: "mallory", UserType: "User"}}
	res, err := newPublisher(gh).Publish(context.Background(), prTarget(), []diagnose.Diagnosis{missingWrite()}, report.Where{PullRequestComment: true})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Created)
	assert.Equal(t, 0, gh.count("EditIssueComment"))
}

func TestPublishPushRunTrackingIssue(t *testing.T) {
	ctx := context.Background()
	gh := newFake()
	p := newPublisher(gh)
	ds := []diagnose.Diagnosis{packageAccess()}

	res, err := p.Publish(ctx, pushTarget(), ds, everywhere)
	require.NoError(t, err)
	assert.Equal(t, 2, res.Created, "a check run and an issue")
	assert.Equal(t, 0, gh.count("ListIssueComments"), "a push run has no pull request")
	require.Len(t, gh.issues, 1)
	iss := gh.issues[0]
	assert.Equal(t, "ghcr-doctor: cannot push ghcr.io/acme/app from main (release.yml)", iss.Title)
	assert.Equal(t, []string{"ghcr-doctor"}, iss.Labels)
	assert.Equal(t, []int{1}, res.Issues)

	gh.resetCalls()
	res, err = p.Publish(ctx, pushTarget(), ds, everywhere)
	require.NoError(t, err)
	assert.Equal(t, 0, gh.writes(), "the same failure again writes nothing")
	assert.Equal(t, 2, res.Unchanged)

	// Closed by hand, then failing again: reopened, not duplicated.
	gh.issues[0].State = "closed"
	gh.resetCalls()
	res, err = p.Publish(ctx, pushTarget(), ds, report.Where{TrackingIssue: true})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Updated)
	assert.Equal(t, 1, gh.count("EditIssue"))
	assert.Len(t, gh.issues, 1)
	assert.Equal(t, "open", gh.issues[0].State)

	// Another branch gets its own issue.
	dev := pushTarget()
	dev.Run.HeadBranch = "dev"
	res, err = p.Publish(ctx, dev, ds, report.Where{TrackingIssue: true})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Created)
	assert.Len(t, gh.issues, 2)
}

func TestPublishAnnotationsInBatches(t *testing.T) {
	gh := newFake()
	d := packageAccess()
	d.Annotations = nil
	for i := range 120 {
		d.Annotations = append(d.Annotations, diagnose.Annotation{Path: releasePath, Line: i + 1, Level: "warning", Title: "line", Message: fmt.Sprintf("annotation %d", i)})
	}
	res, err := newPublisher(gh).Publish(context.Background(), pushTarget(), []diagnose.Diagnosis{d}, report.Where{CheckRun: true})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Created)
	assert.Equal(t, 1, gh.count("CreateCheckRun"))
	assert.Equal(t, 2, gh.count("UpdateCheckRun"))
	require.Len(t, gh.checkRuns, 1)
	assert.Equal(t, []int{50, 50, 20}, gh.checkRuns[0].Batches)
	assert.Equal(t, report.CheckRunName, gh.checkRuns[0].Name, "every batch keeps the name")
	assert.Len(t, gh.checkRuns[0].Annotations, 120)
}

func TestPublishSeparateCheckRunsPerWorkflow(t *testing.T) {
	gh := newFake()
	p := newPublisher(gh)
	ci := pushTarget()
	ci.Run.Path = ".github/workflows/ci.yml"
	_, err := p.Publish(context.Background(), pushTarget(), []diagnose.Diagnosis{packageAccess()}, report.Where{CheckRun: true})
	require.NoError(t, err)
	_, err = p.Publish(context.Background(), ci, []diagnose.Diagnosis{packageAccess()}, report.Where{CheckRun: true})
	require.NoError(t, err)
	require.Len(t, gh.checkRuns, 2)
	assert.NotEqual(t, gh.checkRuns[0].ExternalID, gh.checkRuns[1].ExternalID)
}

func TestPublishContinuesPastFailures(t *testing.T) {
	tests := []struct {
		name        string
		failing     string
		wantErr     string
		wantCreated int
		wantChecks  int
		wantComment int
	}{
		{"check run fails, comment written", "CreateCheckRun", "creating check run", 1, 0, 1},
		{"comment fails, check run written", "CreateIssueComment", "commenting on pull request #7", 1, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gh := newFake()
			gh.fail[tt.failing] = 1
			res, err := newPublisher(gh).Publish(context.Background(), prTarget(), diagnoses(missingWrite(), webPackage()), everywhere)
			require.Error(t, err)
			assert.True(t, errors.Is(err, errInjected))
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Equal(t, tt.wantCreated, res.Created)
			assert.Len(t, gh.checkRuns, tt.wantChecks)
			assert.Len(t, gh.allComments(7), tt.wantComment)
		})
	}
}

func TestPublishHugeDiagnosisStaysWithinLimits(t *testing.T) {
	gh := newFake()
	_, err := newPublisher(gh).Publish(context.Background(), prTarget(), []diagnose.Diagnosis{hugeDiagnosis()}, everywhere)
	require.NoError(t, err, "the fake refuses what GitHub would refuse")
	assert.LessOrEqual(t, len(gh.allComments(7)[0].Body), 65536)
}
