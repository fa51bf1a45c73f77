package report_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.md")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create the golden file")
	assert.Equal(t, string(want), got)
}

func TestRenderCommentGolden(t *testing.T) {
	fork := prTarget()
	fork.Run.HeadRepo = "contributor/app"
	fork.Run.PullRequests = []int{12}
	warned := prTarget()
	warned.Warnings = []string{".github/ghcr-doctor.yml: line 3: unknown key `comand` (ignored; using the defaults)"}

	cases := []struct {
		name string
		d    diagnose.Diagnosis
		t    report.Target
	}{
		{"package_access", packageAccess(), prTarget()},
		{"missing_packages_write", missingWrite(), warned},
		{"fork_pull_request", forkPR(), fork},
		{"pat", pat(), pushTarget()},
		{"uppercase_name", upperCase(), prTarget()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := report.RenderComment(diagnoses(tc.d), tc.t)
			golden(t, tc.name, body)
			assertWellFormed(t, body)
			m, ok := report.ParseMarker(body)
			require.True(t, ok)
			assert.Equal(t, report.StateOpen, m.State)
			assert.Equal(t, releasePath, m.Workflow)
			assert.Empty(t, m.Package, "the report is not keyed by package")
			assert.Equal(t, []report.PackageCause{{Package: tc.d.Package.Display(), Cause: tc.d.Causes[0].ID}}, m.Packages)
			assert.Equal(t, tc.d.Causes[0].ID, m.Cause)
		})
	}
}

func TestRenderCommentSeedCase(t *testing.T) {
	body := report.RenderComment(diagnoses(packageAccess()), pushTarget())
	assert.Contains(t, body, "**The GITHUB_TOKEN had `packages: write`, but the package ghcr.io/acme/app does not give the repository acme/app Write access")
	assert.Contains(t, body, "(confidence: high)")
	assert.Contains(t, body, "1. Open "+settingsLink)
	assert.Contains(t, body, "[Package settings]("+settingsLink+")")
	assert.Contains(t, body, "click **Add repository**")
	assert.Contains(t, body, "| Repository default workflow permissions | ❔ |")
	assert.Contains(t, body, "| GITHUB_TOKEN has `packages: write` | ✅ |")
	assert.Contains(t, body, "| GitHub Packages error in the log | ❌ |")
	assert.Contains(t, body, "denied: permission_denied: write_package\n```")
	assert.Contains(t, body, "`administration:read`")
	assert.Contains(t, body, "[Workflow run](https://github.com/acme/app/actions/runs/9001)")
	assert.Contains(t, body, "[job build](https://github.com/acme/app/actions/runs/9001/job/555)")
	assert.NotContains(t, body, "`/ghcr fix`", "a manual fix offers no /ghcr fix")
	assert.Contains(t, body, "`/ghcr recheck`")
	assert.Contains(t, body, "`/ghcr retry`")
	assert.Contains(t, body, "`/ghcr help`")
}

func TestCommandsFollowFixKind(t *testing.T) {
	kinds := []struct {
		kind  diagnose.FixKind
		fixes bool
	}{
		{diagnose.FixWorkflowPR, true},
		{diagnose.FixLowercasePR, true},
		{diagnose.FixRepoSetting, true},
		{diagnose.FixOrgSetting, true},
		{diagnose.FixManual, false},
	}
	for _, k := range kinds {
		t.Run(string(k.kind), func(t *testing.T) {
			d := missingWrite()
			d.Causes[0].Fix.Kind = k.kind
			body := report.RenderComment(diagnoses(d), prTarget())
			assert.Equal(t, k.fixes, strings.Contains(body, "- `/ghcr fix` to "))
			assert.Equal(t, k.fixes, strings.Contains(body, "- `/ghcr fix --dry-run`"))
			assert.Contains(t, body, "- `/ghcr recheck`")

			out := report.RenderCheckRun([]diagnose.Diagnosis{d}, prTarget())
			var ids []string
			for _, a := range out.Actions {
				ids = append(ids, a.Identifier)
			}
			if k.fixes {
				assert.Equal(t, []string{"ghcr-fix", "ghcr-recheck"}, ids)
			} else {
				assert.Equal(t, []string{"ghcr-recheck"}, ids)
			}
		})
	}
}

