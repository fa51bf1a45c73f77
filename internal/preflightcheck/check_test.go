package preflightcheck

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

const (
	releasePath = ".github/workflows/release.yml"
	head        = "1111111111111111111111111111111111111111"
)

// withWrite is the workflow before the pull request; withoutWrite is its
// head, which dropped packages: write (line 8).
const withWrite = `name: release
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
      - run: docker push ghcr.io/acme/app
`

var withoutWrite = strings.Replace(withWrite, "      packages: write\n", "", 1)

// patchOf is the hunks of a change, as the pull request files list them.
func patchOf(before, after string) string {
	d := workflow.UnifiedDiff("f", []byte(before), []byte(after))
	return strings.TrimSuffix(d[strings.Index(d, "@@"):], "\n")
}

// missingWrite is the analysis's verdict on withoutWrite, with the /ghcr fix edit.
func missingWrite(t *testing.T, src string) preflight.Result {
	t.Helper()
	edit, err := workflow.AddPackagesWrite([]byte(src), "build")
	require.NoError(t, err)
	return preflight.Result{File: releasePath, Job: "build", PublishesTo: []string{"ghcr.io"}, Verdict: preflight.MissingPackagesWrite,
		Line: 6, Reason: "The job pushes with GITHUB_TOKEN but its permissions leave packages at none.", Fix: "Add packages: write to the job's permissions.", Edit: &edit}
}

// analyzer answers each path with fixed results, as the engine would.
func analyzer(results map[string][]preflight.Result) func(preflight.Input) ([]preflight.Result, error) {
	return func(in preflight.Input) ([]preflight.Result, error) {
		if in.Settings.Owner != "acme" || in.Settings.RepoDefault != "read" {
			return nil, fmt.Errorf("unexpected settings %+v", in.Settings)
		}
		return results[in.Path], nil
	}
}

func pullEvent() Event {
	return Event{InstallationID: 1, Repo: diagnose.Repo{Owner: "acme", Name: "app", OwnerType: "Organization"}, RepoID: 7,
		HeadSHA: head, Pull: 3, PullURL: "https://github.com/acme/app/pull/3"}
}

func TestPullRequestMissingWriteGetsAnnotatedCheckAndOneSuggestion(t *testing.T) {
	gh := newMemGitHub(map[string]string{releasePath: withoutWrite})
	gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
	result := missingWrite(t, withoutWrite)
	c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: {result}}), BotLogin: "ghcr-doctor[bot]"}

	rep, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	assert.Equal(t, "action_required", rep.Conclusion)
	require.Len(t, gh.checkRuns, 1)
	cr := gh.checkRuns[0]
	assert.Equal(t, CheckRunName, cr.Name)
	assert.Equal(t, "completed", cr.Status)
	assert.Equal(t, "https://github.com/acme/app/pull/3/files", cr.DetailsURL)
	require.Len(t, cr.Annotations, 1)
	assert.Equal(t, diagnose.Annotation{Path: releasePath, Line: 6, Level: "failure", Title: "job build: ⛔ refused: the token cannot write packages",
		Message: "The job pushes with GITHUB_TOKEN but its permissions leave packages at none. Fix: Add packages: write to the job's permissions."}, cr.Annotations[0])
	assert.Contains(t, cr.Summary, "The review comment on this line suggests the change")

	require.Len(t, gh.comments, 1)
	cm := gh.comments[0]
	assert.Equal(t, releasePath, cm.Path)
	assert.Equal(t, 7, cm.Line, "the insertion is anchored on contents: read")
	assert.Zero(t, cm.StartLine)
	assert.Contains(t, cm.Body, "```suggestion\n      contents: read\n      packages: write\n```\n")
	applied := SuggestedChange{StartLine: cm.StartLine, Line: cm.Line, Lines: []string{"      contents: read", "      packages: write"}}.Apply([]byte(withoutWrite))
	assert.Equal(t, withWrite, string(applied), "applying the suggestion restores the file")

	// The same head checked again: one check run, no new annotation, the
	// comment left alone.
	_, err = c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	assert.Len(t, gh.checkRuns, 1)
	assert.Len(t, gh.checkRuns[0].Annotations, 1)
	assert.Len(t, gh.comments, 1)
	assert.Equal(t, 1, gh.reviews)
	assert.Zero(t, gh.calls["EditReviewComment"])
}

