package report

import (
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
)

// renderSupersededComment is the body that replaces an earlier comment of
// the pull request and workflow (one an earlier version wrote per package,
// or a duplicate) once the one report of both lives in another comment.
// Its marker keeps the comment's key and says resolved, so nothing acts
// on it again.
func renderSupersededComment(prev Marker, t Target, reportURL string) string {
	about := ""
	if prev.Package != "" {
		about = " This comment was about " + markdown.Code(prev.Package, maxMarkedPackage) + "."
	}
	workflow := "the workflow"
	if t.Run.Path != "" {
		workflow = markdown.Code(t.Run.Path, 300)
	}
	content := fmt.Sprintf("## ghcr-doctor: moved\n\nghcr-doctor now keeps one report per pull request and workflow: %s lists every package %s could not push, each with its own cause and fix, and is kept up to date.%s\n",
		t.site().Link("this comment", reportURL), workflow, about)
	m := prev
	m.State = StateResolved
	m.Hash = shortHash(StateResolved, content)
	m.Run = t.Run.ID
	return m.String() + "\n" + withFooter(content, footer(t))
}

// supersededIssueComment is posted on an earlier tracking issue of the
// branch and workflow before it is closed in favour of the one report.
func supersededIssueComment(t Target, report int) string {
	workflow := "the workflow"
	if t.Run.Path != "" {
		workflow = markdown.Code(t.Run.Path, 300)
	}
	branch := ""
	if t.Run.HeadBranch != "" {
		branch = " from " + markdown.Code(t.Run.HeadBranch, 200)
	}
	return fmt.Sprintf("Superseded by #%d: ghcr-doctor now keeps one tracking issue per branch and workflow, which lists every package %s could not push%s, each with its own cause and fix. Closing this one.\n",
		report, workflow, branch)
}

// commentURL links a comment on a pull request.
func commentURL(t Target, number int, commentID int64) string {
	return fmt.Sprintf("%s/%s/pull/%d#issuecomment-%d", t.web(), t.Repo.FullName(), number, commentID)
}
