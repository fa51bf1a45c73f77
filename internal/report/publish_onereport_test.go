package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// legacyBody is a body an earlier version wrote, when reports were kept
// per package: testdata/legacy holds them as that version rendered them.
func legacyBody(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "legacy", name))
	require.NoError(t, err)
	m, ok := report.ParseMarker(string(b))
	require.True(t, ok, "the legacy fixture has a marker")
	require.NotEmpty(t, m.Package, "legacy markers name their package")
	return string(b)
}

func marker(t *testing.T, body string) report.Marker {
	t.Helper()
	m, ok := report.ParseMarker(body)
	require.True(t, ok, "no marker in:\n%s", body)
	return m
}

func TestOneCommentPerPullRequestAndWorkflow(t *testing.T) {
	ctx := context.Background()
	gh := newFake()
	p := newPublisher(gh)
	web := packageAccess()
	web.Package.Name = "web"

	res, err := p.Publish(ctx, prTarget(), diagnoses(missingWrite(), web), report.Where{PullRequestComment: true})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Created)
	comments := gh.allComments(7)
	require.Len(t, comments, 1, "two packages, one comment")
	body := comments[0].Body
	assert.Contains(t, body, "## ghcr-doctor: 2 packages were refused")
	assert.Contains(t, body, "- [ ] `ghcr.io/acme/app`: Missing packages: write")
	assert.Contains(t, body, "- [ ] `ghcr.io/acme/web`: Package access")
	assert.Contains(t, body, "### `ghcr.io/acme/app`")
	assert.Contains(t, body, "### `ghcr.io/acme/web`")
	assert.Contains(t, body, "```diff", "the first package's fix")
	assert.Contains(t, body, "click **Add repository**", "the second package's fix")
	assert.Equal(t, 1, strings.Count(body, "### Commands"), "the commands once, for all packages")
	assert.Contains(t, body, "- `/ghcr fix` to ")
	assertWellFormed(t, body)
	m := marker(t, body)
	assert.Empty(t, m.Package)
	assert.Equal(t, []report.PackageCause{
		{Package: "ghcr.io/acme/app", Cause: diagnose.CauseMissingPackagesWrite},
		{Package: "ghcr.io/acme/web", Cause: diagnose.CausePackageAccess},
	}, m.Packages)
	assert.Equal(t, diagnose.CauseMissingPackagesWrite, m.Cause)

	t.Run("the same diagnoses again write nothing", func(t *testing.T) {
		gh.resetCalls()
		rerun := prTarget()
		rerun.Run.ID, rerun.Run.Attempt = 9002, 2
		res, err := p.Publish(ctx, rerun, diagnoses(missingWrite(), web), report.Where{PullRequestComment: true})
		require.NoError(t, err)
		assert.Equal(t, 0, gh.writes())
		assert.Equal(t, report.PublishResult{Unchanged: 1, Comments: []int64{comments[0].ID}}, res)
	})

	t.Run("one package fixed: the same comment now lists the other", func(t *testing.T) {
		gh.resetCalls()
		later := prTarget()
		later.Run.ID = 9003
		res, err := p.Publish(ctx, later, diagnoses(web), report.Where{PullRequestComment: true})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Updated)
		assert.Equal(t, 1, gh.writes())
		after := gh.allComments(7)
		require.Len(t, after, 1)
		assert.Equal(t, comments[0].ID, after[0].ID)
		assert.Contains(t, after[0].Body, "## ghcr-doctor: `ghcr.io/acme/web` was refused")
		assert.NotContains(t, after[0].Body, "ghcr.io/acme/app`")
		assert.Equal(t, marker(t, body).Key, marker(t, after[0].Body).Key)
	})

	t.Run("another workflow has its own comment", func(t *testing.T) {
		ci := prTarget()
		ci.Run.Path = ".github/workflows/ci.yml"
		res, err := p.Publish(ctx, ci, diagnoses(web), report.Where{PullRequestComment: true})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Created)
		assert.Len(t, gh.allComments(7), 2)
	})
}