func TestPushWithTheFixDeletesTheSuggestionAndTurnsGreen(t *testing.T) {
	gh := newMemGitHub(map[string]string{releasePath: withoutWrite})
	gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
	results := map[string][]preflight.Result{releasePath: {missingWrite(t, withoutWrite)}}
	c := &Checker{Clients: memClients{gh}, Analyze: analyzer(results), BotLogin: "ghcr-doctor[bot]"}
	_, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	require.Len(t, gh.comments, 1)

	// The author commits the suggestion: the new head is clean.
	gh.files[releasePath] = []byte(withWrite)
	gh.changed = nil
	gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: "@@ -1,1 +1,1 @@\n-x\n+name: release"}}
	results[releasePath] = []preflight.Result{{File: releasePath, Job: "build", PublishesTo: []string{"ghcr.io"}, Verdict: preflight.OK, Line: 13}}
	ev := pullEvent()
	ev.HeadSHA = "2222222222222222222222222222222222222222"
	rep, err := c.Handle(context.Background(), ev, false)
	require.NoError(t, err)
	assert.Equal(t, "success", rep.Conclusion)
	assert.Empty(t, gh.comments, "the suggestion is gone with its problem")
	assert.Equal(t, 1, gh.reviews, "no second review")
	require.Len(t, gh.checkRuns, 2)
	assert.Empty(t, gh.checkRuns[1].Annotations)
	assert.Equal(t, "No publishing job is at risk", gh.checkRuns[1].Title)
}

func TestMovedLinesReplaceTheCommentAndStrangersAreLeftAlone(t *testing.T) {
	gh := newMemGitHub(map[string]string{releasePath: withoutWrite})
	gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
	key := commentKey(releasePath, "build")
	gh.comments = []ReviewComment{
		{ID: 1, Path: releasePath, Line: 3, Body: marker(key) + "\nold", UserLogin: "ghcr-doctor[bot]"},
		{ID: 2, Path: releasePath, Line: 7, Body: marker(key) + "\nforged", UserLogin: "mallory"},
		{ID: 3, Path: releasePath, Line: 7, Body: "a person's comment", UserLogin: "octocat"},
	}
	c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: {missingWrite(t, withoutWrite)}}), BotLogin: "ghcr-doctor[bot]"}
	rep, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	assert.Equal(t, reviewResult{Created: 1, Deleted: 1}, rep.Review)
	var ids []int64
	for _, cm := range gh.comments {
		ids = append(ids, cm.ID)
	}
	assert.Equal(t, []int64{2, 3, 101 + 1}, ids, "the bot's moved comment is replaced; others' comments stay")
}

func TestSuggestionOutsideTheDiffIsAnAnnotationOnly(t *testing.T) {
	gh := newMemGitHub(map[string]string{releasePath: withoutWrite})
	// The pull request only touched the last line, far from permissions.
	gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: "@@ -13,1 +13,1 @@\n-      - run: docker push ghcr.io/acme/old\n+      - run: docker push ghcr.io/acme/app"}}
	c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: {missingWrite(t, withoutWrite)}})}
	rep, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	assert.Equal(t, "action_required", rep.Conclusion)
	assert.Empty(t, gh.comments)
	assert.Zero(t, gh.calls["CreateReview"])
	assert.Contains(t, gh.checkRuns[0].Summary, "outside this pull request's diff")
	assert.Len(t, gh.checkRuns[0].Annotations, 1)
}

func TestRefusedReviewLeavesTheAnnotation(t *testing.T) {
	gh := newMemGitHub(map[string]string{releasePath: withoutWrite})
	gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
	gh.refuseReview = true
	c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: {missingWrite(t, withoutWrite)}})}
	rep, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	assert.True(t, rep.Review.Refused)
	assert.NotContains(t, gh.checkRuns[0].Summary, "review comment on this line")
	assert.Len(t, gh.checkRuns[0].Annotations, 1)
}

func TestConclusions(t *testing.T) {
	pat := preflight.Result{File: releasePath, Job: "build", PublishesTo: []string{"ghcr.io"}, Verdict: preflight.PATLogin, Line: 12, Reason: "The login uses a personal token."}
	unknown := preflight.Result{File: releasePath, Job: "matrix", Verdict: preflight.Unknown, Line: 20, Reason: "The image name is built from the matrix."}
	cases := []struct {
		name        string
		config      string
		results     []preflight.Result
		conclusion  string
		annotations []string
	}{
		{"at risk", "", []preflight.Result{{File: releasePath, Job: "build", Verdict: preflight.MissingPackagesWrite, Line: 6}}, "action_required", []string{"failure"}},
		{"at risk, neutral by choice", "preflight:\n  conclusion: neutral\n", []preflight.Result{{File: releasePath, Job: "build", Verdict: preflight.UppercaseName, Line: 13}}, "neutral", []string{"failure"}},
		{"a personal token is a notice", "", []preflight.Result{pat}, "success", []string{"notice"}},
		{"unknown is a notice, never a guess", "", []preflight.Result{unknown}, "success", []string{"notice"}},
		{"not publishing is quiet", "", []preflight.Result{{File: releasePath, Job: "test", Verdict: preflight.NotPublishing}}, "success", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{releasePath: withoutWrite}
			if tc.config != "" {
				files[".github/ghcr-doctor.yml"] = tc.config
			}
			gh := newMemGitHub(files)
			gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
			c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: tc.results})}
			rep, err := c.Handle(context.Background(), pullEvent(), false)
			require.NoError(t, err)
			assert.Equal(t, tc.conclusion, rep.Conclusion)
			var levels []string
			for _, a := range gh.checkRuns[0].Annotations {
				levels = append(levels, a.Level)
			}
			assert.Equal(t, tc.annotations, levels)
			assert.Empty(t, gh.comments, "only a missing packages: write with an edit is suggested")
		})
	}
}

