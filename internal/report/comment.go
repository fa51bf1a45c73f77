package report

import (
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
)

// rendered is a body with its marker.
type rendered struct {
	body   string
	marker Marker
}

// RenderComment renders the pull-request comment for the diagnoses of one
// failed run: one report listing every refused package (at most
// MaxPackages) with its own cause and fix. Its marker carries the key of
// the run's first pull request; Publisher renders one per pull request.
func RenderComment(ds []diagnose.Diagnosis, t Target) string {
	pr := 0
	if len(t.Run.PullRequests) > 0 {
		pr = t.Run.PullRequests[0]
	}
	return renderComment(ds, t, pr).body
}

func renderComment(ds []diagnose.Diagnosis, t Target, pr int) rendered {
	return renderReport(ds, t, CommentKey(t, pr), style{heading: "##", commandsOn: "pull request"})
}

// RenderIssue renders the tracking issue for the diagnoses of a push run.
func RenderIssue(ds []diagnose.Diagnosis, t Target) (title, body string) {
	return issueTitle(ds, t), renderIssue(ds, t).body
}

func renderIssue(ds []diagnose.Diagnosis, t Target) rendered {
	return renderReport(ds, t, IssueKey(t), style{heading: "##", commandsOn: "issue"})
}

// issueTitle is "ghcr-doctor: cannot push ghcr.io/acme/app from main
// (release.yml)", or "… cannot push ghcr.io/acme/api and 1 more package …".
func issueTitle(ds []diagnose.Diagnosis, t Target) string {
	title := "ghcr-doctor: cannot push a GitHub Packages package"
	if len(ds) > 0 {
		title = "ghcr-doctor: cannot push " + ds[0].Package.Display()
	}
	if more := len(ds) - 1; more > 0 {
		title += fmt.Sprintf(" and %d more %s", more, plural(more, "package", "packages"))
	}
	if t.Run.HeadBranch != "" {
		title += " from " + t.Run.HeadBranch
	}
	if wf := t.workflowName(); wf != "" {
		title += fmt.Sprintf(" (%s)", wf)
	}
	return markdown.Plain(title, maxIssueTitle)
}

// renderReport renders the fullest report that fits GitHub's limit:
// marker, content and footer. The content hash covers only the content.
func renderReport(ds []diagnose.Diagnosis, t Target, key string, st style) rendered {
	listed, _ := ReportedPackages(ds)
	foot := footer(t, listed...)
	assemble := func(content string, listed []diagnose.Diagnosis, omitted int) rendered {
		m := Marker{
			Key:      shortHash(key),
			Workflow: t.Run.Path,
			State:    StateOpen,
			Hash:     shortHash(StateOpen, content),
			Run:      t.Run.ID,
			Packages: packageCauses(listed),
			Omitted:  omitted,
		}
		if len(listed) > 0 {
			m.Cause = primary(listed[0]).ID
		}
		return rendered{body: m.String() + "\n" + withFooter(content, foot), marker: m}
	}
	return assemble(fitReport(ds, t, st, func(content string, listed []diagnose.Diagnosis, omitted int) int {
		return len(assemble(content, listed, omitted).body)
	}))
}

// fitReport renders the fullest report content (see renderReportContent)
// whose size, as measured, stays within GitHub's limit: it steps down in
// detail first; when even the least detail is too long, it leaves out
// packages from the end, which the content then says. It returns the
// content, the packages it lists and how many it leaves out.
func fitReport(ds []diagnose.Diagnosis, t Target, st style, size func(content string, listed []diagnose.Diagnosis, omitted int) int) (string, []diagnose.Diagnosis, int) {
	listed, omitted := ReportedPackages(ds)
	var content string
	for _, lvl := range detailLevels {
		content = renderReportContent(listed, omitted, t, lvl, st, maxBody)
		if size(content, listed, omitted) <= maxBody {
			return content, listed, omitted
		}
	}
	// The most packages that fit at the least detail, found by bisection:
	// one fits by assumption (a single diagnosis at the least detail is
	// far below the limit); more packages never make the report shorter.
	if len(listed) <= 1 {
		return content, listed, omitted
	}
	minimal := detailLevels[len(detailLevels)-1]
	render := func(n int) (string, int) {
		dropped := omitted + len(listed) - n
		return renderReportContent(listed[:n], dropped, t, minimal, st, maxBody), dropped
	}
	fits, tooMany := 1, len(listed)
	for tooMany-fits > 1 {
		mid := (fits + tooMany) / 2
		if c, dropped := render(mid); size(c, listed[:mid], dropped) <= maxBody {
			fits = mid
		} else {
			tooMany = mid
		}
	}
	content, dropped := render(fits)
	return content, listed[:fits], dropped
}

// packageCauses are the packages a marker remembers, for the note that
// says what was resolved.
func packageCauses(ds []diagnose.Diagnosis) []PackageCause {
	out := make([]PackageCause, 0, len(ds))
	for _, d := range ds {
		out = append(out, PackageCause{Package: markdown.Truncate(d.Package.Display(), maxMarkedPackage), Cause: primary(d).ID})
	}
	return out
}
