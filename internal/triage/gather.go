package triage

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rs/zerolog"

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

// ScanLogs lists the failed jobs of the run and scans each log. Logs that
// cannot be read are recorded with the reason; a transient failure to read
// one is returned (but for the last try), so that the job is tried again
// rather than reporting nothing. Listing the jobs failing is an error.
func (g *Gatherer) ScanLogs(ctx context.Context, f *diagnose.Facts) error {
	jobs, err := g.Source.ListRunJobs(ctx, f.Repo.Owner, f.Repo.Name, f.Run.ID, f.Run.Attempt)
	if err != nil {
		return fmt.Errorf("listing jobs of run %d: %w", f.Run.ID, err)
	}
	for _, j := range jobs {
		if j.Conclusion != "failure" {
			continue
		}
		jl := diagnose.JobLog{ID: j.ID, Name: j.Name, HTMLURL: j.HTMLURL}
		scan, err := g.scanJob(ctx, f, j.ID)
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
		f.Jobs = append(f.Jobs, jl)
	}
	return nil
}

func (g *Gatherer) scanJob(ctx context.Context, f *diagnose.Facts, jobID int64) (*scan.ScanResult, error) {
	rc, err := g.Source.OpenJobLog(ctx, f.Repo.Owner, f.Repo.Name, jobID)
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

// GatherSettings reads the workflow file at the run's commit and the
// default workflow permissions, recording what cannot be read (a missing
// permission, a missing file) as unknown. A transient failure (a 5xx, a
// rate limit, the network) is returned, so the job is tried again rather
// than reporting a poorer diagnosis; on the last try it is recorded as
// unknown too.
func (g *Gatherer) GatherSettings(ctx context.Context, f *diagnose.Facts) error {
	wf, err := g.workflowFile(ctx, f)
	if err != nil {
		return err
	}
	f.Workflow = wf
	return g.GatherDefaults(ctx, f)
}

// GatherDefaults reads the repository's and the organisation's default
// workflow permissions into f, recording what cannot be read as unknown;
// a transient failure is returned (but on the last try), like GatherSettings.
// The preflight check reads the same facts through it.
func (g *Gatherer) GatherDefaults(ctx context.Context, f *diagnose.Facts) error {
	if lvl, err := g.Source.RepoWorkflowDefault(ctx, f.Repo.Owner, f.Repo.Name); err != nil {
		if g.retry(err) {
			return err
		}
		f.RepoDefault = unknownFrom[string](err, "the repository's Actions settings could not be read")
	} else {
		f.RepoDefault = diagnose.KnownFact(lvl)
	}
	if !f.Repo.IsOrg() {
		f.OrgDefault = diagnose.UnknownFact[string]("the repository belongs to a user account, which has no organisation default", "")
		return nil
	}
	if lvl, err := g.Source.OrgWorkflowDefault(ctx, f.Repo.Owner); err != nil {
		if g.retry(err) {
			return err
		}
		f.OrgDefault = unknownFrom[string](err, "the organisation's Actions settings could not be read")
	} else {
		f.OrgDefault = diagnose.KnownFact(lvl)
	}
	return nil
}

func (g *Gatherer) workflowFile(ctx context.Context, f *diagnose.Facts) (diagnose.Fact[diagnose.WorkflowFile], error) {
	if f.Run.Path == "" {
		return diagnose.UnknownFact[diagnose.WorkflowFile]("the event does not name the workflow file", ""), nil
	}
	src, err := g.Source.GetFile(ctx, f.Repo.Owner, f.Repo.Name, f.Run.Path, f.Run.HeadSHA)
	if g.retry(err) {
		return diagnose.Fact[diagnose.WorkflowFile]{}, fmt.Errorf("reading the workflow file: %w", err)
	}
	if err != nil {
		if gherr.IsNotFound(err) {
			return diagnose.UnknownFact[diagnose.WorkflowFile](
				fmt.Sprintf("%s does not exist at %s (moved, renamed, or a dynamic workflow)", f.Run.Path, short(f.Run.HeadSHA)), ""), nil
		}
		return unknownFrom[diagnose.WorkflowFile](err, "the workflow file could not be read"), nil
	}
	file, err := workflow.Parse(src)
	if err != nil {
		return diagnose.UnknownFact[diagnose.WorkflowFile](fmt.Sprintf("%s could not be parsed: %v", f.Run.Path, err), ""), nil
	}
	return diagnose.KnownFact(diagnose.WorkflowFile{Path: f.Run.Path, Source: src, File: file}), nil
}

// FindPullRequests fills in the run's pull requests when the event has none,
// as happens for pull requests from forks.
func (g *Gatherer) FindPullRequests(ctx context.Context, f *diagnose.Facts) {
	if len(f.Run.PullRequests) > 0 || (f.Run.Event != "pull_request" && f.Run.Event != "pull_request_target") {
		return
	}
	prs, err := g.Source.PullsForCommit(ctx, f.Repo.Owner, f.Repo.Name, f.Run.HeadSHA)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("Could not find the pull request of the run.")
		return
	}
	f.Run.PullRequests = prs
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
