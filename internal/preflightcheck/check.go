package preflightcheck

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
	"github.com/ghcr-doctor/ghcr-doctor/internal/repoconfig"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// Checker runs the preflight check of one commit.
type Checker struct {
	Clients ClientSource
	// Analyze is the analysis of one workflow file (preflight.Analyze).
	Analyze func(preflight.Input) ([]preflight.Result, error)
	// Baselines remember the repositories whose workflows were all checked once.
	Baselines Baselines
	// WebURL is GitHub's web address ("https://github.com" when empty).
	WebURL string
	// BotLogin is the app's bot login: only its own review comments are edited.
	BotLogin string
}

// Outcome says what Handle did, for logs.
type Outcome struct {
	// Skipped says why nothing was checked, if so.
	Skipped    string
	CheckRunID int64
	Conclusion string
	AtRisk     int
	Review     reviewResult
}

// maxCompareFiles is the most files GitHub lists in a comparison.
const maxCompareFiles = 300

// zeroSHA is the "before" of a push that created the branch.
var zeroSHA = strings.Repeat("0", 40)

// Handle checks the event's head commit when its change is relevant (or it
// is the repository's first push since installation), and publishes the
// check run and, for a pull request, the review. finalAttempt records what
// GitHub still fails to serve as unknown instead of asking for a retry.
func (c *Checker) Handle(ctx context.Context, ev Event, finalAttempt bool) (Outcome, error) {
	gh, err := c.Clients.Client(ctx, ev.InstallationID)
	if err != nil {
		return Outcome{}, fmt.Errorf("installation client: %w", err)
	}
	cfg := repoconfig.Load(ctx, gh, ev.Repo.Owner, ev.Repo.Name)
	if cfg.Err == nil && !cfg.Config.Enabled {
		return Outcome{Skipped: "ghcr-doctor is switched off for the repository"}, nil
	}
	patches, skip, err := c.relevantChange(ctx, gh, ev)
	if err != nil || skip != "" {
		return Outcome{Skipped: skip}, err
	}
	id, annotated, err := c.startCheckRun(ctx, gh, ev)
	if err != nil {
		return Outcome{}, err
	}
	rep, err := c.check(ctx, gh, ev, cfg, patches, id, annotated, finalAttempt)
	if err != nil && (finalAttempt || !gherr.IsTransient(err)) {
		// No retry will finish the check run: say so rather than leave it in progress.
		c.abandonCheckRun(ctx, gh, ev, id, err)
	}
	return rep, err
}

// check reads, analyses and publishes into the started check run id.
func (c *Checker) check(ctx context.Context, gh GitHub, ev Event, cfg repoconfig.Loaded, patches map[string]string, id int64, annotated string, finalAttempt bool) (Outcome, error) {
	in, err := gather(ctx, gh, ev, finalAttempt)
	if err != nil {
		return Outcome{CheckRunID: id}, err
	}
	out := CheckRunContent{HeadSHA: ev.HeadSHA, Files: len(in.workflows), Unreadable: in.unreadable, SettingsUnknown: in.settingsUnknown, ConfigErr: cfg.Err}
	out.Jobs = c.analyze(in, &out)
	rep := Outcome{CheckRunID: id, AtRisk: out.AtRisk()}
	if ev.IsPull() {
		want := suggestions(out.Jobs, in.sources, patches)
		rep.Review, err = c.syncReview(ctx, gh, ev, want)
		if err != nil {
			return rep, err
		}
		if rep.Review.Refused {
			for i := range out.Jobs {
				if out.Jobs[i].Suggestion == Suggested {
					out.Jobs[i].Suggestion = NotSuggested
				}
			}
		}
	}
	rep.Conclusion = out.conclusion(cfg.Config.Preflight)
	if err := c.completeCheckRun(ctx, gh, ev, id, annotated, out, rep.Conclusion); err != nil {
		return rep, err
	}
	if !ev.IsPull() && c.Baselines != nil {
		// Every workflow of the default branch has now been checked once.
		if err := c.Baselines.Record(ctx, baselineKey(ev)); err != nil {
			return rep, fmt.Errorf("recording the first check of %s: %w", ev.Repo.FullName(), err)
		}
	}
	return rep, nil
}

