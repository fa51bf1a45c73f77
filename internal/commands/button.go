package commands

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// checkRunNoteMark separates the report's summary from the note about the
// last button press; the note after it is replaced by the next one. It
// comes after the report's marker, so republishing an unchanged report
// keeps the note.
const checkRunNoteMark = "\n\n<!-- ghcr-doctor:command -->\n"

const maxCheckRunNote = 4000

// ButtonCommand is the command a check run button stands for.
func ButtonCommand(identifier string) (Command, bool) {
	switch identifier {
	case report.ActionFixID:
		return Command{Verb: VerbFix, Text: "Fix (check run button)"}, true
	case report.ActionRecheckID:
		return Command{Verb: VerbRecheck, Text: "Recheck (check run button)"}, true
	}
	return Command{}, false
}

// RerunCommand is what the check run's "Re-run" button does: a recheck, the
// same as the Recheck button.
func RerunCommand() Command {
	return Command{Verb: VerbRecheck, Text: "Re-run (check run)"}
}

// noteOnCheckRun adds what the button did to the check run's summary.
func (x *execution) noteOnCheckRun(ctx context.Context, secs []section) {
	cr, err := x.gh.GetCheckRun(ctx, x.owner(), x.name(), x.req.CheckRun.ID)
	if err != nil {
		x.log.Warn().Err(err).Msg("Could not read the check run to note the command's outcome.")
		return
	}
	summary, _, _ := strings.Cut(cr.Summary, checkRunNoteMark)
	note := markdown.Truncate(checkRunNote(x.req.Sender, secs), maxCheckRunNote)
	req := report.CheckRunRequest{Name: report.CheckRunName, Output: &report.CheckRunRequestOutput{
		Title: cr.Title, Summary: markdown.Truncate(summary, 65535-len(checkRunNoteMark)-len(note)) + checkRunNoteMark + note, Text: cr.Text}}
	if err := x.gh.UpdateCheckRun(ctx, x.owner(), x.name(), cr.ID, req); err != nil {
		x.log.Warn().Err(err).Msg("Could not note the command's outcome on the check run.")
	}
}

// checkRunNote is a short account of what the button did.
func checkRunNote(sender Sender, secs []section) string {
	var b strings.Builder
	b.WriteString("---\n\n")
	for _, sec := range secs {
		fmt.Fprintf(&b, "**%s** pressed by %s:\n\n", inline(sec.Command.Text), code(sender.Login))
		if sec.Note != "" {
			b.WriteString(sec.Note + "\n\n")
		}
		for _, rs := range sec.Runs {
			if rs.Note != "" {
				b.WriteString(rs.Note + "\n\n")
			}
			for _, r := range rs.Results {
				fmt.Fprintf(&b, "- %s %s\n", statusLabel(r.Status), r.Message)
			}
		}
	}
	return b.String()
}

// buttonReplyTargets are where a button's reply goes: the run's pull
// requests, else the tracking issues the run's report went to.
func (x *execution) buttonReplyTargets(ctx context.Context, secs []section) []int {
	var out []int
	seen := map[int]bool{}
	add := func(n int) {
		if n > 0 && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	runs := x.replyRuns(ctx, secs)
	for _, run := range runs {
		for _, n := range run.PullRequests {
			add(n)
		}
		if len(run.PullRequests) == 0 && strings.HasPrefix(run.Event, "pull_request") && run.HeadSHA != "" {
			prs, err := x.gh.PullsForCommit(ctx, x.owner(), x.name(), run.HeadSHA)
			if err != nil {
				x.log.Warn().Err(err).Msg("Could not find the pull requests of the run.")
			}
			for _, n := range prs {
				add(n)
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	// The issues the reports went to, in order: one reply after another.
	for _, n := range slices.Sorted(maps.Keys(x.published)) {
		add(n)
	}
	if len(out) > 0 {
		return out
	}
	return x.trackingIssues(ctx, runs)
}

// trackingIssues finds the open tracking issues that report the runs.
func (x *execution) trackingIssues(ctx context.Context, replyRuns []diagnose.Run) []int {
	runs := map[int64]string{}
	for _, run := range replyRuns {
		runs[run.ID] = run.Path
	}
	if len(runs) == 0 {
		return nil
	}
	issues, err := x.gh.ListIssuesByLabel(ctx, x.owner(), x.name(), report.DefaultLabel)
	if err != nil {
		x.log.Warn().Err(err).Msg("Could not list the tracking issues.")
		return nil
	}
	var out []int
	for _, is := range issues {
		m, ok := report.ParseMarker(is.Body)
		if !ok || is.State != "open" || m.State != report.StateOpen {
			continue
		}
		if path, ok := runs[m.Run]; ok && path == m.Workflow {
			out = append(out, is.Number)
		}
	}
	return out
}

// replyRuns are the runs the commands were about: those they acted on, or,
// when a command was refused before reading its run, the located runs.
func (x *execution) replyRuns(ctx context.Context, secs []section) []diagnose.Run {
	var out []diagnose.Run
	for _, sec := range secs {
		for _, rs := range sec.Runs {
			out = append(out, rs.Run)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, ref := range x.runs {
		run, err := x.gh.GetWorkflowRun(ctx, x.owner(), x.name(), ref.ID)
		if err != nil {
			x.log.Warn().Err(err).Int64("run_id", ref.ID).Msg("Could not read the run to find where to reply.")
			continue
		}
		if run.Path == "" {
			run.Path = ref.Workflow
		}
		out = append(out, run)
	}
	return out
}
