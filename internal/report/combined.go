package report

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
)

// renderReportContent renders what a comment or tracking issue says about
// the refused packages of one run at one detail level, without marker and
// footer. One package reads as a single diagnosis; several read as one
// checklist: the packages with their causes, then a section per package
// with its cause, evidence, fix and links, then the commands once.
// omitted counts the refused packages left out, which the report states.
// Rendering stops early once the content is longer than limit bytes, as it
// then cannot fit anyway.
func renderReportContent(listed []diagnose.Diagnosis, omitted int, t Target, lvl detail, st style, limit int) string {
	if len(listed) == 1 && omitted == 0 {
		return renderDiagnosis(listed[0], t, lvl, st)
	}
	sub := st.heading + "#"
	section := style{heading: sub, section: true}
	var b strings.Builder
	total := len(listed) + omitted
	fmt.Fprintf(&b, "%s ghcr-doctor: %d %s were refused\n\n", st.heading, total, plural(total, "package", "packages"))
	b.WriteString(warningsBlock(t.Warnings, lvl))
	b.WriteString(checklist(listed, t, lvl))
	b.WriteString(omittedStatement(omitted))
	fixes := make([]diagnose.Fix, 0, len(listed))
	for _, d := range listed {
		b.WriteString("---\n\n")
		b.WriteString(renderDiagnosis(d, t, lvl, section))
		fixes = append(fixes, primary(d).Fix)
		if b.Len() > limit {
			return b.String()
		}
	}
	if len(listed) > 0 {
		b.WriteString("---\n\n")
	}
	b.WriteString(commandsBlock(sub, st.commandsOn, fixes))
	b.WriteString(shortenedNote(lvl))
	return b.String()
}

// checklist introduces a report about several packages: one task per
// package, naming its cause, so the reader can tick them off.
func checklist(listed []diagnose.Diagnosis, t Target, lvl detail) string {
	if len(listed) == 0 {
		return ""
	}
	var b strings.Builder
	if t.Run.Path != "" {
		fmt.Fprintf(&b, "Workflow %s could not push these packages, each for its own reason; each has its own fix below:\n\n", markdown.Code(t.Run.Path, 300))
	} else {
		b.WriteString("The run could not push these packages, each for its own reason; each has its own fix below:\n\n")
	}
	for _, d := range listed {
		fmt.Fprintf(&b, "- [ ] %s: %s\n", packageCode(d, lvl.line), markdown.Inline(causeLabel(primary(d).ID), 100))
	}
	b.WriteString("\n")
	return b.String()
}

// omittedStatement says how many refused packages the report leaves out.
func omittedStatement(omitted int) string {
	if omitted == 0 {
		return ""
	}
	return fmt.Sprintf("_…and %d more refused %s not shown: a report lists at most %d packages and must fit GitHub's size limit. The run's log names them all._\n\n",
		omitted, plural(omitted, "package", "packages"), MaxPackages)
}