// abandonCheckRun completes a check run the check cannot finish as
// neutral, with the reason; a failure to do so is only logged.
func (c *Checker) abandonCheckRun(ctx context.Context, gh GitHub, ev Event, id int64, cause error) {
	reason := "GitHub did not answer as expected."
	if pe, ok := gherr.AsPermission(cause); ok {
		reason = "The App lacks a permission: " + pe.Permission() + "."
	}
	_, err := report.WriteCheckRun(ctx, gh, ev.Repo.Owner, ev.Repo.Name, id, report.CheckRunRequest{
		Name: CheckRunName, Status: "completed", Conclusion: repoconfig.ConclusionNeutral, DetailsURL: c.detailsURL(ev),
		Output: &report.CheckRunRequestOutput{Title: "The preflight check could not finish",
			Summary: "ghcr-doctor could not finish checking the workflows at this commit. " + markdown.Text(reason, maxReasonRune)},
	})
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Int64("check_run_id", id).Msg("Could not close the preflight check run that could not finish.")
	}
}

// relevantChange decides whether the event is worth a check: a pull
// request or push that changes a workflow or local action, or the first
// push to the default branch since the App was installed. For a pull
// request it returns the patch of each changed file.
func (c *Checker) relevantChange(ctx context.Context, gh GitHub, ev Event) (patches map[string]string, skip string, err error) {
	owner, repo := ev.Repo.Owner, ev.Repo.Name
	if ev.IsPull() {
		files, err := gh.ListPullFiles(ctx, owner, repo, ev.Pull)
		if err != nil {
			return nil, "", fmt.Errorf("listing the files of pull request %d: %w", ev.Pull, err)
		}
		patches = map[string]string{}
		for _, f := range files {
			if Relevant(f.Path) {
				patches[f.Path] = f.Patch
			}
		}
		if len(patches) > 0 {
			return patches, "", nil
		}
		// A pull request that no longer changes a workflow (its author
		// committed the suggestion, and the diff is gone) is checked once
		// more when it still has our comments, so they go and the head is green.
		ours, err := c.hasOwnComments(ctx, gh, ev)
		if err != nil || !ours {
			return nil, "the pull request changes no workflow", err
		}
		return patches, "", nil
	}
	relevant := true
	switch {
	case ev.ChangedKnown:
		relevant = AnyRelevant(ev.Changed)
	case ev.Before != "" && ev.Before != zeroSHA:
		files, err := gh.CompareFiles(ctx, owner, repo, ev.Before, ev.HeadSHA)
		if err != nil {
			return nil, "", fmt.Errorf("comparing %s...%s: %w", short(ev.Before), short(ev.HeadSHA), err)
		}
		paths := make([]string, len(files))
		for i, f := range files {
			paths[i] = f.Path
		}
		// A comparison lists at most 300 files: a full one may hide more.
		relevant = AnyRelevant(paths) || len(files) >= maxCompareFiles
	}
	if relevant {
		return nil, "", nil
	}
	checked, err := c.baselineRecorded(ctx, ev)
	if err != nil || checked {
		return nil, "the push changes no workflow", err
	}
	return nil, "", nil
}

// hasOwnComments reports whether the pull request has preflight review comments of the bot.
func (c *Checker) hasOwnComments(ctx context.Context, gh GitHub, ev Event) (bool, error) {
	comments, err := gh.ListReviewComments(ctx, ev.Repo.Owner, ev.Repo.Name, ev.Pull)
	if err != nil {
		return false, fmt.Errorf("listing review comments of pull request %d: %w", ev.Pull, err)
	}
	for _, cm := range comments {
		if c.own(cm) {
			return true, nil
		}
	}
	return false, nil
}

// baselineKey names the record of a repository's first full check.
func baselineKey(ev Event) string {
	if ev.RepoID != 0 {
		return fmt.Sprintf("preflight-baseline:%d", ev.RepoID)
	}
	return "preflight-baseline:" + strings.ToLower(ev.Repo.FullName())
}

