package action

import (
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// GitHub shows at most ten annotations of each level for a step.
const maxPerLevel = 10

// Bounds of an annotation's texts, as for the App's check run.
const (
	maxTitle   = 255
	maxMessage = 4000
)

// Annotations are the marks the step puts on the workflow file. For each
// package the report lists, one error (a warning when the diagnosis only
// says a log could not be read) on the line that matters (the line
// its diagnosis marks as failing, else the first line it marks, else the
// workflow file as a whole) says the cause and the fix; the diagnosis's
// other marks follow at their own level (a notice such as "packages: write
// is already granted"). Texts come from logs and workflow files, so each
// is made one plain line without secrets or mentions first.
func Annotations(ds []diagnose.Diagnosis, t report.Target) []Annotation {
	listed, _ := report.ReportedPackages(ds)
	var out []Annotation
	seen := map[Annotation]bool{}
	count := map[string]int{}
	add := func(a Annotation) {
		if seen[a] || count[a.Level] >= maxPerLevel {
			return
		}
		seen[a] = true
		count[a.Level]++
		out = append(out, a)
	}
	for _, d := range listed {
		marks := d.Annotations
		main := Annotation{Level: "error", File: t.Run.Path, Title: findingTitle(d), Message: causeMessage(d)}
		if len(d.Findings) == 0 {
			// Not a refused push: a log that could not be read.
			main.Level = "warning"
		}
		if i := mainMark(marks); i >= 0 {
			main.File, main.Line = markPath(marks[i], t), max(marks[i].Line, 1)
			marks = append(append([]diagnose.Annotation(nil), marks[:i]...), marks[i+1:]...)
		}
		add(main)
		for _, m := range marks {
			a := Annotation{Level: levelOf(m.Level), File: markPath(m, t), Line: max(m.Line, 1),
				Title: markdown.Plain(m.Title, maxTitle), Message: markdown.Plain(m.Message, maxMessage)}
			if a.Message == "" {
				a.Message = a.Title
			}
			add(a)
		}
	}
	return out
}

// mainMark is the index of the mark the error goes on: the first failing
// one, else the first; -1 when there is none.
func mainMark(marks []diagnose.Annotation) int {
	for i, m := range marks {
		if m.Level == "failure" {
			return i
		}
	}
	if len(marks) > 0 {
		return 0
	}
	return -1
}

func markPath(m diagnose.Annotation, t report.Target) string {
	if p := strings.TrimPrefix(m.Path, "./"); p != "" {
		return p
	}
	return t.Run.Path
}

// levelOf maps a check run's annotation level to a workflow command.
func levelOf(level string) string {
	switch level {
	case "failure":
		return "error"
	case "notice":
		return "notice"
	}
	return "warning"
}

func findingTitle(d diagnose.Diagnosis) string {
	if p := d.Package.Display(); p != "" {
		return markdown.Plain("ghcr-doctor: cannot push "+p, maxTitle)
	}
	return "ghcr-doctor"
}

// causeMessage is the cause and, on a line of its own, the fix.
func causeMessage(d diagnose.Diagnosis) string {
	c := d.Primary()
	msg := markdown.Plain(c.Summary, maxMessage/2)
	if fix := markdown.Plain(c.Fix.Summary, maxMessage/2); fix != "" {
		msg += "\nFix: " + fix
	}
	return msg
}