func TestContentHashIgnoresRunSpecifics(t *testing.T) {
	first := prTarget()
	rerun := prTarget()
	rerun.Run.ID, rerun.Run.Attempt = 9002, 2
	rerun.Run.HTMLURL = "https://github.com/acme/app/actions/runs/9002"
	rerun.Jobs = []report.Job{{Name: "build", HTMLURL: "https://github.com/acme/app/actions/runs/9002/job/556"}}

	a, _ := report.ParseMarker(report.RenderComment(diagnoses(missingWrite()), first))
	b, _ := report.ParseMarker(report.RenderComment(diagnoses(missingWrite()), rerun))
	assert.Equal(t, a.Hash, b.Hash, "a re-run with the same diagnosis has the same hash")
	assert.Equal(t, a.Key, b.Key)
	assert.NotEqual(t, a.Run, b.Run)

	changed := missingWrite()
	changed.Causes[0].Confidence = diagnose.ConfidenceMedium
	c, _ := report.ParseMarker(report.RenderComment(diagnoses(changed), first))
	assert.NotEqual(t, a.Hash, c.Hash, "a changed diagnosis has another hash")

	ca := report.RenderCheckRun([]diagnose.Diagnosis{missingWrite()}, first)
	cb := report.RenderCheckRun([]diagnose.Diagnosis{missingWrite()}, rerun)
	ma, _ := report.ParseMarker(ca.Summary)
	mb, _ := report.ParseMarker(cb.Summary)
	assert.Equal(t, ma.Hash, mb.Hash)
}

func TestKeys(t *testing.T) {
	t1 := prTarget()
	rerun := prTarget()
	rerun.Run.ID, rerun.Run.HeadSHA = 1, "other"
	assert.Equal(t, report.CommentKey(t1, 7), report.CommentKey(rerun, 7), "the comment key depends on the pull request and workflow, not the run")
	assert.NotEqual(t, report.CommentKey(t1, 7), report.CommentKey(t1, 8))
	other := prTarget()
	other.Run.Path = ".github/workflows/ci.yml"
	assert.NotEqual(t, report.CommentKey(t1, 7), report.CommentKey(other, 7))

	branch := pushTarget()
	rerunPush := pushTarget()
	rerunPush.Run.ID, rerunPush.Run.HeadSHA = 1, "other"
	assert.Equal(t, report.IssueKey(branch), report.IssueKey(rerunPush), "the issue key depends on the branch and workflow, not the run")
	dev := pushTarget()
	dev.Run.HeadBranch = "dev"
	assert.NotEqual(t, report.IssueKey(branch), report.IssueKey(dev))
	ci := pushTarget()
	ci.Run.Path = ".github/workflows/ci.yml"
	assert.NotEqual(t, report.IssueKey(branch), report.IssueKey(ci))

	// Two packages of one run share the key: one report lists both.
	a, _ := report.ParseMarker(report.RenderComment(diagnoses(missingWrite()), t1))
	b, _ := report.ParseMarker(report.RenderComment(diagnoses(webPackage()), t1))
	both, _ := report.ParseMarker(report.RenderComment(diagnoses(missingWrite(), webPackage()), t1))
	assert.Equal(t, a.Key, b.Key)
	assert.Equal(t, a.Key, both.Key)
}

func TestRenderIssue(t *testing.T) {
	title, body := report.RenderIssue(diagnoses(packageAccess()), pushTarget())
	assert.Equal(t, "ghcr-doctor: cannot push ghcr.io/acme/app from main (release.yml)", title)
	assert.Contains(t, body, "Comment on this issue with:")
	m, ok := report.ParseMarker(body)
	require.True(t, ok)
	c, _ := report.ParseMarker(report.RenderComment(diagnoses(packageAccess()), prTarget()))
	assert.NotEqual(t, c.Key, m.Key, "issues and comments have separate keys")

	evil := pushTarget()
	evil.Run.HeadBranch = "@everyone\n" + strings.Repeat("x", 400)
	title, _ = report.RenderIssue(diagnoses(packageAccess()), evil)
	assert.NotContains(t, title, "\n")
	assert.NotContains(t, title, "@everyone")
	assert.LessOrEqual(t, utf8.RuneCountInString(title), 256)
}

