package commands

import (
	"fmt"
	"path"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/fixbranch"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// BranchPrefix is the namespace of the branches ghcr-doctor creates.
const BranchPrefix = fixbranch.Prefix

// BranchName is the one branch per (workflow, job) of a pull-request step.
func BranchName(s Step) string {
	kind := fixbranch.PackagesWrite
	if s.Kind == StepLowercasePR {
		kind = fixbranch.Lowercase
	}
	return fixbranch.Name(kind, s.Path, s.JobID)
}

func pullTitle(s Step) string { return markdown.Plain(rawPullTitle(s), 250) }

func rawPullTitle(s Step) string {
	if s.Kind == StepLowercasePR {
		return fmt.Sprintf("ci: lower-case the image name in %s", path.Base(s.Path))
	}
	return fmt.Sprintf("ci: grant packages: write to job %s in %s", s.JobID, path.Base(s.Path))
}

func commitMessage(s Step) string {
	return pullTitle(s) + "\n\nProposed by ghcr-doctor (/ghcr fix) to fix a refused GitHub Packages push."
}

// pullBody explains the change, shows the diff and links the diagnosis.
func (a *Applier) pullBody(s Step, edit workflow.Edit) string {
	var b strings.Builder
	b.WriteString("ghcr-doctor opened this pull request")
	if a.Requester != "" {
		fmt.Fprintf(&b, " because %s asked for it with `/ghcr fix`", code(a.Requester))
	}
	b.WriteString(".\n\n")
	fmt.Fprintf(&b, "**Why:** %s\n\n", inline(s.CauseSummary))
	switch s.Kind {
	case StepLowercasePR:
		fmt.Fprintf(&b, "**Change:** the image reference %s in job %s of %s is lower-cased, as registries require. ", code(s.ImageRef), code(s.JobID), code(s.Path))
	default:
		fmt.Fprintf(&b, "**Change:** job %s of %s gets `packages: write` for its `GITHUB_TOKEN`, and nothing else changes: no other job, and not the workflow-level permissions. ", code(s.JobID), code(s.Path))
	}
	if edit.Note != "" {
		b.WriteString(text(edit.Note))
	}
	b.WriteString("\n\n")
	b.WriteString(fence("diff", edit.DiffWithPath(s.Path)))
	b.WriteString("\n")
	var refs []string
	if a.DiagnosisURL != "" {
		refs = append(refs, siteOf(a.WebURL).Link("the diagnosis", a.DiagnosisURL))
	}
	if a.Run.HTMLURL != "" {
		refs = append(refs, siteOf(a.WebURL).Link(fmt.Sprintf("the failed run #%d", a.Run.ID), a.Run.HTMLURL))
	}
	if len(refs) > 0 {
		fmt.Fprintf(&b, "See %s.\n\n", strings.Join(refs, " and "))
	}
	b.WriteString("After merging, runs of commits that include this change get the permission; re-running the old run (`/ghcr retry`) uses the old workflow file, so push or re-run from an updated branch.\n")
	return b.String()
}
