package triage

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// DefaultMaxLogBytes bounds how much of one job log is read.
const DefaultMaxLogBytes = 512 << 20

// Gatherer collects facts through a Source.
type Gatherer struct {
	Source FactSource
	// MaxLogBytes bounds each log read; DefaultMaxLogBytes when zero.
	MaxLogBytes int64
	// Hosts are the GitHub Packages registries to recognise; nil means
	// github.com's and GHE.com's.
	Hosts *scan.RegistryHosts
	// FinalAttempt is set on the job's last try: a transient failure is
	// then recorded as an unknown fact, like a permanent one, instead of
	// being returned for another try that will not come.
	FinalAttempt bool
}

// retry reports whether err should end this attempt so that the job is
// tried again: a transient failure, unless this is the last try.
func (g *Gatherer) retry(err error) bool {
	return err != nil && !g.FinalAttempt && gherr.IsTransient(err)
}

// maxConcurrentLogs bounds how many job logs of one run are downloaded
// and scanned at once: each is a stream through the scanner's bounded
// buffer, so memory grows with this number, never with a log's size.
const maxConcurrentLogs = 4

// ScanLogs lists the failed jobs of the run and scans each log (see
// ListJobs and ScanJobs).
func (g *Gatherer) ScanLogs(ctx context.Context, f *diagnose.Facts) error {
	jobs, err := g.ListJobs(ctx, f)
	if err != nil {
		return err
	}
	return g.ScanJobs(ctx, f, jobs)
}

// ListJobs lists the jobs of the run's attempt. Failing to is an error.
func (g *Gatherer) ListJobs(ctx context.Context, f *diagnose.Facts) ([]Job, error) {
	jobs, err := g.Source.ListRunJobs(ctx, f.Repo.Owner, f.Repo.Name, f.Run.ID, f.Run.Attempt)
	if err != nil {
		return nil, fmt.Errorf("listing jobs of run %d: %w", f.Run.ID, err)
	}
	return jobs, nil
}