func TestLegacyPerPackageCommentsAreAdopted(t *testing.T) {
	bot, mallory := "ghcr-doctor[bot]", "mallory"
	type seed struct {
		fixture  string
		author   string
		resolved bool
	}
	tests := []struct {
		name  string
		seeds []seed
		// wantReport is the index of the seeded comment that becomes the
		// report; -1 means a new comment.
		wantReport int
		// wantSuperseded are the seeded comments rewritten to point at it.
		wantSuperseded []int
	}{
		{"one legacy comment is edited into the report", []seed{{"comment_app.md", bot, false}}, 0, nil},
		{"the first of two becomes the report, the other points at it",
			[]seed{{"comment_app.md", bot, false}, {"comment_web.md", bot, false}}, 0, []int{1}},
		{"an open legacy comment is preferred over a resolved one",
			[]seed{{"comment_app.md", bot, true}, {"comment_web.md", bot, false}}, 1, nil},
		{"a resolved legacy comment is reopened as the report", []seed{{"comment_web.md", bot, true}}, 0, nil},
		{"someone else's copy is not adopted", []seed{{"comment_app.md", mallory, false}}, -1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			gh := newFake()
			for i, s := range tt.seeds {
				body := legacyBody(t, s.fixture)
				if s.resolved {
					success := prTarget()
					success.Run.ID = 8000
					body = report.RenderResolved(marker(t, body), success)
				}
				gh.comments[7] = append(gh.comments[7], report.Comment{ID: int64(100 + i), Body: body, UserLogin: s.author})
			}
			before := gh.allComments(7)

			res, err := newPublisher(gh).Publish(ctx, prTarget(), diagnoses(missingWrite(), webPackage()), report.Where{PullRequestComment: true})
			require.NoError(t, err)
			after := gh.allComments(7)
			wantKey := marker(t, report.RenderComment(diagnoses(missingWrite()), prTarget())).Key

			var reportID int64
			if tt.wantReport < 0 {
				assert.Equal(t, 1, gh.count("CreateIssueComment"))
				require.Len(t, after, len(before)+1)
				reportID = after[len(after)-1].ID
			} else {
				assert.Equal(t, 0, gh.count("CreateIssueComment"), "never a duplicate")
				require.Len(t, after, len(before))
				reportID = before[tt.wantReport].ID
			}
			assert.Equal(t, []int64{reportID}, res.Comments)
			assert.Equal(t, len(tt.wantSuperseded), res.Superseded)
			for i, c := range after {
				m := marker(t, c.Body)
				switch {
				case c.ID == reportID:
					assert.Equal(t, wantKey, m.Key, "the report has the new key")
					assert.Equal(t, report.StateOpen, m.State)
					assert.Contains(t, c.Body, "`ghcr.io/acme/app`")
					assert.Contains(t, c.Body, "`ghcr.io/acme/web`")
				case contains(tt.wantSuperseded, i):
					assert.Equal(t, report.StateResolved, m.State)
					assert.Equal(t, marker(t, before[i].Body).Key, m.Key, "a superseded comment keeps its key")
					assert.Contains(t, c.Body, fmt.Sprintf("https://github.com/acme/app/pull/7#issuecomment-%d", reportID))
				default:
					assert.Equal(t, before[i].Body, c.Body, "comment %d is left alone", i)
				}
			}

			gh.resetCalls()
			_, err = newPublisher(gh).Publish(ctx, prTarget(), diagnoses(missingWrite(), webPackage()), report.Where{PullRequestComment: true})
			require.NoError(t, err)
			assert.Equal(t, 0, gh.writes(), "once adopted, the same diagnoses write nothing")
		})
	}
}

func TestResolveCoversLegacyComments(t *testing.T) {
	ctx := context.Background()
	gh := newFake()
	gh.comments[7] = []report.Comment{
		{ID: 100, Body: legacyBody(t, "comment_app.md"), UserLogin: "ghcr-doctor[bot]"},
		{ID: 101, Body: legacyBody(t, "comment_web.md"), UserLogin: "ghcr-doctor[bot]"},
	}
	res, err := newPublisher(gh).Resolve(ctx, successOf(prTarget()), report.Where{PullRequestComment: true})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Updated)
	for _, c := range gh.allComments(7) {
		m := marker(t, c.Body)
		assert.Equal(t, report.StateResolved, m.State)
		assert.Contains(t, c.Body, "`"+m.Package+"` works again")
	}
}

func TestOneTrackingIssuePerBranchAndWorkflow(t *testing.T) {
	ctx := context.Background()
	gh := newFake()
	p := newPublisher(gh)
	res, err := p.Publish(ctx, pushTarget(), diagnoses(packageAccess(), webPackage()), report.Where{TrackingIssue: true})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Created)
	require.Len(t, gh.issues, 1, "two packages, one issue")
	iss := gh.issues[0]
	assert.Equal(t, "ghcr-doctor: cannot push ghcr.io/acme/app and 1 more package from main (release.yml)", iss.Title)
	assert.Contains(t, iss.Body, "- [ ] `ghcr.io/acme/app`: Package access")
	assert.Contains(t, iss.Body, "- [ ] `ghcr.io/acme/web`: Missing packages: write")
	assert.Contains(t, iss.Body, "Comment on this issue with:")

	gh.resetCalls()
	_, err = p.Publish(ctx, pushTarget(), diagnoses(packageAccess(), webPackage()), report.Where{TrackingIssue: true})
	require.NoError(t, err)
	assert.Equal(t, 0, gh.writes(), "the same failure again writes nothing")

	gh.resetCalls()
	res, err = p.Publish(ctx, pushTarget(), diagnoses(webPackage()), report.Where{TrackingIssue: true})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Updated)
	require.Len(t, gh.issues, 1)
	assert.Equal(t, "ghcr-doctor: cannot push ghcr.io/acme/web from main (release.yml)", gh.issues[0].Title)
}