func TestPullRequestWithoutWorkflowChangesIsNotChecked(t *testing.T) {
	gh := newMemGitHub(map[string]string{releasePath: withoutWrite})
	gh.changed = []ChangedFile{{Path: "README.md", Status: "modified", Patch: "@@ -1 +1 @@\n-a\n+b"}}
	c := &Checker{Clients: memClients{gh}, Analyze: analyzer(nil)}
	rep, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	assert.Equal(t, "the pull request changes no workflow", rep.Skipped)
	assert.Empty(t, gh.checkRuns)
}

func TestPushes(t *testing.T) {
	push := func(changed ...string) Event {
		return Event{InstallationID: 1, Repo: diagnose.Repo{Owner: "acme", Name: "app", OwnerType: "Organization"}, RepoID: 7,
			HeadSHA: head, Before: "3333333333333333333333333333333333333333", Changed: changed, ChangedKnown: true}
	}
	compared := push()
	compared.ChangedKnown = false
	cases := []struct {
		name     string
		recorded bool
		ev       Event
		compare  []ChangedFile
		checked  bool
	}{
		{"a workflow change is checked", true, push(".github/workflows/release.yml"), nil, true},
		{"a local action change is checked", true, push(".github/actions/login/action.yml"), nil, true},
		{"a README change is ignored", true, push("README.md"), nil, false},
		{"the first push after installation checks everything", false, push("README.md"), nil, true},
		{"a truncated payload is compared", true, compared, []ChangedFile{{Path: ".github/workflows/release.yml"}}, true},
		{"a compared README change is ignored", true, compared, []ChangedFile{{Path: "README.md"}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gh := newMemGitHub(map[string]string{releasePath: withWrite})
			gh.changed = tc.compare
			b := &memBaselines{}
			if tc.recorded {
				require.NoError(t, b.Record(context.Background(), "preflight-baseline:7"))
			}
			ok := preflight.Result{File: releasePath, Job: "build", PublishesTo: []string{"ghcr.io"}, Verdict: preflight.OK, Line: 13}
			c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: {ok}}), Baselines: b, WebURL: "https://github.com"}
			rep, err := c.Handle(context.Background(), tc.ev, false)
			require.NoError(t, err)
			if !tc.checked {
				assert.NotEmpty(t, rep.Skipped)
				assert.Empty(t, gh.checkRuns)
				return
			}
			require.Len(t, gh.checkRuns, 1)
			assert.Equal(t, "success", gh.checkRuns[0].Conclusion)
			assert.Equal(t, "https://github.com/acme/app/commit/"+head, gh.checkRuns[0].DetailsURL)
			assert.Zero(t, gh.calls["CreateReview"])
			done, _ := b.Recorded(context.Background(), "preflight-baseline:7")
			assert.True(t, done, "the repository's workflows have been checked once")
		})
	}
}

func TestManyAnnotationsGoFiftyARequest(t *testing.T) {
	var results []preflight.Result
	for i := range 120 {
		results = append(results, preflight.Result{File: releasePath, Job: fmt.Sprintf("job%d", i), Verdict: preflight.UppercaseName, Line: i + 1})
	}
	gh := newMemGitHub(map[string]string{releasePath: withoutWrite})
	gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
	c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: results})}
	_, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	assert.Equal(t, []int{50, 50, 20}, gh.checkRuns[0].Batches)
	assert.Less(t, len(gh.checkRuns[0].Summary), 65535)
}

func TestUntrustedNamesAreEscapedInTheSummary(t *testing.T) {
	evil := "x](https://evil.example) @octocat <img src=x>"
	gh := newMemGitHub(map[string]string{releasePath: withoutWrite})
	gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
	c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: {{File: releasePath, Job: evil, Verdict: preflight.UppercaseName, Line: 3, Reason: evil}}})}
	_, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	s := gh.checkRuns[0].Summary
	assert.NotContains(t, s, "@octocat", "no mention")
	assert.Contains(t, s, "| `x](https://evil.example) @\u200boctocat <img src=x>` |", "a name is an inert code span")
	assert.Contains(t, s, "\n\nx\\](https\\://evil.example) \\@\u200boctocat \\<img src=x\\>\n", "a reason is escaped text")
}

