package report_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// hugeDiagnosis has 1000 findings, a 50 KB diff, long lines and many causes.
func hugeDiagnosis() diagnose.Diagnosis {
	d := missingWrite()
	d.Findings = nil
	for i := range 1000 {
		d.Findings = append(d.Findings, buildFinding(i+1, fmt.Sprintf("line %d: ", i)+strings.Repeat("denied ", 300), "denied"))
	}
	var diff strings.Builder
	for diff.Len() < 50*1024 {
		diff.WriteString("+      packages: write # " + strings.Repeat("y", 60) + "\n")
	}
	d.Causes[0].Fix.Diff = diff.String()
	for i := range 30 {
		c := packageAccess().Causes[0]
		c.Summary = fmt.Sprintf("Other cause %d: ", i) + strings.Repeat("because ", 200)
		d.Causes = append(d.Causes, c)
	}
	for i := range 200 {
		d.Checks = append(d.Checks, diagnose.Check{Name: fmt.Sprintf("check %d", i), Status: diagnose.CheckUnknown, Detail: strings.Repeat("detail ", 100)})
		d.Causes[0].Evidence = append(d.Causes[0].Evidence, strings.Repeat("evidence ", 100))
	}
	return d
}

func TestHugeDiagnosisFits(t *testing.T) {
	body := report.RenderComment(diagnoses(hugeDiagnosis()), prTarget())
	t.Logf("huge comment: %d bytes", len(body))
	assert.LessOrEqual(t, len(body), 60000)
	assertWellFormed(t, body)
	assert.Contains(t, body, "left out or shortened to stay within GitHub's size limit")
	assert.Contains(t, body, "**The job `build` declares `permissions:`", "the cause survives")
	assert.Contains(t, body, "`/ghcr fix`", "the commands survive")
	m, ok := report.ParseMarker(body)
	require.True(t, ok)
	assert.Equal(t, report.StateOpen, m.State)

	_, issue := report.RenderIssue(diagnoses(hugeDiagnosis()), pushTarget())
	assert.LessOrEqual(t, len(issue), 60000)
	assertWellFormed(t, issue)
}

func TestHostileDiagnosisFits(t *testing.T) {
	// Every text is 10 KB of characters that escaping makes longer.
	hostile := strings.Repeat("&lt;<@a", 10*1024/7)
	d := hugeDiagnosis()
	d.Package.Name = hostile
	d.Causes[0].Summary = hostile
	d.Causes[0].Fix.Summary = hostile
	for i := range d.Causes[0].Fix.Steps {
		d.Causes[0].Fix.Steps[i] = hostile
	}
	for range 100 {
		d.Causes[0].Fix.Steps = append(d.Causes[0].Fix.Steps, hostile)
		d.Causes[0].Fix.Links = append(d.Causes[0].Fix.Links, diagnose.Link{Text: hostile, URL: "https://x.test/" + hostile})
		d.Unknowns = append(d.Unknowns, diagnose.Unknown{What: hostile, Reason: hostile, Permission: hostile})
	}
	tg := prTarget()
	tg.Warnings = []string{hostile, hostile, hostile, hostile, hostile, hostile}
	body := report.RenderComment(diagnoses(d), tg)
	t.Logf("hostile comment: %d bytes", len(body))
	assert.LessOrEqual(t, len(body), 60000)
	assertWellFormed(t, body)
	_, ok := report.ParseMarker(body)
	assert.True(t, ok)
}

func TestCheckRunFits(t *testing.T) {
	var ds []diagnose.Diagnosis
	for i := range 120 {
		d := hugeDiagnosis()
		d.Package.Name = fmt.Sprintf("app-%d", i)
		ds = append(ds, d)
	}
	out := report.RenderCheckRun(ds, prTarget())
	t.Logf("check run summary %d bytes, text %d bytes", len(out.Summary), len(out.Text))
	assert.LessOrEqual(t, len(out.Summary), 65535)
	assert.LessOrEqual(t, len(out.Text), 65535)
	assert.LessOrEqual(t, len([]rune(out.Title)), 255)
	assertWellFormed(t, out.Text)
	assert.Contains(t, out.Text, "100 more refused packages not shown")
	assert.Contains(t, out.Summary, "100 more refused packages not shown")
	assert.Contains(t, out.Text, "[Workflow run](", "the footer survives")
}

func TestAdversarialLogIsQuotedSafely(t *testing.T) {
	d := packageAccess()
	evil := []string{
		"```\n## injected heading\n```",
		"# heading",
		"1. numbered",
		"</details><img src=x onerror=alert(1)>",
		"@everyone @acme/admins please look",
		"docker login -u bot -p hunter2 ghcr.io",
		"Authorization: Bearer abcdefghijklmnop",
		strings.Repeat("z", 10*1024),
	}
	for i, e := range evil {
		d.Findings = append(d.Findings, buildFinding(100+i, e, "denied"))
		d.Causes[0].Evidence = append(d.Causes[0].Evidence, "Log: `"+e+"`")
		d.Checks = append(d.Checks, diagnose.Check{Name: e, Status: diagnose.CheckFailed, Detail: e})
	}
	body := report.RenderComment(diagnoses(d), prTarget())
	assertWellFormed(t, body)
	assert.NotContains(t, body, "hunter2")
	assert.NotContains(t, body, "abcdefghijklmnop")
	assert.NotContains(t, body, "@everyone")
	assert.NotContains(t, body, "@acme/admins")
	assert.NotContains(t, body, "\n## injected heading", "a quoted line never becomes a heading")
	assert.NotContains(t, body, strings.Repeat("z", 2001), "long lines are cut")
	assert.Equal(t, 0, strings.Count(outsideCode(body), "<img"), "no HTML outside code")
	assert.Equal(t, 0, strings.Count(outsideCode(body), "</details>"), "only our own details are closed")
	assert.NotContains(t, body, "\n- ```", "a list item never opens a fence")
}

// outsideCode drops fenced blocks and inline code spans, leaving what GitHub
// would parse as Markdown and HTML.
func outsideCode(md string) string {
	var kept []string
	fence := ""
	for _, line := range strings.Split(md, "\n") {
		run := leadingRun(line)
		switch {
		case fence == "" && len(run) >= 3:
			fence = run
		case fence != "":
			if len(run) >= len(fence) && strings.TrimSpace(line) == run {
				fence = ""
			}
		default:
			kept = append(kept, dropCodeSpans(line))
		}
	}
	return strings.Join(kept, "\n")
}

func dropCodeSpans(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '`' {
			b.WriteByte(s[i])
			i++
			continue
		}
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		closing := strings.Index(s[i+n:], strings.Repeat("`", n))
		for closing >= 0 && i+n+closing+n < len(s) && s[i+n+closing+n] == '`' {
			next := strings.Index(s[i+n+closing+n:], strings.Repeat("`", n))
			if next < 0 {
				closing = -1
				break
			}
			closing += n + next
		}
		if closing < 0 {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		i += n + closing + n
	}
	return b.String()
}
