package report

import (
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// rendered is a body with its marker.
type rendered struct {
	body   string
	marker Marker
}

// RenderComment renders the pull-request comment for one diagnosis. Its
// marker carries the key of the run's first pull request; Publisher renders
// one per pull request.
func RenderComment(d diagnose.Diagnosis, t Target) string {
	pr := 0
	if len(t.Run.PullRequests) > 0 {
		pr = t.Run.PullRequests[0]
	}
	return renderComment(d, t, pr).body
}

func renderComment(d diagnose.Diagnosis, t Target, pr int) rendered {
	return renderBody(d, t, CommentKey(t, pr, d.Package), style{heading: "##", commandsOn: "pull request"})
}

// RenderIssue renders the tracking issue for one diagnosis of a push run.
func RenderIssue(d diagnose.Diagnosis, t Target) (title, body string) {
	r := renderIssue(d, t)
	return issueTitle(d, t), r.body
}

func renderIssue(d diagnose.Diagnosis, t Target) rendered {
	return renderBody(d, t, IssueKey(t, d.Package), style{heading: "##", commandsOn: "issue"})
}

// issueTitle is "ghcr-doctor: cannot push ghcr.io/acme/app from main (release.yml)".
func issueTitle(d diagnose.Diagnosis, t Target) string {
	title := "ghcr-doctor: cannot push " + d.Package.Display()
	if t.Run.HeadBranch != "" {
		title += " from " + t.Run.HeadBranch
	}
	if wf := t.workflowName(); wf != "" {
		title += fmt.Sprintf(" (%s)", wf)
	}
	return Plain(title, maxIssueTitle)
}

// renderBody renders the fullest body that fits GitHub's limit: marker,
// content and footer. The content hash covers only the content.
func renderBody(d diagnose.Diagnosis, t Target, key string, st style) rendered {
	var out rendered
	for _, lvl := range detailLevels {
		content := renderDiagnosis(d, t, lvl, st)
		out.marker = Marker{
			Key:      shortHash(key),
			Workflow: t.Run.Path,
			Package:  d.Package.Display(),
			State:    StateOpen,
			Hash:     shortHash(StateOpen, content),
			Run:      t.Run.ID,
			Cause:    primary(d).ID,
		}
		out.body = out.marker.String() + "\n" + withFooter(content, footer(t, d))
		if len(out.body) <= maxBody {
			break
		}
	}
	return out
}
