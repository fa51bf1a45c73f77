package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo/term"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// The demo of the preflight check: a pull request that would make the
// release fail is warned, and fixed with one click, before anything runs.
const (
	PreflightScenario = "preflight"
	PreflightTitle    = "a pull request that drops packages: write is warned and fixed before any run fails"
	// PreflightCheckName is the check run the preflight posts.
	PreflightCheckName = "ghcr-doctor preflight"
)

// Who and what the preflight story is about.
const (
	preflightAuthor = "maya"
	preflightBranch = "tidy-permissions"
	preflightTitle  = "Tidy up the release job's permissions"
	suggestionTitle = "Apply suggestions from code review"
)

// tidyUp is the pull request's change: a job-level permissions: block
// that grants only contents: read, which drops the packages: write the
// repository's default gave the publishing job.
const tidyUp = "    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n"

// PreflightResult is what the bot did in the preflight demo.
type PreflightResult struct {
	// Pull is the pull request's number.
	Pull int
	// Warned and Fixed are the preflight check runs of the pull request's
	// first head and of the commit that applied the suggestion.
	Warned, Fixed githubfake.CheckRun
	// Suggestion is the review comment with the suggested change.
	Suggestion githubfake.ReviewComment
	// Applied is the workflow after "Commit suggestion".
	Applied string
	// CommentsLeft are the bot's review comments left after the fix.
	CommentsLeft int
	// Duration is how long the scenario took, start to end.
	Duration time.Duration
}