func TestPullRequestThatDroppedItsWorkflowChangeIsCleanedUp(t *testing.T) {
	gh := newMemGitHub(map[string]string{releasePath: withWrite})
	gh.changed = []ChangedFile{{Path: "README.md", Status: "modified", Patch: "@@ -1 +1 @@\n-a\n+b"}}
	key := commentKey(releasePath, "build")
	gh.comments = []ReviewComment{{ID: 1, Path: releasePath, Line: 7, Body: marker(key) + "\nsuggestion", UserLogin: "ghcr-doctor[bot]"}}
	ok := preflight.Result{File: releasePath, Job: "build", PublishesTo: []string{"ghcr.io"}, Verdict: preflight.OK, Line: 13}
	c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: {ok}}), BotLogin: "ghcr-doctor[bot]"}
	rep, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	assert.Empty(t, rep.Skipped)
	assert.Equal(t, "success", rep.Conclusion)
	assert.Empty(t, gh.comments)
}

// The analysis reads the repository files present at the head, found with
// one listing of the root, and never asks for the absent ones.
func TestRepositoryFilesReachTheAnalysis(t *testing.T) {
	gh := newMemGitHub(map[string]string{releasePath: withoutWrite, "package.json": `{"name":"@acme/app"}`, ".npmrc": "@acme:registry=https://npm.pkg.github.com\n"})
	gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
	var seen map[string][]byte
	c := &Checker{Clients: memClients{gh}, Analyze: func(in preflight.Input) ([]preflight.Result, error) {
		seen = in.Files
		return nil, nil
	}}
	_, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	assert.Equal(t, map[string][]byte{"package.json": []byte(`{"name":"@acme/app"}`), ".npmrc": []byte("@acme:registry=https://npm.pkg.github.com\n"),
		releasePath: []byte(withoutWrite)}, seen, "the files present, and the workflows for the reusable workflows they call")
	assert.Equal(t, 2+1+2, gh.calls["GetFile"], "the configuration (the repository's, the organisation's), the workflow and the two files present")
}

// Every problem of a job is annotated on its own line, once.
func TestEveryProblemOfAJobIsAnnotated(t *testing.T) {
	gh := newMemGitHub(map[string]string{releasePath: withoutWrite})
	gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
	r := missingWrite(t, withoutWrite)
	r.Problems = []preflight.Problem{
		{Verdict: preflight.MissingPackagesWrite, Registry: "ghcr.io", Line: 6, Reason: "no write"},
		{Verdict: preflight.UppercaseName, Registry: "ghcr.io", Line: 13, Reason: "upper case", Fix: "lower-case it"},
		{Verdict: preflight.UppercaseName, Registry: "ghcr.io", Line: 13, Reason: "upper case again"},
	}
	c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: {r}})}
	_, err := c.Handle(context.Background(), pullEvent(), false)
	require.NoError(t, err)
	as := gh.checkRuns[0].Annotations
	require.Len(t, as, 2)
	assert.Equal(t, 6, as[0].Line)
	assert.Equal(t, 13, as[1].Line)
	assert.Equal(t, "upper case Fix: lower-case it", as[1].Message)
}

// A check that cannot finish and will not be retried does not leave its
// check run in progress; one that will be retried does.
func TestACheckThatCannotFinishIsClosedNeutral(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		final      bool
		wantStatus string
	}{
		{"a missing permission", &gherr.PermissionError{Op: "listing review comments", Accepted: "pull_requests=read", Message: "Resource not accessible by integration"}, false, "completed"},
		{"a transient failure, retried", &gherr.StatusError{Op: "listing review comments", Status: 502}, false, "in_progress"},
		{"a transient failure on the last attempt", &gherr.StatusError{Op: "listing review comments", Status: 502}, true, "completed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gh := newMemGitHub(map[string]string{releasePath: withoutWrite})
			gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
			gh.listCommentsErr = tc.err
			c := &Checker{Clients: memClients{gh}, Analyze: analyzer(map[string][]preflight.Result{releasePath: {missingWrite(t, withoutWrite)}})}
			_, err := c.Handle(context.Background(), pullEvent(), tc.final)
			require.Error(t, err)
			require.Len(t, gh.checkRuns, 1)
			assert.Equal(t, tc.wantStatus, gh.checkRuns[0].Status)
			if tc.wantStatus == "completed" {
				assert.Equal(t, "neutral", gh.checkRuns[0].Conclusion)
				assert.Equal(t, "The preflight check could not finish", gh.checkRuns[0].Title)
			}
		})
	}
}
