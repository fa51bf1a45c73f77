package preflightcheck

import (
	"fmt"
	"path"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
	"github.com/ghcr-doctor/ghcr-doctor/internal/repoconfig"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// CheckRunName is the preflight check run's name.
const CheckRunName = "ghcr-doctor preflight"

// Limits that keep the check run within GitHub's 65,535 characters.
const (
	maxRows       = 200
	maxSections   = 40
	maxNameRunes  = 100
	maxReasonRune = 1000
	maxTitleRunes = 255
	maxMessage    = 4000
)

// Suggestion says how a result's fix was offered on the pull request.
type Suggestion int

// How a result's fix was offered.
const (
	// NotSuggested: no review comment (a push, or no edit to suggest).
	NotSuggested Suggestion = iota
	// Suggested: a review comment carries the fix as a suggested change.
	Suggested
	// OutsideDiff: the lines to change are not in the pull request's diff,
	// where GitHub allows no review comment; the annotation shows the fix.
	OutsideDiff
)

// JobResult is one job's result and how its fix was offered.
type JobResult struct {
	preflight.Result
	Suggestion Suggestion
}

// Unreadable is a workflow file the analysis could not read.
type Unreadable struct {
	Path   string
	Reason string
}

// CheckRunContent is everything the check run shows.
type CheckRunContent struct {
	HeadSHA    string
	Files      int
	Jobs       []JobResult
	Unreadable []Unreadable
	// ConfigErr is a broken .github/ghcr-doctor.yml, reported and otherwise ignored.
	ConfigErr error
	// SettingsUnknown explains the default workflow permissions that could not be read.
	SettingsUnknown []string
}

// AtRisk counts the findings whose jobs would be refused.
func (o CheckRunContent) AtRisk() int {
	n := 0
	for _, f := range o.Jobs {
		if f.Verdict.AtRisk() {
			n++
		}
	}
	return n
}

// conclusion is success when no job is at risk, otherwise the repository's
// choice: action_required (the default) or neutral.
func (o CheckRunContent) conclusion(cfg repoconfig.Preflight) string {
	if o.AtRisk() == 0 {
		return report.ConclusionSuccess
	}
	if cfg.Conclusion == repoconfig.ConclusionNeutral {
		return repoconfig.ConclusionNeutral
	}
	return report.ConclusionAction
}

// verdictLabels name each verdict in the summary.
var verdictLabels = map[preflight.Verdict]string{
	preflight.MissingPackagesWrite: "⛔ refused: the token cannot write packages",
	preflight.UppercaseName:        "⛔ refused: upper case in the package name",
	preflight.NamespaceMismatch:    "⛔ refused: another owner's namespace",
	preflight.ForkPRPush:           "⛔ refused on pull requests from forks",
	preflight.Dependabot:           "⛔ refused on Dependabot's runs",
	preflight.PATLogin:             "ℹ️ a personal token: its scopes are unknown",
	preflight.OK:                   "✅ ok",
	preflight.Unknown:              "❔ unknown",
}

func verdictLabel(v preflight.Verdict) string {
	if l, ok := verdictLabels[v]; ok {
		return l
	}
	return string(v)
}

// shown reports whether the summary lists the finding: every job that
// publishes or may publish.
func shown(f JobResult) bool { return f.Verdict != preflight.NotPublishing }

// render builds the completed check run's output.
func render(o CheckRunContent) report.CheckRunRequestOutput {
	return report.CheckRunRequestOutput{Title: title(o), Summary: summary(o), Annotations: annotations(o)}
}

func title(o CheckRunContent) string {
	switch n := o.AtRisk(); n {
	case 0:
		return "No publishing job is at risk"
	case 1:
		return "1 publishing job would be refused by GitHub Packages"
	default:
		return fmt.Sprintf("%d publishing jobs would be refused by GitHub Packages", n)
	}
}

func summary(o CheckRunContent) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ghcr-doctor read %d workflow file(s) at %s and predicts, before they run, whether their jobs may publish to GitHub Packages.\n\n",
		o.Files, markdown.Code(short(o.HeadSHA), 0))
	if o.ConfigErr != nil {
		fmt.Fprintf(&b, "> [!WARNING]\n> The repository's %s is broken, so the defaults apply: %s\n\n", markdown.Code(repoconfig.Path, 0), markdown.Text(o.ConfigErr.Error(), maxReasonRune))
	}
	for _, u := range o.SettingsUnknown {
		fmt.Fprintf(&b, "- Unknown: %s\n", markdown.Text(u, maxReasonRune))
	}
	for _, u := range o.Unreadable {
		fmt.Fprintf(&b, "- %s could not be analysed: %s\n", markdown.Code(u.Path, maxNameRunes), markdown.Text(u.Reason, maxReasonRune))
	}
	var rows []JobResult
	for _, f := range o.Jobs {
		if shown(f) {
			rows = append(rows, f)
		}
	}
	if len(rows) == 0 {
		b.WriteString("\nNo job publishes to GitHub Packages.\n")
		return b.String()
	}
	b.WriteString("\n| workflow | job | publishes to | verdict |\n| --- | --- | --- | --- |\n")
	for i, f := range rows {
		if i == maxRows {
			fmt.Fprintf(&b, "\n…and %d more jobs, not listed.\n", len(rows)-maxRows)
			break
		}
		where := markdown.CodeCell(path.Base(f.File), maxNameRunes)
		if f.Line > 0 {
			where += fmt.Sprintf(" line %d", f.Line)
		}
		hosts := "unknown"
		if len(f.PublishesTo) > 0 {
			hosts = markdown.TextCell(strings.Join(f.PublishesTo, ", "), maxNameRunes)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", where, markdown.CodeCell(f.Job, maxNameRunes), hosts, verdictLabel(f.Verdict))
	}
	sections := 0
	for _, f := range rows {
		if !f.Verdict.AtRisk() && f.Verdict != preflight.PATLogin && f.Verdict != preflight.Unknown {
			continue
		}
		if sections == maxSections {
			b.WriteString("\nThe annotations show the remaining jobs.\n")
			break
		}
		sections++
		fmt.Fprintf(&b, "\n### %s in %s\n\n", markdown.Code(f.Job, maxNameRunes), markdown.Code(f.File, maxNameRunes))
		if f.Reason != "" {
			b.WriteString(markdown.Text(f.Reason, maxReasonRune) + "\n\n")
		}
		if f.Fix != "" {
			b.WriteString("**Fix:** " + markdown.Text(f.Fix, maxReasonRune) + "\n\n")
		}
		switch f.Suggestion {
		case Suggested:
			b.WriteString("The review comment on this line suggests the change: commit it from the pull request.\n")
		case OutsideDiff:
			b.WriteString("The line to change is outside this pull request's diff, where GitHub allows no review comment: the annotation shows the fix.\n")
		}
	}
	return b.String()
}