// RunPreflight plays the preflight demo and stops everything afterwards.
func RunPreflight(ctx context.Context, opts Options) (*PreflightResult, error) {
	w, res, err := PlayPreflight(ctx, opts)
	if w != nil {
		if cerr := w.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	return res, err
}

// PlayPreflight plays the preflight demo and leaves the simulated GitHub
// and the bot running; the caller closes the World (also after an error,
// when not nil).
func PlayPreflight(ctx context.Context, opts Options) (*World, *PreflightResult, error) {
	began := time.Now()
	if opts.Width == 0 {
		opts.Width = 100
	}
	w, err := startWorld(ctx, opts.Log)
	if err != nil {
		return nil, nil, err
	}
	s := Scenario{Name: PreflightScenario, Story: "A maintainer tidies up the release workflow's permissions in a pull request: the publishing\n" +
		"job now asks for contents: read only, so its token would lose packages: write. Nothing has run yet."}
	p := &player{w: w, s: s, out: opts.Out, t: term.Options{Color: opts.Color, Width: opts.Width}, res: &PlayResult{}}
	res := &PreflightResult{}
	err = p.preflight(ctx, res)
	res.Duration = time.Since(began)
	return w, res, err
}

// preflight tells the story: the pull request, the warning, the
// suggestion committed, the green check.
func (p *player) preflight(ctx context.Context, res *PreflightResult) error {
	f := p.w.Fake
	p.intro()
	f.SetRepoWorkflowPermissions(Owner, Repo, "write")
	f.SetOrgWorkflowPermissions(Owner, "write")
	before := wfReleaseOnMain
	f.Push(Owner, Repo, "main", "Add the release workflow", map[string][]byte{WorkflowPath: []byte(before)})
	after := strings.Replace(before, "    runs-on: ubuntu-latest\n", tidyUp, 1)
	if after == before {
		return errors.New("the release workflow has no job to tidy up")
	}

	head := f.Push(Owner, Repo, preflightBranch, "Grant the release job only what it reads", map[string][]byte{WorkflowPath: []byte(after)})
	res.Pull = f.AddPull(Owner, Repo, githubfake.Pull{Title: preflightTitle, HeadRef: preflightBranch, HeadSHA: head, User: preflightAuthor})
	p.w.head, p.w.pull = head, res.Pull
	p.section(fmt.Sprintf("@%s opens pull request #%d: %s", preflightAuthor, res.Pull, preflightTitle))
	p.printf("%s wants to merge %s into %s. No workflow has run on it yet.\n\n", preflightAuthor, p.t.Bold(preflightBranch), p.t.Bold("main"))
	p.diff(before, after)
	if err := p.deliver(ctx, "pull_request", f.PullRequestEvent("opened", Owner, Repo, res.Pull, "")); err != nil {
		return err
	}

	var err error
	if res.Warned, err = p.preflightRun(head); err != nil {
		return err
	}
	comments := p.botReviewComments(res.Pull)
	if len(comments) == 0 {
		return errors.New("the bot suggested no change in a review comment")
	}
	res.Suggestion = comments[0]
	next, err := p.commitSuggestion(res)
	if err != nil {
		return err
	}
	if err := p.deliver(ctx, "pull_request", f.PullRequestEvent("synchronize", Owner, Repo, res.Pull, head)); err != nil {
		return err
	}
	if res.Fixed, err = p.preflightRun(next); err != nil {
		return err
	}
	res.CommentsLeft = len(p.botReviewComments(res.Pull))
	p.section(fmt.Sprintf("Pull request #%d's conversation", res.Pull))
	if res.CommentsLeft == 0 {
		p.printf("The suggestion's review comment is gone: the change it asked for is in.\n")
	} else {
		p.printf("%d review comment(s) of %s remain.\n", res.CommentsLeft, f.BotLogin())
	}
	p.printf("\n%s\n", p.t.Bold("All of this happened before any workflow run: no run failed, no package push was refused."))
	return nil
}

// commitSuggestion shows the bot's review comment, then commits its
// suggestion on the pull request's branch as GitHub's "Commit suggestion"
// does, and returns the new head.
func (p *player) commitSuggestion(res *PreflightResult) (string, error) {
	f, c := p.w.Fake, res.Suggestion
	src, ok := f.FileAt(Owner, Repo, preflightBranch, c.Path)
	if !ok {
		return "", fmt.Errorf("the review comment is on %s, which %s does not have", c.Path, preflightBranch)
	}
	sug, err := parseSuggestion(c)
	if err != nil {
		return "", fmt.Errorf("the bot's review comment: %w", err)
	}
	p.reviewComment(c, sug, string(src))
	if res.Applied, err = sug.apply(string(src)); err != nil {
		return "", fmt.Errorf("applying the suggestion: %w", err)
	}
	p.section(fmt.Sprintf("@%s clicks \"Commit suggestion\"", preflightAuthor))
	p.printf("GitHub replaces the commented lines with the suggested ones and commits\n%q on %s:\n\n", suggestionTitle, p.t.Bold(preflightBranch))
	p.diff(string(src), res.Applied)
	next := f.Push(Owner, Repo, preflightBranch, suggestionTitle, map[string][]byte{c.Path: []byte(res.Applied)})
	p.w.head = next
	return next, nil
}

// preflightRun shows the preflight check run of a commit.
func (p *player) preflightRun(sha string) (githubfake.CheckRun, error) {
	var cr githubfake.CheckRun
	found := false
	for _, c := range p.w.Fake.CheckRuns(Owner, Repo) {
		if c.Name == PreflightCheckName && c.HeadSHA == sha {
			cr, found = c, true
		}
	}
	if !found {
		return cr, fmt.Errorf("the bot posted no %q check run on %s", PreflightCheckName, sha[:7])
	}
	p.section(fmt.Sprintf("The check run %q on commit %s", cr.Name, sha[:7]))
	p.printf("%s  %s\n\n", p.t.Bold(strings.ToUpper(strings.ReplaceAll(cr.Conclusion, "_", " "))), p.t.Bold(term.Clean(cr.Output.Title)))
	p.markdown(cr.Output.Summary)
	if len(cr.Output.Annotations) > 0 {
		p.printf("\n    %s\n", p.t.Bold("Annotations"))
		for _, a := range cr.Output.Annotations {
			p.printf("    %s:%d %s: %s\n", a.Path, a.StartLine, a.AnnotationLevel, term.Clean(a.Title))
			for _, l := range splitLines(term.Clean(a.Message)) {
				p.printf("        %s\n", l)
			}
		}
	}
	return cr, nil
}

// botReviewComments are the bot's review comments on a pull request.
func (p *player) botReviewComments(pull int) []githubfake.ReviewComment {
	var out []githubfake.ReviewComment
	for _, c := range p.w.Fake.ReviewComments(Owner, Repo, pull) {
		if c.User == p.w.Fake.BotLogin() {
			out = append(out, c)
		}
	}
	return out
}

// reviewComment shows a review comment as the pull request's "Files
// changed" tab does, its suggestion as a diff of the lines it replaces.
func (p *player) reviewComment(c githubfake.ReviewComment, s suggestion, src string) {
	where := fmt.Sprintf("%s line %d", c.Path, c.Line)
	if c.StartLine > 0 {
		where = fmt.Sprintf("%s lines %d to %d", c.Path, c.StartLine, c.Line)
	}
	p.section(term.Clean(fmt.Sprintf("%s reviews: a comment on %s", c.User, where)))
	fence := "```"
	for strings.Contains(src, fence) || strings.Contains(strings.Join(s.lines, "\n"), fence) {
		fence += "`"
	}
	md := s.intro + "\n\n**Suggested change**\n\n" + fence + "diff\n" + strings.Join(s.diff(src), "\n") + "\n" + fence + "\n\n" + s.outro
	p.markdown(md)
	p.printf("\n    %s\n", p.t.Bold("[ Commit suggestion ]"))
}

// diff prints the unified diff of the release workflow between two versions.
func (p *player) diff(before, after string) {
	for _, l := range splitLines(workflow.UnifiedDiff(WorkflowPath, []byte(before), []byte(after))) {
		p.printf("    %s\n", p.t.DiffLine(l))
	}
}
