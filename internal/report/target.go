package report

import (
	"path"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
)

// Target says where a report goes and what it is about.
type Target struct {
	Repo diagnose.Repo
	Run  diagnose.Run
	// WebURL is GitHub's web address; "https://github.com" when empty.
	WebURL string
	// Warnings are shown above the report, e.g. a broken .github/ghcr-doctor.yml.
	Warnings []string
	// Jobs link the run's jobs in the footer; a job is linked when a finding
	// of the diagnosis names it. Optional.
	Jobs []Job
	// CheckRunConclusion is the check run's conclusion for a diagnosed
	// failure: ConclusionAction (the default) or ConclusionNeutral.
	CheckRunConclusion string
}

// ConclusionNeutral is the check run conclusion a repository may choose
// instead of ConclusionAction for a diagnosed failure.
const ConclusionNeutral = "neutral"

// conclusion is the check run's conclusion for a diagnosed failure.
func (t Target) conclusion() string {
	if t.CheckRunConclusion == ConclusionNeutral {
		return ConclusionNeutral
	}
	return ConclusionAction
}

// Job is a job of the run, for linking.
type Job struct {
	Name    string
	HTMLURL string
}

// site is the GitHub the report is posted to, for its links.
func (t Target) site() markdown.Site { return markdown.SiteOf(t.web()) }

func (t Target) web() string {
	if t.WebURL == "" {
		return "https://github.com"
	}
	return strings.TrimRight(t.WebURL, "/")
}

// workflowName is the workflow file's base name, "release.yml".
func (t Target) workflowName() string {
	if t.Run.Path == "" {
		return t.Run.WorkflowName
	}
	return path.Base(t.Run.Path)
}

// workflowURL links the workflow file at the run's commit.
func (t Target) workflowURL() string {
	if t.Run.Path == "" || t.Run.HeadSHA == "" || t.Repo.Owner == "" {
		return ""
	}
	return t.web() + "/" + t.Repo.FullName() + "/blob/" + t.Run.HeadSHA + "/" + t.Run.Path
}
