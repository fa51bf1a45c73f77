package demo

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// report shows the check run and the comment or tracking issue the bot posted.
func (p *player) report() error {
	f := p.w.Fake
	crs := f.CheckRuns(Owner, Repo)
	if len(crs) == 0 {
		return errors.New("the bot posted no check run")
	}
	cr := crs[0]
	p.section(fmt.Sprintf("The check run %q on commit %s", cr.Name, cr.HeadSHA[:7]))
	p.printf("%s  %s\n\n", p.t.Bold(strings.ToUpper(strings.ReplaceAll(cr.Conclusion, "_", " "))), p.t.Bold(cr.Output.Title))
	p.markdown(cr.Output.Summary)
	if len(cr.Output.Annotations) > 0 {
		p.printf("\n    %s\n", p.t.Bold("Annotations"))
		for _, a := range cr.Output.Annotations {
			p.printf("    %s:%d %s: %s\n", a.Path, a.StartLine, a.AnnotationLevel, a.Title)
		}
	}
	if len(cr.Actions) > 0 {
		var buttons []string
		for _, a := range cr.Actions {
			buttons = append(buttons, "[ "+a.Label+" ]")
		}
		p.printf("\n    %s %s\n", p.t.Bold("Buttons:"), strings.Join(buttons, " "))
	}

	thread, body, where, err := p.diagnosis()
	if err != nil {
		return err
	}
	p.res.Thread = thread
	if m, ok := report.ParseMarker(body); ok {
		p.res.Cause = m.Cause
	}
	p.section(where)
	p.markdown(body)
	return nil
}

// diagnosis finds the bot's diagnosis: a comment on the run's pull
// request, or else the tracking issue.
func (p *player) diagnosis() (int, string, string, error) {
	f := p.w.Fake
	if n := p.s.PullRequest; n != 0 {
		for _, c := range f.Comments(Owner, Repo, n) {
			if _, ok := report.ParseMarker(c.Body); ok && c.User == f.BotLogin() {
				return n, c.Body, fmt.Sprintf("The comment %s posted on pull request #%d", c.User, n), nil
			}
		}
	}
	for _, is := range f.Issues(Owner, Repo) {
		if !is.IsPR && is.User == f.BotLogin() {
			return is.Number, is.Body, fmt.Sprintf("The tracking issue #%d %s opened: %q", is.Number, is.User, is.Title), nil
		}
	}
	return 0, "", "", errors.New("the bot posted no comment and no tracking issue")
}

// outcome shows the bot's answer to "/ghcr fix" and the pull request it opened.
func (p *player) outcome(before int) error {
	f := p.w.Fake
	comments := f.Comments(Owner, Repo, p.res.Thread)
	for _, c := range comments[min(before, len(comments)):] {
		if _, marked := report.ParseMarker(c.Body); !marked && c.User == f.BotLogin() {
			p.res.Reply = c.Body
		}
	}
	if p.res.Reply == "" {
		return errors.New("the bot did not answer /ghcr fix")
	}
	p.section(fmt.Sprintf("%s answers", f.BotLogin()))
	p.markdown(p.res.Reply)

	for _, pr := range f.Pulls(Owner, Repo) {
		if pr.User == f.BotLogin() {
			pr := pr
			p.res.FixPull = &pr
		}
	}
	if p.res.FixPull == nil {
		p.printf("\n%s\n", p.t.Dim("No API can apply this fix, so the bot changed nothing and explained the steps."))
		return nil
	}
	pr := p.res.FixPull
	p.section(fmt.Sprintf("Pull request #%d: %s", pr.Number, pr.Title))
	p.printf("%s wants to merge %s into %s\n\n", pr.User, p.t.Bold(pr.HeadRef), p.t.Bold(pr.BaseRef))
	before2, _ := f.FileAt(Owner, Repo, pr.BaseRef, WorkflowPath)
	after, ok := f.FileAt(Owner, Repo, pr.HeadRef, WorkflowPath)
	if !ok {
		return fmt.Errorf("the pull request's branch %s has no %s", pr.HeadRef, WorkflowPath)
	}
	for _, l := range splitLines(workflow.UnifiedDiff(WorkflowPath, before2, after)) {
		p.printf("    %s\n", p.t.DiffLine(l))
	}
	return nil
}

func splitLines(s string) []string {
	return strings.Split(strings.TrimRight(s, "\n"), "\n")
}
