package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/audit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

const auditSHA = "0123456789abcdef0123456789abcdef01234567"

func finding(repo, file, job string, v preflight.Verdict, line int) audit.Finding {
	return audit.Finding{Repository: repo, Commit: auditSHA,
		URL:    "https://github.com/" + repo + "/blob/" + auditSHA + "/" + file + "#L" + string(rune('0'+line)),
		Result: preflight.Result{File: file, Job: job, Verdict: v, Line: line, Reason: "reason of " + job, Fix: "fix of " + job}}
}

func auditReport(fs ...audit.Finding) audit.Report {
	rep := audit.Report{Scope: "acme", Findings: fs}
	seen := map[string]bool{}
	for _, f := range fs {
		if !seen[f.Repository] {
			seen[f.Repository] = true
			rep.Repos = append(rep.Repos, audit.RepoOutcome{Repository: f.Repository, Workflows: 1})
		}
	}
	return rep
}

func TestRenderAuditListsAtRiskJobsWithLinksReasonsAndFixes(t *testing.T) {
	rep := auditReport(
		finding("acme/web", ".github/workflows/release.yml", "image", preflight.MissingPackagesWrite, 7),
		finding("acme/api", ".github/workflows/publish.yml", "npm", preflight.OK, 3),
		finding("acme/api", ".github/workflows/publish.yml", "chart", preflight.Unknown, 9),
	)
	rep.Repos = append(rep.Repos, audit.RepoOutcome{Repository: "acme/old", Skipped: audit.SkippedArchived},
		audit.RepoOutcome{Repository: "acme/broken", Error: "listing .github/workflows: GitHub kept failing"})
	body := report.RenderAudit(rep, report.AuditOptions{WebURL: "https://github.com", Heading: "## Health", Footer: "<sub>footer</sub>"})

	assert.True(t, strings.HasPrefix(body, "## Health\n\n"))
	assert.Contains(t, body, "**1 job at risk** of being refused by GitHub Packages; 1 publishing job is ok, 1 could not be decided. 3 repositories audited (1 archived or forked one skipped), 1 could not be read.")
	assert.Contains(t, body, "### At risk\n\n- [ ] [acme/web · release.yml · job image (line 7)](https://github.com/acme/web/blob/"+auditSHA+"/.github/workflows/release.yml#L7): the job's token lacks `packages: write`\n  reason of image\n  **Fix:** fix of image\n")
	assert.Contains(t, body, "### Could not be decided\n\n- [acme/api · publish.yml · job chart (line 9)]")
	assert.Contains(t, body, "### Repositories that could not be read\n\n- `acme/broken`: listing .github/workflows: GitHub kept failing\n")
	assert.NotContains(t, body, "job npm", "jobs that are ok are counted, not listed")
	assert.True(t, strings.HasSuffix(body, "<sub>footer</sub>\n"))
}

// TestRenderAuditEscapesWhatWorkflowsSay: job names, reasons and fixes come
// from workflow files anyone with write access can change.
func TestRenderAuditEscapesWhatWorkflowsSay(t *testing.T) {
	f := finding("acme/web", ".github/workflows/r.yml", "x](https://evil.example/)", preflight.UppercaseName, 2)
	f.Reason = "image <img src=x onerror=alert(1)> @everyone ghcr.io/Acme/App"
	f.Fix = "## heading\n- [x] done by #12"
	f.URL = "https://evil.example/phish"
	body := report.RenderAudit(auditReport(f), report.AuditOptions{WebURL: "https://github.com"})
	assert.Contains(t, body, `\<img`, "HTML is escaped")
	assert.NotContains(t, body, "](https://evil.example")
	assert.NotContains(t, body, "@everyone")
	assert.NotContains(t, body, "\n## heading")
	assert.Contains(t, body, "`https://evil.example/phish`", "a link off the site is shown as code, never followed")
}

func TestRenderAuditStaysWithinGitHubsLimit(t *testing.T) {
	var fs []audit.Finding
	for i := range 500 {
		f := finding("acme/web", ".github/workflows/r.yml", "job", preflight.MissingPackagesWrite, 1)
		f.Reason = strings.Repeat("long reason ", 40) + string(rune('a'+i%26))
		fs = append(fs, f)
	}
	body := report.RenderAudit(auditReport(fs...), report.AuditOptions{WebURL: "https://github.com", Footer: "end"})
	assert.Less(t, len(body), 65536)
	assert.Contains(t, body, "more, left out to stay within GitHub's size limit")
	assert.Contains(t, body, "**500 jobs at risk**")
	assert.True(t, strings.HasSuffix(body, "end\n"))
}

// TestHealthIssueLifecycle: one issue, found by its marker, edited in
// place, closed when nothing is at risk and reopened when something is again.
func TestHealthIssueLifecycle(t *testing.T) {
	ctx := context.Background()
	gh := newFake()
	p := &report.Publisher{GH: gh}
	o := report.AuditOptions{WebURL: "https://github.com", Heading: "## " + report.HealthIssueTitle}
	risky := auditReport(finding("acme/web", ".github/workflows/release.yml", "image", preflight.MissingPackagesWrite, 7))
	clean := auditReport(finding("acme/web", ".github/workflows/release.yml", "image", preflight.OK, 7))
	// An unrelated ghcr-doctor issue in the same repository is left alone.
	_, err := gh.CreateIssue(ctx, "acme", ".github", "tracking", "<!-- ghcr-doctor:v1 key=x -->\nother", []string{report.DefaultLabel})
	require.NoError(t, err)

	steps := []struct {
		name       string
		rep        audit.Report
		wantAction string
		wantState  string
	}{
		{"nothing at risk and no issue: none is opened", clean, report.HealthNone, ""},
		{"jobs at risk: the issue is opened", risky, report.HealthCreated, "open"},
		{"the same audit: nothing is written", risky, report.HealthUnchanged, "open"},
		{"another job at risk: the same issue is edited", auditReport(
			finding("acme/web", ".github/workflows/release.yml", "image", preflight.MissingPackagesWrite, 7),
			finding("acme/api", ".github/workflows/p.yml", "push", preflight.ForkPRPush, 4)), report.HealthUpdated, "open"},
		{"nothing at risk: closed", clean, report.HealthClosed, "closed"},
		{"still nothing: left closed, unchanged", clean, report.HealthUnchanged, "closed"},
		{"at risk again: reopened", risky, report.HealthReopened, "open"},
	}
	issue := 0
	for _, st := range steps {
		gh.resetCalls()
		out, err := p.PublishHealth(ctx, "acme", ".github", st.rep, o)
		require.NoError(t, err, st.name)
		assert.Equal(t, st.wantAction, out.Action, st.name)
		if st.wantAction == report.HealthUnchanged || st.wantAction == report.HealthNone {
			assert.Zero(t, gh.writes(), st.name)
		}
		var health []report.Issue
		for _, iss := range gh.issues {
			if iss.Title == report.HealthIssueTitle {
				health = append(health, iss)
			}
		}
		if st.wantState == "" {
			assert.Empty(t, health, st.name)
			continue
		}
		require.Len(t, health, 1, "%s: one issue, never a second", st.name)
		if issue == 0 {
			issue = health[0].Number
		}
		assert.Equal(t, issue, out.Issue, st.name)
		assert.Equal(t, st.wantState, health[0].State, st.name)
		assert.True(t, strings.HasPrefix(health[0].Body, "<!-- ghcr-doctor:audit v1 hash="), st.name)
	}
	assert.Equal(t, "other", strings.SplitN(gh.issues[0].Body, "\n", 2)[1], "the other issue is untouched")
}
