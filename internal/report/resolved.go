package report

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
)

// RenderResolved renders the body that replaces a comment once a later run
// of the same workflow on the same branch succeeded. It keeps a short note
// of what the problems were, taken from the previous marker.
func RenderResolved(prev Marker, t Target) string {
	content := resolvedContent(prev, t)
	m := prev
	m.State = StateResolved
	m.Hash = shortHash(StateResolved, content)
	m.Run = t.Run.ID
	if m.Workflow == "" {
		m.Workflow = t.Run.Path
	}
	return m.String() + "\n" + withFooter(content, footer(t))
}

func resolvedContent(prev Marker, t Target) string {
	subject := "The GitHub Packages push works"
	switch {
	case len(prev.Packages) > 1 || prev.Omitted > 0:
		subject = "The GitHub Packages pushes work"
	case len(prev.Packages) == 1 && prev.Packages[0].Package != "":
		subject = markdown.Code(prev.Packages[0].Package, 300) + " works"
	case prev.Package != "":
		subject = markdown.Code(prev.Package, 300) + " works"
	}
	content := fmt.Sprintf("## ✅ ghcr-doctor: resolved\n\n%s again: %s.\n\n", subject, successSentence(t))
	return content + resolvedProblems(prev)
}

// resolvedProblems says what the problems were, from the previous marker:
// one sentence for one package, a ticked checklist for several.
func resolvedProblems(prev Marker) string {
	if len(prev.Packages) <= 1 && prev.Omitted == 0 {
		cause := prev.Cause
		if len(prev.Packages) == 1 {
			cause = prev.Packages[0].Cause
		}
		if cause == "" {
			return ""
		}
		return fmt.Sprintf("The problem was: %s (%s).\n", markdown.Inline(causeLabel(cause), 100), markdown.Code(string(cause), 60))
	}
	var b strings.Builder
	b.WriteString("The problems were:\n\n")
	for _, pc := range prev.Packages {
		fmt.Fprintf(&b, "- [x] %s: %s (%s)\n", markdown.Code(pc.Package, maxMarkedPackage), markdown.Inline(causeLabel(pc.Cause), 100), markdown.Code(string(pc.Cause), 60))
	}
	if prev.Omitted > 0 {
		fmt.Fprintf(&b, "\n_…and %d more %s._\n", prev.Omitted, plural(prev.Omitted, "package", "packages"))
	}
	return b.String()
}

// successSentence says which run succeeded, linking it when possible.
func successSentence(t Target) string {
	run := "a later run"
	if t.Run.HTMLURL != "" {
		run = t.site().Link("a later run", t.Run.HTMLURL)
	}
	s := run
	if t.Run.Path != "" {
		s += " of " + markdown.Code(t.Run.Path, 300)
	}
	if t.Run.HeadBranch != "" {
		s += " on " + markdown.Code(t.Run.HeadBranch, 200)
	}
	return s + " succeeded"
}

// resolvedIssueComment is the comment posted on a tracking issue before it is closed.
func resolvedIssueComment(t Target) string {
	return "✅ Resolved: " + successSentence(t) + ". Closing this issue; ghcr-doctor reopens it if the push fails again.\n"
}