// annotations mark each line that matters, one per problem of each job
// (a job can lack packages: write and name an upper-case image): a
// failure for a problem that gets the job refused, a notice for a personal
// token or what cannot be known.
func annotations(o CheckRunContent) []diagnose.Annotation {
	var out []diagnose.Annotation
	for _, j := range o.Jobs {
		problems := j.Problems
		if len(problems) == 0 {
			problems = []preflight.Problem{{Verdict: j.Verdict, Line: j.Line, Reason: j.Reason, Fix: j.Fix}}
		}
		seen := map[string]bool{}
		for _, p := range problems {
			a, ok := annotation(j.File, j.Job, p)
			key := fmt.Sprintf("%d\x00%s", a.Line, p.Verdict)
			if !ok || seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, a)
		}
	}
	return out
}

func annotation(file, job string, p preflight.Problem) (diagnose.Annotation, bool) {
	level := ""
	switch {
	case p.Verdict.AtRisk():
		level = "failure"
	case p.Verdict == preflight.PATLogin, p.Verdict == preflight.Unknown:
		level = "notice"
	default:
		return diagnose.Annotation{}, false
	}
	msg := p.Reason
	if p.Fix != "" {
		msg += " Fix: " + p.Fix
	}
	return diagnose.Annotation{
		Path:    file,
		Line:    max(p.Line, 1),
		Level:   level,
		Title:   markdown.Plain("job "+job+": "+verdictLabel(p.Verdict), maxTitleRunes),
		Message: markdown.Plain(msg, maxMessage),
	}, true
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
