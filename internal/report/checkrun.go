package report

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
)

// Check run names, conclusions and action identifiers.
const (
	CheckRunName        = "ghcr-doctor"
	ConclusionAction    = "action_required"
	ConclusionSuccess   = "success"
	ActionFixID         = "ghcr-fix"
	ActionRecheckID     = "ghcr-recheck"
	maxActions          = 3
	maxActionLabel      = 20
	maxActionIdentifier = 20
	maxActionDesc       = 40
	maxAnnotationTitle  = 255
	maxAnnotationText   = 4000
)

// CheckRunOutput is what a check run shows.
type CheckRunOutput struct {
	Title       string
	Summary     string
	Text        string
	Annotations []diagnose.Annotation
	Conclusion  string
	Actions     []CheckRunAction
}

// CheckRunAction is a button on a check run; clicking it sends a
// check_run "requested_action" event with the identifier.
type CheckRunAction struct {
	Label       string // at most 20 characters
	Identifier  string // at most 20 characters
	Description string // at most 40 characters
}

// RenderCheckRun renders the check run for the diagnoses of one failed run:
// the title names the first cause, the summary gives each package's cause
// and fix, the text the full detail.
func RenderCheckRun(ds []diagnose.Diagnosis, t Target) CheckRunOutput {
	return renderCheckRun(ds, t).output
}

type renderedCheckRun struct {
	output CheckRunOutput
	marker Marker
}

// renderCheckRun renders the check run of the workflow on the commit. Like
// the comment, it lists at most MaxPackages packages and says how many it
// leaves out; only their annotations are sent.
func renderCheckRun(ds []diagnose.Diagnosis, t Target) renderedCheckRun {
	listed, omitted := ReportedPackages(ds)
	out := CheckRunOutput{
		Title:       checkRunTitle(ds, t),
		Text:        checkRunText(ds, t),
		Annotations: checkRunAnnotations(listed, t),
		Conclusion:  ConclusionAction,
		Actions:     checkRunActions(listed),
	}
	summary := checkRunSummary(listed, omitted, t)
	m := Marker{
		Key:         shortHash(checkRunKey(t)),
		Workflow:    t.Run.Path,
		State:       StateOpen,
		Hash:        shortHash(StateOpen, out.Title, summary, stripFooter(out.Text), actionsKey(out.Actions)),
		Run:         t.Run.ID,
		Packages:    packageCauses(listed),
		Omitted:     omitted,
		Annotations: annotationsHash(out.Annotations),
	}
	if len(listed) > 0 {
		m.Cause = primary(listed[0]).ID
	}
	out.Summary = m.String() + "\n" + summary
	return renderedCheckRun{output: out, marker: m}
}

// RenderCheckRunResolved renders the check run once a later run of the
// workflow on the same commit succeeded.
func RenderCheckRunResolved(t Target) CheckRunOutput {
	return renderCheckRunResolved(t, Marker{}).output
}

func renderCheckRunResolved(t Target, prev Marker) renderedCheckRun {
	content := "The GitHub Packages push works again: " + successSentence(t) + ".\n"
	if problems := resolvedProblems(prev); problems != "" {
		content += "\n" + problems
	}
	m := Marker{
		Key:      shortHash(checkRunKey(t)),
		Workflow: t.Run.Path,
		Package:  prev.Package,
		State:    StateResolved,
		Hash:     shortHash(StateResolved, content),
		Run:      t.Run.ID,
		Cause:    prev.Cause,
		Packages: prev.Packages,
		Omitted:  prev.Omitted,
		// The old annotations stay on the check run; remembering them
		// avoids sending them twice should the push fail again.
		Annotations: prev.Annotations,
	}
	return renderedCheckRun{
		output: CheckRunOutput{
			Title:      "Resolved: the GitHub Packages push works again",
			Summary:    m.String() + "\n" + content,
			Conclusion: ConclusionSuccess,
		},
		marker: m,
	}
}

func checkRunTitle(ds []diagnose.Diagnosis, t Target) string {
	if len(ds) == 0 {
		return "GitHub Packages push refused"
	}
	title := causeTitle(ds[0], t)
	suffix := ""
	if len(ds) > 1 {
		suffix = fmt.Sprintf(" (+%d more %s)", len(ds)-1, plural(len(ds)-1, "package", "packages"))
	}
	return markdown.Plain(title, maxCheckRunTitle-len([]rune(suffix))) + suffix
}

