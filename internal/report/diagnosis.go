package report

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

// style says where a rendered diagnosis goes.
type style struct {
	// heading is the Markdown heading prefix of the diagnosis ("##").
	heading string
	// commandsOn names what people comment on to use commands ("pull
	// request", "issue"); empty leaves the commands out (check runs have buttons).
	commandsOn string
	// section renders the diagnosis as one package's section of a report
	// about several: headed by the package alone, and without what the
	// report says once for all of them (warnings, commands, the note that
	// parts were shortened).
	section bool
}

// renderDiagnosis renders the content of one diagnosis (no marker, no
// footer) at the given detail. Its output depends only on the diagnosis and
// the stable parts of the target, never on the run's id, so it can be hashed.
func renderDiagnosis(d diagnose.Diagnosis, t Target, lvl detail, st style) string {
	r := &diagnosisWriter{d: d, t: t, lvl: lvl, st: st, sub: st.heading + "#"}
	r.heading()
	r.cause()
	if !st.section {
		r.b.WriteString(warningsBlock(t.Warnings, lvl))
	}
	if !lvl.minimal {
		r.checks()
		r.evidence()
		r.logLines()
	}
	r.fix()
	if !lvl.minimal {
		r.otherCauses()
		r.unknowns()
	}
	if !st.section {
		r.b.WriteString(commandsBlock(r.sub, st.commandsOn, []diagnose.Fix{primary(d).Fix}))
		r.b.WriteString(shortenedNote(lvl))
	}
	return r.b.String()
}

type diagnosisWriter struct {
	d   diagnose.Diagnosis
	t   Target
	lvl detail
	st  style
	sub string
	b   strings.Builder
}

func (r *diagnosisWriter) printf(format string, args ...any) { fmt.Fprintf(&r.b, format, args...) }

func (r *diagnosisWriter) more(n int, what string) {
	if n > 0 {
		r.printf("_…and %d more %s._\n\n", n, what)
	}
}

func (r *diagnosisWriter) heading() {
	if r.st.section {
		r.printf("%s %s\n\n", r.st.heading, packageCode(r.d, r.lvl.line))
		return
	}
	pkg := "a GitHub Packages push"
	if p := r.d.Package.Display(); p != "" {
		pkg = markdown.Code(p, r.lvl.line)
	}
	r.printf("%s ghcr-doctor: %s was refused\n\n", r.st.heading, pkg)
}

// packageCode names the package of a diagnosis as a code span, or says
// that the log did not name it.
func packageCode(d diagnose.Diagnosis, max int) string {
	if p := d.Package.Display(); p != "" {
		return markdown.Code(p, max)
	}
	return "a package the log does not name"
}

// shortenedNote says that parts were cut to fit, when they were.
func shortenedNote(lvl detail) string {
	if !lvl.shortened {
		return ""
	}
	return quoteBlock("NOTE", []string{"Parts of this report were left out or shortened to stay within GitHub's size limit."})
}

func (r *diagnosisWriter) cause() {
	c := primary(r.d)
	r.printf("**%s** (confidence: %s)\n\n", strings.TrimSpace(markdown.Inline(c.Summary, r.lvl.text)), markdown.Inline(string(c.Confidence), 20))
	var where []string
	if r.t.Run.Path != "" {
		where = append(where, "Workflow "+markdown.Code(r.t.Run.Path, 300))
	}
	if job := r.firstJob(); job != "" {
		where = append(where, "job "+markdown.Code(job, 300))
	}
	if len(where) > 0 {
		r.printf("%s.", strings.Join(where, ", "))
		if c.Fix.Summary != "" {
			r.b.WriteString(" ")
		}
	}
	if c.Fix.Summary != "" {
		r.printf("**Fix:** %s", markdown.Inline(c.Fix.Summary, r.lvl.text))
	}
	r.b.WriteString("\n\n")
}

// firstJob is the job the first finding is in.
func (r *diagnosisWriter) firstJob() string {
	for _, f := range r.d.Findings {
		if f.File != "" {
			return f.File
		}
	}
	return ""
}

// warningsBlock renders the target's warnings as one alert, or nothing.
func warningsBlock(warnings []string, lvl detail) string {
	ws, _ := capped(warnings, lvl.items)
	if len(ws) == 0 {
		return ""
	}
	lines := make([]string, len(ws))
	for i, w := range ws {
		lines[i] = markdown.Inline(w, lvl.text)
	}
	return quoteBlock("WARNING", lines)
}

