package commands

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// runRef is a run a command acts on, found through a diagnosis marker.
type runRef struct {
	ID       int64
	Workflow string
	// DiagnosisURL links the diagnosis (comment, issue or check run).
	DiagnosisURL string
	open         bool
}

// ours reports whether something was written by the app: by its login,
// never by anyone else (an unknown login matches nothing).
func ours(author Sender, bot string) bool {
	return bot != "" && strings.EqualFold(author.Login, bot)
}

// runsFromDiagnoses finds the runs the bot reported on an issue or pull
// request: the tracking issue's body and the bot's comments carry markers
// with the run id and workflow. It keeps the most recent run of each
// workflow, open reports first, newest first, at most maxRuns.
func runsFromDiagnoses(src CommentSource, comments []report.Comment, bot string) []runRef {
	latest := map[string]runRef{}
	consider := func(body, url string) {
		m, ok := report.ParseMarker(body)
		if !ok || m.Run == 0 {
			return
		}
		ref := runRef{ID: m.Run, Workflow: m.Workflow, DiagnosisURL: url, open: m.State == report.StateOpen}
		if cur, ok := latest[m.Workflow]; !ok || ref.ID > cur.ID || ref.ID == cur.ID && ref.open && !cur.open {
			latest[m.Workflow] = ref
		}
	}
	if !src.IsPR && ours(src.IssueAuthor, bot) {
		consider(src.IssueBody, src.IssueURL)
	}
	for _, c := range comments {
		if ours(Sender{Login: c.UserLogin, Type: c.UserType}, bot) {
			consider(c.Body, fmt.Sprintf("%s#issuecomment-%d", src.IssueURL, c.ID))
		}
	}
	refs := make([]runRef, 0, len(latest))
	anyOpen := false
	for _, r := range latest {
		refs = append(refs, r)
		anyOpen = anyOpen || r.open
	}
	if anyOpen {
		kept := refs[:0]
		for _, r := range refs {
			if r.open {
				kept = append(kept, r)
			}
		}
		refs = kept
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].ID > refs[j].ID })
	if len(refs) > maxRuns {
		refs = refs[:maxRuns]
	}
	return refs
}

var runURLRE = regexp.MustCompile(`/actions/runs/([0-9]+)`)

// runFromCheckRun finds the run a check run reports on: from the marker in
// its summary, else its details URL, else the latest run of the workflow
// (external_id "wf:<path>") on its head commit.
func runFromCheckRun(ctx context.Context, gh GitHub, owner, repo string, cr CheckRunSource) (runRef, error) {
	path := strings.TrimPrefix(cr.ExternalID, "wf:")
	ref := runRef{Workflow: path, DiagnosisURL: cr.HTMLURL, open: true}
	if m, ok := report.ParseMarker(cr.Summary); ok && m.Run != 0 && (path == "" || m.Workflow == path) {
		ref.ID = m.Run
		return ref, nil
	}
	if sub := runURLRE.FindStringSubmatch(cr.DetailsURL); sub != nil {
		if id, err := strconv.ParseInt(sub[1], 10, 64); err == nil {
			ref.ID = id
			return ref, nil
		}
	}
	runs, err := gh.ListRunsForCommit(ctx, owner, repo, cr.HeadSHA)
	if err != nil {
		return ref, fmt.Errorf("listing the runs of %s: %w", cr.HeadSHA, err)
	}
	for _, r := range runs {
		if (path == "" || r.Path == path) && r.ID > ref.ID {
			ref.ID = r.ID
		}
	}
	if ref.ID == 0 {
		return ref, fmt.Errorf("no run of %s on %s", path, cr.HeadSHA)
	}
	return ref, nil
}