func TestLegacyPerPackageIssuesAreAdopted(t *testing.T) {
	tests := []struct {
		name string
		// states of the seeded issues #1 (app) and #2 (web)
		states         []string
		wantReport     int
		wantSuperseded []int
	}{
		{"one legacy issue is edited into the report", []string{"open"}, 1, nil},
		{"the first of two becomes the report, the other is closed in its favour", []string{"open", "open"}, 1, []int{2}},
		{"an open legacy issue is preferred over a closed one", []string{"closed", "open"}, 2, nil},
		{"a closed legacy issue is reopened as the report", []string{"closed"}, 1, nil},
	}
	fixtures := []string{"issue_app.md", "issue_web.md"}
	titles := []string{"ghcr-doctor: cannot push ghcr.io/acme/app from main (release.yml)", "ghcr-doctor: cannot push ghcr.io/acme/web from main (release.yml)"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			gh := newFake()
			for i, state := range tt.states {
				gh.issues = append(gh.issues, report.Issue{Number: i + 1, Title: titles[i], Body: legacyBody(t, fixtures[i]), State: state, Labels: []string{"ghcr-doctor"}})
			}
			res, err := newPublisher(gh).Publish(ctx, pushTarget(), diagnoses(packageAccess(), webPackage()), report.Where{TrackingIssue: true})
			require.NoError(t, err)
			assert.Equal(t, 0, gh.count("CreateIssue"), "never a duplicate")
			require.Len(t, gh.issues, len(tt.states))
			assert.Equal(t, []int{tt.wantReport}, res.Issues)
			assert.Equal(t, len(tt.wantSuperseded), res.Superseded)

			_, current := report.RenderIssue(diagnoses(packageAccess()), pushTarget())
			wantKey := marker(t, current).Key
			for _, iss := range gh.issues {
				switch {
				case iss.Number == tt.wantReport:
					assert.Equal(t, "open", iss.State)
					assert.Equal(t, wantKey, marker(t, iss.Body).Key)
					assert.Contains(t, iss.Title, "and 1 more package")
				case contains(tt.wantSuperseded, iss.Number):
					assert.Equal(t, "closed", iss.State)
					assert.Equal(t, "not_planned", gh.stateReasons[iss.Number])
					notes := gh.allComments(iss.Number)
					require.Len(t, notes, 1)
					assert.Contains(t, notes[0].Body, fmt.Sprintf("Superseded by #%d", tt.wantReport))
				default:
					assert.Equal(t, tt.states[iss.Number-1], iss.State, "issue #%d is left alone", iss.Number)
				}
			}

			gh.resetCalls()
			_, err = newPublisher(gh).Publish(ctx, pushTarget(), diagnoses(packageAccess(), webPackage()), report.Where{TrackingIssue: true})
			require.NoError(t, err)
			assert.Equal(t, 0, gh.writes(), "once adopted, the same diagnoses write nothing")
		})
	}
}

func TestResolveClosesLegacyIssues(t *testing.T) {
	gh := newFake()
	gh.issues = []report.Issue{
		{Number: 1, Body: legacyBody(t, "issue_app.md"), State: "open", Labels: []string{"ghcr-doctor"}},
		{Number: 2, Body: legacyBody(t, "issue_web.md"), State: "open", Labels: []string{"ghcr-doctor"}},
	}
	res, err := newPublisher(gh).Resolve(context.Background(), successOf(pushTarget()), report.Where{TrackingIssue: true})
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2}, res.Issues)
	for _, iss := range gh.issues {
		assert.Equal(t, "closed", iss.State)
		assert.Equal(t, "completed", gh.stateReasons[iss.Number])
	}
}

// manyPackages are n diagnoses of distinct packages, each with its own annotation.
func manyPackages(n int) []diagnose.Diagnosis {
	var ds []diagnose.Diagnosis
	for i := range n {
		d := missingWrite()
		d.Package.Name = fmt.Sprintf("app-%03d", i)
		d.Annotations[0].Line = 100 + i
		ds = append(ds, d)
	}
	return ds
}

