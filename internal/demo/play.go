// Package demo plays ghcr-doctor end to end without GitHub: it starts the
// real server against the simulated GitHub of internal/githubfake, stores a
// failed run of one of several scenarios there, delivers the signed
// workflow_run webhook, and shows what a user would see — the failed run,
// the check run and comment the bot posted, an admin's "/ghcr fix" and the
// pull request (or the instructions) that followed. RunAction plays the
// GitHub Action instead, which needs no App: its step in a later job of
// the failed run, and the run's summary page it writes.
package demo

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo/term"
	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// Options configure a demo.
type Options struct {
	// Out receives the story.
	Out io.Writer
	// Color uses ANSI styles.
	Color bool
	// Width wraps text; 0 means 100 columns.
	Width int
	// Log receives the server's log lines; nil discards them.
	Log io.Writer
}

// PlayResult is what the bot did in a scenario.
type PlayResult struct {
	// Cause is the cause in the posted report's marker.
	Cause diagnose.CauseID
	// Thread is the pull request or tracking issue holding the diagnosis.
	Thread int
	// Reply is the bot's answer to "/ghcr fix".
	Reply string
	// FixPull is the pull request "/ghcr fix" opened, if any.
	FixPull *githubfake.Pull
	// Duration is how long the scenario took, start to end.
	Duration time.Duration
}

// Run plays a scenario and stops everything afterwards.
func Run(ctx context.Context, s Scenario, opts Options) (*PlayResult, error) {
	w, res, err := Play(ctx, s, opts)
	if w != nil {
		if cerr := w.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	return res, err
}

// Play plays a scenario and leaves the simulated GitHub and the bot
// running; the caller closes the World (also after an error, when not nil).
func Play(ctx context.Context, s Scenario, opts Options) (*World, *PlayResult, error) {
	began := time.Now()
	if opts.Width == 0 {
		opts.Width = 100
	}
	w, err := startWorld(ctx, opts.Log)
	if err != nil {
		return nil, nil, err
	}
	p := &player{w: w, s: s, out: opts.Out, t: term.Options{Color: opts.Color, Width: opts.Width}, res: &PlayResult{}}
	err = p.play(ctx)
	p.res.Duration = time.Since(began)
	return w, p.res, err
}

type player struct {
	w   *World
	s   Scenario
	out io.Writer
	t   term.Options
	res *PlayResult
	n   int
}

func (p *player) play(ctx context.Context) error {
	p.intro()
	p.w.setUp(p.s)
	p.failedRun()
	if err := p.deliver(ctx, "workflow_run", p.w.Fake.WorkflowRunEvent("completed", Owner, Repo, RunID)); err != nil {
		return err
	}
	if err := p.report(); err != nil {
		return err
	}
	before := len(p.w.Fake.Comments(Owner, Repo, p.res.Thread))
	p.section(fmt.Sprintf("@%s, an admin of %s/%s, comments on #%d", Admin, Owner, Repo, p.res.Thread))
	p.printf("    /ghcr fix\n")
	payload := p.w.Fake.IssueCommentEvent(Owner, Repo, p.res.Thread, 0, Admin, "/ghcr fix", "created", p.isPull(p.res.Thread))
	if err := p.deliver(ctx, "issue_comment", payload); err != nil {
		return err
	}
	return p.outcome(before)
}

func (p *player) printf(format string, args ...any) { fmt.Fprintf(p.out, format, args...) }

// section starts a numbered part of the story.
func (p *player) section(title string) {
	p.n++
	p.printf("\n%s\n\n", p.t.Heading(fmt.Sprintf("%d. %s", p.n, title)))
}

func (p *player) markdown(md string) {
	for _, l := range splitLines(term.Render(md, p.t)) {
		p.printf("    %s\n", l)
	}
}

func (p *player) intro() {
	p.printf("%s\n\n", p.t.Bold(fmt.Sprintf("ghcr-doctor demo: %s", p.s.Name)))
	p.printf("%s\n", p.s.Story)
	p.printf("\n%s\n", p.t.Dim("Everything below runs on this machine: a simulated GitHub, and the real ghcr-doctor server\n"+
		"receiving signed webhooks from it. Nothing is sent to github.com."))
}

func (p *player) failedRun() {
	s := p.s
	p.section("The failed run")
	trigger := "a push to main"
	switch {
	case s.PullRequest != 0 && s.HeadRepo != "":
		trigger = fmt.Sprintf("pull request #%d from the fork %s", s.PullRequest, s.HeadRepo)
	case s.PullRequest != 0:
		trigger = fmt.Sprintf("pull request #%d", s.PullRequest)
	}
	p.printf("Workflow %s in %s/%s, run %d, triggered by %s: %s\n\n", p.t.Bold("Release"), Owner, Repo, RunID, trigger, p.t.Bold("failure"))
	p.printf("%s\n\n", WorkflowPath)
	for i, l := range splitLines(s.Workflow) {
		p.printf("    %s %s\n", p.t.Dim(fmt.Sprintf("%3d", i+1)), l)
	}
	p.printf("\nJob %s, step %s:\n\n", p.t.Bold("build"), p.t.Bold("Run "+s.Step))
	for _, l := range s.Output {
		p.printf("    %s\n", l)
	}
}

// deliver sends a signed webhook and waits until the bot has done its work.
func (p *player) deliver(ctx context.Context, event string, payload []byte) error {
	res, err := p.w.Fake.Deliver(ctx, event, payload)
	if err != nil {
		return err
	}
	p.printf("\n%s\n", p.t.Dim(fmt.Sprintf("→ GitHub sent the signed %s webhook; ghcr-doctor answered %d %s.",
		event, res.StatusCode, http.StatusText(res.StatusCode))))
	if res.StatusCode != http.StatusAccepted && res.StatusCode != http.StatusOK {
		return fmt.Errorf("the bot refused the %s webhook: %d %s", event, res.StatusCode, res.Body)
	}
	if err := p.w.Server.WaitIdle(); err != nil {
		return fmt.Errorf("waiting for the bot: %w", err)
	}
	return nil
}

func (p *player) isPull(number int) bool {
	for _, is := range p.w.Fake.Issues(Owner, Repo) {
		if is.Number == number {
			return is.IsPR
		}
	}
	return false
}