// ScanJobs scans the logs of the failed jobs among jobs, a few at once,
// and records them in f in the jobs' order. Logs that cannot be read are
// recorded with the reason; a transient failure to read one is returned
// (but for the last try), so that the job is tried again rather than
// reporting nothing.
func (g *Gatherer) ScanJobs(ctx context.Context, f *diagnose.Facts, jobs []Job) error {
	var failed []Job
	for _, j := range jobs {
		if j.Conclusion == "failure" {
			failed = append(failed, j)
		}
	}
	logs := make([]diagnose.JobLog, len(failed))
	eg, ectx := errgroup.WithContext(ctx)
	eg.SetLimit(maxConcurrentLogs)
	for i, j := range failed {
		eg.Go(func() error {
			jl := diagnose.JobLog{ID: j.ID, Name: j.Name, HTMLURL: j.HTMLURL}
			scan, err := g.scanJob(ectx, f.Repo, j.ID)
			if g.retry(err) {
				return fmt.Errorf("reading the log of job %d: %w", j.ID, err)
			}
			if err != nil {
				jl.Err = unknownFrom[struct{}](err, "the log could not be read")
				zerolog.Ctx(ctx).Warn().Err(err).Int64("job_id", j.ID).Msg("Could not read the job log.")
			} else {
				for i := range scan.Findings {
					scan.Findings[i].File = j.Name
				}
				jl.Scan = scan
			}
			logs[i] = jl
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return err
	}
	f.Jobs = append(f.Jobs, logs...)
	return nil
}

func (g *Gatherer) scanJob(ctx context.Context, repo diagnose.Repo, jobID int64) (*scan.ScanResult, error) {
	rc, err := g.Source.OpenJobLog(ctx, repo.Owner, repo.Name, jobID)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	limit := g.MaxLogBytes
	if limit <= 0 {
		limit = DefaultMaxLogBytes
	}
	res, err := scan.Scanner{Hosts: g.Hosts}.Scan(io.LimitReader(rc, limit))
	if err != nil {
		return nil, fmt.Errorf("scanning log of job %d: %w", jobID, err)
	}
	return res, nil
}

// HasFindings reports whether any scanned log holds a finding.
func HasFindings(f *diagnose.Facts) bool {
	for _, j := range f.Jobs {
		if j.Scan != nil && len(j.Scan.Findings) > 0 {
			return true
		}
	}
	return false
}

// GatherSettings reads the workflow file at the run's commit and, when
// they can matter (diagnose.DefaultsDecide), the default workflow
// permissions of the repository and the organisation, both at once,
// recording what cannot be read (a missing permission, a missing file) as
// unknown. A transient failure (a 5xx, a rate limit, the network) is
// returned, so the job is tried again rather than reporting a poorer
// diagnosis; on the last try it is recorded as unknown too.
func (g *Gatherer) GatherSettings(ctx context.Context, f *diagnose.Facts) error {
	wf, err := g.workflowFile(ctx, f.Repo, f.Run)
	if err != nil {
		return err
	}
	f.Workflow = wf
	var file *workflow.File
	if wf.Known {
		file = wf.Value.File
	}
	if !diagnose.DefaultsDecide(file) {
		f.RepoDefault, f.OrgDefault = diagnose.DefaultsNotNeeded(), diagnose.DefaultsNotNeeded()
		return nil
	}
	return g.GatherDefaults(ctx, f)
}

// GatherDefaults reads the repository's and the organisation's default
// workflow permissions into f, both at once, recording what cannot be read
// as unknown; a transient failure is returned (but on the last try), like
// GatherSettings. The preflight check reads the same facts through it.
func (g *Gatherer) GatherDefaults(ctx context.Context, f *diagnose.Facts) error {
	repoDef, orgDef, err := g.defaults(ctx, f.Repo)
	if err != nil {
		return err
	}
	f.RepoDefault, f.OrgDefault = repoDef, orgDef
	return nil
}

// defaults reads the repository's and the organisation's default workflow
// permissions at once.
func (g *Gatherer) defaults(ctx context.Context, repo diagnose.Repo) (repoDef, orgDef diagnose.Fact[string], err error) {
	eg, ectx := errgroup.WithContext(ctx)
	eg.Go(func() error {
		lvl, err := g.Source.RepoWorkflowDefault(ectx, repo.Owner, repo.Name)
		if g.retry(err) {
			return err
		}
		repoDef = defaultFact(lvl, err, "the repository's Actions settings could not be read")
		return nil
	})
	if repo.IsOrg() {
		eg.Go(func() error {
			lvl, err := g.Source.OrgWorkflowDefault(ectx, repo.Owner)
			if g.retry(err) {
				return err
			}
			orgDef = defaultFact(lvl, err, "the organisation's Actions settings could not be read")
			return nil
		})
	} else {
		orgDef = diagnose.UnknownFact[string]("the repository belongs to a user account, which has no organisation default", "")
	}
	err = eg.Wait()
	return repoDef, orgDef, err
}

// defaultFact is a default workflow permission as a fact: known, or
// unknown with what went wrong.
func defaultFact(level string, err error, what string) diagnose.Fact[string] {
	if err != nil {
		return unknownFrom[string](err, what)
	}
	return diagnose.KnownFact(level)
}

func (g *Gatherer) workflowFile(ctx context.Context, repo diagnose.Repo, run diagnose.Run) (diagnose.Fact[diagnose.WorkflowFile], error) {
	if run.Path == "" {
		return diagnose.UnknownFact[diagnose.WorkflowFile]("the event does not name the workflow file", ""), nil
	}
	src, err := g.Source.GetFile(ctx, repo.Owner, repo.Name, run.Path, run.HeadSHA)
	if g.retry(err) {
		return diagnose.Fact[diagnose.WorkflowFile]{}, fmt.Errorf("reading the workflow file: %w", err)
	}
	if err != nil {
		if gherr.IsNotFound(err) {
			return diagnose.UnknownFact[diagnose.WorkflowFile](
				fmt.Sprintf("%s does not exist at %s (moved, renamed, or a dynamic workflow)", run.Path, short(run.HeadSHA)), ""), nil
		}
		return unknownFrom[diagnose.WorkflowFile](err, "the workflow file could not be read"), nil
	}
	file, err := workflow.Parse(src)
	if err != nil {
		return diagnose.UnknownFact[diagnose.WorkflowFile](fmt.Sprintf("%s could not be parsed: %v", run.Path, err), ""), nil
	}
	return diagnose.KnownFact(diagnose.WorkflowFile{Path: run.Path, Source: src, File: file}), nil
}

// FindPullRequests fills in the run's pull requests when the event has none,
// as happens for pull requests from forks.
func (g *Gatherer) FindPullRequests(ctx context.Context, f *diagnose.Facts) {
	if prs, ok := g.pullRequests(ctx, f.Repo, f.Run); ok {
		f.Run.PullRequests = prs
	}
}

// pullRequests looks up the run's pull requests by its head commit when
// the event names none for a pull-request run; false when there is
// nothing to look up or the lookup failed (logged).
func (g *Gatherer) pullRequests(ctx context.Context, repo diagnose.Repo, run diagnose.Run) ([]int, bool) {
	if len(run.PullRequests) > 0 || (run.Event != "pull_request" && run.Event != "pull_request_target") {
		return nil, false
	}
	prs, err := g.Source.PullsForCommit(ctx, repo.Owner, repo.Name, run.HeadSHA)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("Could not find the pull request of the run.")
		return nil, false
	}
	return prs, true
}

// GatherFacts reads every fact the diagnosis needs besides the logs, at
// once: GatherSettings' and the run's pull requests.
func (g *Gatherer) GatherFacts(ctx context.Context, f *diagnose.Facts) error {
	var (
		prs   []int
		found bool
	)
	repo, run := f.Repo, f.Run
	done := make(chan struct{})
	go func() {
		defer close(done)
		prs, found = g.pullRequests(ctx, repo, run)
	}()
	err := g.GatherSettings(ctx, f)
	<-done
	if err != nil {
		return err
	}
	if found {
		f.Run.PullRequests = prs
	}
	return nil
}

// unknownFrom turns an error into an unknown fact, naming the permission
// the app lacks when GitHub said so.
func unknownFrom[T any](err error, what string) diagnose.Fact[T] {
	if pe, ok := gherr.AsPermission(err); ok {
		perm := pe.Permission()
		reason := what + ": the app lacks a permission"
		if perm != "" {
			reason += " (" + perm + ")"
		}
		return diagnose.UnknownFact[T](reason, perm)
	}
	var nf *gherr.NotFoundError
	if errors.As(err, &nf) {
		if nf.Status == 410 {
			return diagnose.UnknownFact[T](what+": it has expired", "")
		}
		return diagnose.UnknownFact[T](what+": not found (expired, deleted, or not visible to the app)", "")
	}
	if gherr.IsTransient(err) {
		return diagnose.UnknownFact[T](fmt.Sprintf("%s: GitHub kept failing, through every retry (%v)", what, err), "")
	}
	return diagnose.UnknownFact[T](fmt.Sprintf("%s: %v", what, err), "")
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