// baselineRecorded reports whether the repository's workflows were all
// checked once already. Without a store every push is treated as checked.
func (c *Checker) baselineRecorded(ctx context.Context, ev Event) (bool, error) {
	if c.Baselines == nil {
		return true, nil
	}
	done, err := c.Baselines.Recorded(ctx, baselineKey(ev))
	if err != nil {
		return false, fmt.Errorf("reading the first check of %s: %w", ev.Repo.FullName(), err)
	}
	return done, nil
}

// startCheckRun finds the commit's preflight check run, or creates it in
// progress. annotated is the hash of the annotations it already has.
func (c *Checker) startCheckRun(ctx context.Context, gh GitHub, ev Event) (id int64, annotated string, err error) {
	runs, err := gh.ListCheckRuns(ctx, ev.Repo.Owner, ev.Repo.Name, ev.HeadSHA, CheckRunName)
	if err != nil {
		return 0, "", fmt.Errorf("listing check runs of %s: %w", short(ev.HeadSHA), err)
	}
	for _, r := range runs {
		if r.Name == CheckRunName && strings.EqualFold(r.HeadSHA, ev.HeadSHA) {
			return r.ID, annotationsMarkerOf(r.Summary), nil
		}
	}
	id, err = report.WriteCheckRun(ctx, gh, ev.Repo.Owner, ev.Repo.Name, 0, report.CheckRunRequest{
		Name: CheckRunName, HeadSHA: ev.HeadSHA, Status: "in_progress", DetailsURL: c.detailsURL(ev),
		Output: &report.CheckRunRequestOutput{Title: "Checking the workflows", Summary: "ghcr-doctor is reading the workflows at this commit."},
	})
	return id, "", err
}

// completeCheckRun writes the outcome. GitHub appends annotations on every
// update, so a check run that has these annotations already gets none.
func (c *Checker) completeCheckRun(ctx context.Context, gh GitHub, ev Event, id int64, annotated string, out CheckRunContent, conclusion string) error {
	output := render(out)
	hash := annotationsHash(output.Annotations)
	output.Summary += "\n" + annotationsMarker(hash) + "\n"
	if annotated == hash {
		output.Annotations = nil
	}
	_, err := report.WriteCheckRun(ctx, gh, ev.Repo.Owner, ev.Repo.Name, id, report.CheckRunRequest{
		Name: CheckRunName, Status: "completed", Conclusion: conclusion, DetailsURL: c.detailsURL(ev), Output: &output,
	})
	return err
}

// detailsURL is where the check run's button leads: the pull request's
// changed files, or the pushed commit.
func (c *Checker) detailsURL(ev Event) string {
	if ev.IsPull() && ev.PullURL != "" {
		return ev.PullURL + "/files"
	}
	web := strings.TrimSuffix(c.WebURL, "/")
	if web == "" {
		web = "https://github.com"
	}
	return fmt.Sprintf("%s/%s/commit/%s", web, ev.Repo.FullName(), ev.HeadSHA)
}

// analyze runs the analysis on each workflow file; a file it cannot
// analyse is listed as such, never guessed about.
func (c *Checker) analyze(in *inputs, out *CheckRunContent) []JobResult {
	var findings []JobResult
	for _, p := range in.workflows {
		src, ok := in.sources[p]
		if !ok {
			continue
		}
		results, err := c.Analyze(preflight.Input{Path: p, Source: src, Files: in.files, Settings: in.settings})
		if err != nil {
			out.Unreadable = append(out.Unreadable, Unreadable{Path: p, Reason: err.Error()})
			continue
		}
		for _, r := range results {
			findings = append(findings, JobResult{Result: r})
		}
	}
	return findings
}

const annotationsMarkerPrefix = "<!-- ghcr-doctor:preflight annotations="

func annotationsMarker(hash string) string { return annotationsMarkerPrefix + hash + " -->" }

// annotationsMarkerOf reads the hash a summary records, or "".
func annotationsMarkerOf(summary string) string {
	i := strings.LastIndex(summary, annotationsMarkerPrefix)
	if i < 0 {
		return ""
	}
	hash, _, _ := strings.Cut(summary[i+len(annotationsMarkerPrefix):], " -->")
	return hash
}

func annotationsHash(as []diagnose.Annotation) string {
	h := sha256.New()
	for _, a := range as {
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00%s\x00%s\n", a.Path, a.Line, a.Level, a.Title, a.Message)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