func checkIcon(s diagnose.CheckStatus) string {
	switch s {
	case diagnose.CheckOK:
		return "✅"
	case diagnose.CheckFailed:
		return "❌"
	}
	return "❔"
}

func (r *diagnosisWriter) checks() {
	rows, rest := capped(r.d.Checks, r.lvl.checks)
	if len(rows) == 0 {
		return
	}
	r.printf("%s Checks\n\n| Check | Result | Details |\n| --- | :---: | --- |\n", r.sub)
	for _, c := range rows {
		r.printf("| %s | %s | %s |\n", markdown.InlineCell(c.Name, r.lvl.text), checkIcon(c.Status), markdown.InlineCell(c.Detail, r.lvl.text))
	}
	r.b.WriteString("\n")
	r.more(rest, plural(rest, "check", "checks"))
}

func (r *diagnosisWriter) evidence() {
	items, rest := capped(primary(r.d).Evidence, r.lvl.items)
	if len(items) == 0 {
		return
	}
	r.printf("%s Evidence\n\n", r.sub)
	for _, e := range items {
		r.printf("- %s\n", markdown.Inline(e, r.lvl.text))
	}
	r.b.WriteString("\n")
	r.more(rest, plural(rest, "item", "items"))
}

// logLines quotes the log lines of the findings, grouped by job and step.
func (r *diagnosisWriter) logLines() {
	var quoted []scan.Finding
	for _, f := range r.d.Findings {
		if strings.TrimSpace(f.Text) != "" {
			quoted = append(quoted, f)
		}
	}
	shown, rest := capped(quoted, r.lvl.findings)
	if len(shown) == 0 {
		return
	}
	r.printf("%s Log\n\n", r.sub)
	for i := 0; i < len(shown); {
		j := i
		var lines []string
		var numbers []string
		for ; j < len(shown) && shown[j].File == shown[i].File && shown[j].Step == shown[i].Step; j++ {
			lines = append(lines, shown[j].Text)
			if shown[j].Line > 0 && len(numbers) < 5 {
				numbers = append(numbers, fmt.Sprint(shown[j].Line))
			}
		}
		r.b.WriteString(logHeader(shown[i], numbers))
		r.b.WriteString(markdown.Fence("text", lines, r.lvl.line))
		r.b.WriteString("\n")
		i = j
	}
	r.more(rest, plural(rest, "matching log line", "matching log lines"))
}