func TestReportListsAtMostMaxPackages(t *testing.T) {
	tests := []struct {
		packages    int
		wantListed  int
		wantOmitted int
		wantNote    string
	}{
		{report.MaxPackages, report.MaxPackages, 0, ""},
		{report.MaxPackages + 1, report.MaxPackages, 1, "_…and 1 more refused package not shown"},
		{300, report.MaxPackages, 280, "_…and 280 more refused packages not shown"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.packages), func(t *testing.T) {
			gh := newFake()
			_, err := newPublisher(gh).Publish(context.Background(), prTarget(), manyPackages(tt.packages), everywhere)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(gh.calls), 4, "one list and one write per output, however many packages: %v", gh.calls)
			assert.Equal(t, 1, gh.count("CreateIssueComment"))
			assert.Equal(t, 0, gh.count("UpdateCheckRun"), "the listed packages' annotations fit one request")

			body := gh.allComments(7)[0].Body
			assert.LessOrEqual(t, len(body), 60000)
			assertWellFormed(t, body)
			m := marker(t, body)
			assert.Len(t, m.Packages, tt.wantListed)
			assert.Equal(t, tt.wantOmitted, m.Omitted)
			assert.Equal(t, tt.wantListed, strings.Count(body, "- [ ] `ghcr.io/acme/app-"))
			assert.Contains(t, body, fmt.Sprintf("## ghcr-doctor: %d packages were refused", tt.packages))
			cr := gh.checkRuns[0]
			assert.Len(t, cr.Annotations, tt.wantListed, "only the listed packages are annotated")
			if tt.wantNote == "" {
				assert.NotContains(t, body, "not shown")
				return
			}
			assert.Contains(t, body, tt.wantNote)
			assert.Contains(t, cr.Summary, tt.wantNote)
			assert.Contains(t, cr.Text, tt.wantNote)
		})
	}
}

func TestHugeReportOfManyPackagesFits(t *testing.T) {
	var ds []diagnose.Diagnosis
	for i := range report.MaxPackages {
		d := hugeDiagnosis()
		d.Package.Name = fmt.Sprintf("app-%02d", i) + strings.Repeat("-long", 30)
		ds = append(ds, d)
	}
	body := report.RenderComment(ds, prTarget())
	t.Logf("comment of %d huge diagnoses: %d bytes", len(ds), len(body))
	assert.LessOrEqual(t, len(body), 60000)
	assertWellFormed(t, body)
	assert.Contains(t, body, "left out or shortened to stay within GitHub's size limit")
	assert.Contains(t, body, "### Commands", "the commands survive")
	m := marker(t, body)
	assert.Equal(t, report.MaxPackages, len(m.Packages)+m.Omitted, "every package is listed or counted")
	if m.Omitted > 0 {
		assert.Contains(t, body, fmt.Sprintf("_…and %d more refused", m.Omitted))
	}
	_, issue := report.RenderIssue(ds, pushTarget())
	assert.LessOrEqual(t, len(issue), 60000)
}

func TestReportLeavesOutPackagesThatDoNotFit(t *testing.T) {
	// Every text is 10 KB of characters that escaping makes longer, and
	// every package has long links: even at the least detail, twenty
	// packages do not fit in one comment.
	hostile := strings.Repeat("&lt;<@a", 10*1024/7)
	var ds []diagnose.Diagnosis
	for i := range report.MaxPackages {
		d := missingWrite()
		d.Package.Name = fmt.Sprintf("app-%02d-", i) + hostile
		d.Causes[0].Summary = hostile
		d.Causes[0].Fix.Summary = hostile
		for range 5 {
			d.Causes[0].Fix.Steps = append(d.Causes[0].Fix.Steps, hostile)
			d.Causes[0].Fix.Links = append(d.Causes[0].Fix.Links, diagnose.Link{Text: hostile, URL: "https://x.test/" + strings.Repeat("y", 1900)})
		}
		ds = append(ds, d)
	}
	_, issueBody := report.RenderIssue(ds, pushTarget())
	for name, body := range map[string]string{"comment": report.RenderComment(ds, prTarget()), "issue": issueBody} {
		t.Run(name, func(t *testing.T) {
			t.Logf("%d bytes", len(body))
			assert.LessOrEqual(t, len(body), 60000)
			assertWellFormed(t, body)
			m := marker(t, body)
			assert.Positive(t, m.Omitted, "some packages are left out")
			assert.GreaterOrEqual(t, len(m.Packages), 1)
			assert.Equal(t, report.MaxPackages, len(m.Packages)+m.Omitted, "every package is listed or counted")
			assert.Contains(t, body, fmt.Sprintf("_…and %d more refused packages not shown", m.Omitted))
			assert.Contains(t, body, "### Commands", "the commands survive")
			assert.NotContains(t, body, "@a", "no mention survives")
		})
	}
}

func contains[T comparable](xs []T, x T) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