// checkRunSummary gives each listed package's cause and fix, as much as
// fits, and says how many packages the check run leaves out.
func checkRunSummary(ds []diagnose.Diagnosis, omitted int, t Target) string {
	const budget = maxBody
	for _, text := range []int{2000, 500, 200} {
		var b strings.Builder
		writeWarnings(&b, t, text)
		for i, d := range ds {
			part := summaryPart(d, text, t)
			if b.Len()+len(part) > budget {
				fmt.Fprintf(&b, "_…and %d more %s; see the details below._\n", len(ds)-i, plural(len(ds)-i, "package", "packages"))
				break
			}
			b.WriteString(part)
		}
		b.WriteString(omittedStatement(omitted))
		if b.Len() <= budget || text == 200 {
			return b.String()
		}
	}
	return ""
}

func writeWarnings(b *strings.Builder, t Target, text int) {
	ws, _ := capped(t.Warnings, 5)
	if len(ws) == 0 {
		return
	}
	lines := make([]string, len(ws))
	for i, w := range ws {
		lines[i] = markdown.Inline(w, text)
	}
	b.WriteString(quoteBlock("WARNING", lines))
}

func summaryPart(d diagnose.Diagnosis, text int, t Target) string {
	c := primary(d)
	s := fmt.Sprintf("%s: **%s** (confidence: %s)\n\n", markdown.Code(d.Package.Display(), 300),
		strings.TrimSpace(markdown.Inline(c.Summary, text)), markdown.Inline(string(c.Confidence), 20))
	if c.Fix.Summary != "" {
		s += "**Fix:** " + markdown.Inline(c.Fix.Summary, text) + "\n\n"
	}
	if pr := c.Fix.PullRequest; pr != nil {
		s += "**Fix proposed in** " + t.site().Link(pr.Text, pr.URL) + "\n\n"
	}
	return s
}

// checkRunText is the report the comment gives, without the commands
// (the check run has buttons): every listed package in as much detail as
// fits, and how many packages it leaves out.
func checkRunText(ds []diagnose.Diagnosis, t Target) string {
	listed, _ := ReportedPackages(ds)
	foot := footer(t, listed...)
	content, _, _ := fitReport(ds, t, style{heading: "##"}, func(content string, _ []diagnose.Diagnosis, _ int) int {
		return len(content) + len(foot)
	})
	return withFooter(content, foot)
}

// stripFooter drops the run-specific footer before hashing.
func stripFooter(text string) string {
	if i := strings.LastIndex(text, footerRule+"<sub>"); i >= 0 {
		return text[:i]
	}
	return text
}

// checkRunAnnotations are the diagnoses' annotations, without duplicates,
// made safe and valid for the Checks API.
func checkRunAnnotations(ds []diagnose.Diagnosis, t Target) []diagnose.Annotation {
	seen := map[diagnose.Annotation]bool{}
	var out []diagnose.Annotation
	for _, d := range ds {
		for _, a := range d.Annotations {
			a.Path = strings.TrimPrefix(a.Path, "./")
			if a.Path == "" {
				a.Path = t.Run.Path
			}
			if a.Path == "" {
				continue
			}
			a.Line = max(a.Line, 1)
			switch a.Level {
			case "notice", "warning", "failure":
			default:
				a.Level = "warning"
			}
			a.Title = markdown.Plain(a.Title, maxAnnotationTitle)
			a.Message = markdown.Plain(a.Message, maxAnnotationText)
			if a.Message == "" {
				a.Message = a.Title
			}
			if seen[a] {
				continue
			}
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

func annotationsHash(as []diagnose.Annotation) string {
	if len(as) == 0 {
		return ""
	}
	parts := make([]string, 0, len(as))
	for _, a := range as {
		parts = append(parts, fmt.Sprintf("%s\x01%d\x01%s\x01%s\x01%s", a.Path, a.Line, a.Level, a.Title, a.Message))
	}
	return shortHash(parts...)
}

// checkRunActions offers "Fix" when ghcr-doctor can apply a fix for one of
// the diagnoses, and always "Recheck".
func checkRunActions(ds []diagnose.Diagnosis) []CheckRunAction {
	var as []CheckRunAction
	for _, d := range ds {
		if fixable(primary(d).Fix.Kind) {
			as = append(as, CheckRunAction{Label: "Fix", Identifier: ActionFixID, Description: "Let ghcr-doctor apply the fix"})
			break
		}
	}
	as = append(as, CheckRunAction{Label: "Recheck", Identifier: ActionRecheckID, Description: "Diagnose this run again"})
	return as[:min(len(as), maxActions)]
}

func actionsKey(as []CheckRunAction) string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.Identifier
	}
	return strings.Join(ids, ",")
}