func logHeader(f scan.Finding, numbers []string) string {
	var parts []string
	if f.File != "" {
		parts = append(parts, "Job "+markdown.Code(f.File, 200))
	}
	if f.Step != "" {
		parts = append(parts, "step "+markdown.Code(f.Step, 200))
	}
	if len(numbers) > 0 {
		parts = append(parts, plural(len(numbers), "line ", "lines ")+strings.Join(numbers, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	header := strings.Join(parts, ", ")
	if f.Tool != "" && f.Tool != "unknown" {
		header += " (" + markdown.Inline(f.Tool, 40) + ")"
	}
	return header + ":\n\n"
}

func (r *diagnosisWriter) fix() {
	fix := primary(r.d).Fix
	steps, restSteps := capped(fix.Steps, r.lvl.items)
	links, _ := capped(fix.Links, r.lvl.items)
	if fix.Summary == "" && len(steps) == 0 && fix.Diff == "" && len(links) == 0 {
		return
	}
	r.printf("%s Fix\n\n", r.sub)
	if fix.Summary != "" {
		r.b.WriteString(markdown.Inline(fix.Summary, r.lvl.text))
		if fix.Role != "" {
			r.printf(" _Needs the %s role._", markdown.Inline(fix.Role, 40))
		}
		r.b.WriteString("\n\n")
	}
	if fix.PullRequest != nil {
		r.printf("✅ A pull request with this change is open: %s. Review and merge it, then the next run should pass.\n\n",
			r.t.site().Link(fix.PullRequest.Text, fix.PullRequest.URL))
	}
	for i, s := range steps {
		r.printf("%d. %s\n", i+1, markdown.Inline(s, r.lvl.text))
	}
	if len(steps) > 0 {
		r.b.WriteString("\n")
	}
	r.more(restSteps, plural(restSteps, "step", "steps"))
	r.diff(fix.Diff)
	if len(links) > 0 {
		rendered := make([]string, len(links))
		for i, l := range links {
			rendered[i] = r.t.site().Link(l.Text, l.URL)
		}
		r.printf("🔗 %s\n\n", strings.Join(rendered, " · "))
	}
}

func (r *diagnosisWriter) diff(diff string) {
	diff = strings.TrimRight(strings.ReplaceAll(diff, "\r\n", "\n"), "\n")
	if diff == "" {
		return
	}
	lines := strings.Split(diff, "\n")
	if r.lvl.diffLines == 0 {
		r.printf("_The workflow change (%d lines) is too long to show here; reply `/ghcr fix --dry-run` to see it._\n\n", len(lines))
		return
	}
	shown, rest := capped(lines, r.lvl.diffLines)
	r.b.WriteString(markdown.Fence("diff", shown, r.lvl.line))
	r.b.WriteString("\n")
	r.more(rest, plural(rest, "line of the change", "lines of the change"))
}

func (r *diagnosisWriter) otherCauses() {
	if len(r.d.Causes) < 2 {
		return
	}
	others, rest := capped(r.d.Causes[1:], r.lvl.others)
	if len(others) == 0 {
		r.printf("_%d other possible %s left out._\n\n", rest, plural(rest, "cause", "causes"))
		return
	}
	r.printf("<details>\n<summary>Other possible causes (%d)</summary>\n\n", len(r.d.Causes)-1)
	for _, c := range others {
		r.printf("- **%s** (confidence: %s)", strings.TrimSpace(markdown.Inline(c.Summary, r.lvl.text)), markdown.Inline(string(c.Confidence), 20))
		if c.Fix.Summary != "" {
			r.printf("<br>Fix: %s", markdown.Inline(c.Fix.Summary, r.lvl.text))
		}
		if r.lvl.otherFixes {
			links, _ := capped(c.Fix.Links, r.lvl.items)
			for _, l := range links {
				r.printf(" · %s", r.t.site().Link(l.Text, l.URL))
			}
		}
		r.b.WriteString("\n")
	}
	r.b.WriteString("\n")
	r.more(rest, plural(rest, "cause", "causes"))
	r.b.WriteString("</details>\n\n")
}

func (r *diagnosisWriter) unknowns() {
	items, rest := capped(r.d.Unknowns, r.lvl.items)
	if len(items) == 0 {
		return
	}
	r.printf("%s Could not check\n\n", r.sub)
	for _, u := range items {
		r.printf("- **%s**", markdown.Inline(u.What, r.lvl.text))
		if u.Reason != "" {
			r.printf(": %s", markdown.Text(u.Reason, r.lvl.text))
		}
		if u.Permission != "" {
			r.printf(". Grant the app the %s permission to let ghcr-doctor check it", markdown.Code(u.Permission, 80))
		}
		r.b.WriteString(".\n")
	}
	r.b.WriteString("\n")
	r.more(rest, plural(rest, "unknown", "unknowns"))
}

// footer links the run, its jobs and the workflow file. It is not part of
// the content hash: a re-run with the same diagnosis keeps the old links.
func footer(t Target, ds ...diagnose.Diagnosis) string {
	var parts []string
	if t.Run.HTMLURL != "" {
		label := "Workflow run"
		if t.Run.Attempt > 1 {
			label = fmt.Sprintf("Workflow run (attempt %d)", t.Run.Attempt)
		}
		parts = append(parts, t.site().Link(label, t.Run.HTMLURL))
	}
	for _, j := range linkedJobs(t, ds) {
		parts = append(parts, t.site().Link("job "+j.Name, j.HTMLURL))
	}
	if u := t.workflowURL(); u != "" {
		parts = append(parts, t.site().Link(t.workflowName(), u))
	}
	parts = append(parts, "ghcr-doctor")
	return footerRule + "<sub>" + strings.Join(parts, " · ") + "</sub>\n"
}

// footerRule separates the content from the footer.
const footerRule = "\n\n---\n"

// withFooter appends the footer after exactly one blank line.
func withFooter(content, foot string) string {
	return strings.TrimRight(content, "\n") + foot
}

// linkedJobs are the target's jobs that a finding of the diagnoses names.
func linkedJobs(t Target, ds []diagnose.Diagnosis) []Job {
	named := map[string]bool{}
	for _, d := range ds {
		for _, f := range d.Findings {
			named[f.File] = true
		}
	}
	var out []Job
	for _, j := range t.Jobs {
		if named[j.Name] && j.HTMLURL != "" && len(out) < maxJobLinks {
			out = append(out, j)
		}
	}
	return out
}