func TestRenderResolved(t *testing.T) {
	prev, ok := report.ParseMarker(report.RenderComment(diagnoses(packageAccess()), prTarget()))
	require.True(t, ok)
	success := prTarget()
	success.Run.ID = 9100
	success.Run.HTMLURL = "https://github.com/acme/app/actions/runs/9100"
	success.Run.Conclusion = "success"

	body := report.RenderResolved(prev, success)
	golden(t, "resolved", body)
	m, ok := report.ParseMarker(body)
	require.True(t, ok)
	assert.Equal(t, report.StateResolved, m.State)
	assert.Equal(t, prev.Key, m.Key)
	assert.Equal(t, int64(9100), m.Run)
	assert.Equal(t, diagnose.CausePackageAccess, m.Cause)
	assert.Contains(t, body, "[a later run](https://github.com/acme/app/actions/runs/9100)")
	assert.Contains(t, body, "Package access")
}

func TestRenderCheckRun(t *testing.T) {
	out := report.RenderCheckRun([]diagnose.Diagnosis{packageAccess()}, pushTarget())
	assert.Equal(t, "Package access: ghcr.io/acme/app lacks write for acme/app", out.Title)
	assert.Equal(t, "action_required", out.Conclusion)
	assert.Contains(t, out.Summary, "**The GITHUB_TOKEN had `packages: write`")
	assert.Contains(t, out.Summary, "**Fix:** A package admin must add acme/app")
	assert.Contains(t, out.Text, "### Checks")
	assert.Contains(t, out.Text, "[Workflow run](https://github.com/acme/app/actions/runs/9001)")
	assert.NotContains(t, out.Text, "/ghcr recheck", "check runs offer buttons, not commands")
	require.Len(t, out.Annotations, 1)
	assert.Equal(t, []report.CheckRunAction{{Label: "Recheck", Identifier: "ghcr-recheck", Description: "Diagnose this run again"}}, out.Actions)
	_, ok := report.ParseMarker(out.Summary)
	assert.True(t, ok)

	two := report.RenderCheckRun([]diagnose.Diagnosis{missingWrite(), upperCase()}, prTarget())
	assert.Equal(t, "Missing packages: write: release.yml cannot push ghcr.io/acme/app (+1 more package)", two.Title)
	assert.Contains(t, two.Summary, "`ghcr.io/Acme/App`")
	assert.Contains(t, two.Text, "```diff")
	assert.Equal(t, "ghcr-fix", two.Actions[0].Identifier)
	assert.Len(t, two.Annotations, 2)

	resolved := report.RenderCheckRunResolved(prTarget())
	assert.Equal(t, "success", resolved.Conclusion)
	assert.Empty(t, resolved.Actions)
	m, ok := report.ParseMarker(resolved.Summary)
	require.True(t, ok)
	assert.Equal(t, report.StateResolved, m.State)
}

func TestCheckRunTitleIsShort(t *testing.T) {
	d := packageAccess()
	d.Package.Name = strings.Repeat("very-long-name/", 40)
	out := report.RenderCheckRun([]diagnose.Diagnosis{d, upperCase()}, pushTarget())
	assert.LessOrEqual(t, utf8.RuneCountInString(out.Title), 255)
	assert.True(t, strings.HasSuffix(out.Title, "(+1 more package)"), out.Title)
	for _, a := range out.Actions {
		assert.LessOrEqual(t, utf8.RuneCountInString(a.Label), 20)
		assert.LessOrEqual(t, utf8.RuneCountInString(a.Identifier), 20)
		assert.LessOrEqual(t, utf8.RuneCountInString(a.Description), 40)
	}
}

// assertWellFormed checks that every fence is closed and that there are as
// many <details> as </details>.
func assertWellFormed(t *testing.T, md string) {
	t.Helper()
	open := ""
	for _, line := range strings.Split(md, "\n") {
		run := leadingRun(line)
		switch {
		case open == "" && len(run) >= 3:
			open = run
		case open != "" && len(run) >= len(open) && strings.TrimSpace(line) == run:
			open = ""
		}
	}
	assert.Empty(t, open, "a code fence is left open")
	outside := outsideCode(md)
	assert.Equal(t, strings.Count(outside, "<details>"), strings.Count(outside, "</details>"), "<details> and </details> pair up")
}

func leadingRun(line string) string {
	n := 0
	for n < len(line) && line[n] == '`' {
		n++
	}
	return line[:n]
}
