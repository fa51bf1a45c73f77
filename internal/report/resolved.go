package report

import (
	"fmt"
	"strings"
)

// RenderResolved renders the body that replaces a comment once a later run
// of the same workflow on the same branch succeeded. It keeps a short note
// of what the problem was, taken from the previous marker.
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
	var b strings.Builder
	pkg := "The GitHub Packages push"
	if prev.Package != "" {
		pkg = Code(prev.Package, 300)
	}
	fmt.Fprintf(&b, "## ✅ ghcr-doctor: resolved\n\n%s works again: %s.\n\n", pkg, successSentence(t))
	if prev.Cause != "" {
		fmt.Fprintf(&b, "The problem was: %s (%s).\n", Inline(causeLabel(prev.Cause), 100), Code(string(prev.Cause), 60))
	}
	return b.String()
}

// successSentence says which run succeeded, linking it when possible.
func successSentence(t Target) string {
	run := "a later run"
	if t.Run.HTMLURL != "" {
		run = link("a later run", t.Run.HTMLURL)
	}
	s := run
	if t.Run.Path != "" {
		s += " of " + Code(t.Run.Path, 300)
	}
	if t.Run.HeadBranch != "" {
		s += " on " + Code(t.Run.HeadBranch, 200)
	}
	return s + " succeeded"
}

// resolvedIssueComment is the comment posted on a tracking issue before it is closed.
func resolvedIssueComment(t Target) string {
	return "✅ Resolved: " + successSentence(t) + ". Closing this issue; ghcr-doctor reopens it if the push fails again.\n"
}
