package action

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// GitHub is what the step needs from GitHub's API: the run, its jobs and
// logs, the facts around it, and the pull-request comment.
type GitHub interface {
	triage.FactSource
	report.GitHub
	GetRun(ctx context.Context, owner, repo string, runID int64, attempt int) (diagnose.Repo, diagnose.Run, error)
}

// Runner runs the step.
type Runner struct {
	Env Env
	GH  GitHub
	// Source reads the jobs and their logs; GH when nil.
	Source triage.FactSource
	// Commands receives the workflow commands (the annotations): the
	// step's standard output.
	Commands io.Writer
	// Log receives what the step did, for people.
	Log io.Writer
	// Self is the token's own login when it has one (a person's token),
	// so that the comment it wrote before is found again; "" otherwise.
	Self string
	// Random draws the outputs' delimiters; crypto/rand when nil.
	Random io.Reader
}

// StepReport is what the step reported.
type StepReport struct {
	Findings Findings
	// ReportPath is the file holding the report.
	ReportPath string
	// Comments are the pull-request comments written or found.
	Comments []int64
}

// Run diagnoses the run and reports: the job summary, the annotations,
// the outputs, and the comment when asked. Errors are for the person
// setting up the step; a diagnosis is never one.
func (r *Runner) Run(ctx context.Context) (StepReport, error) {
	e := r.Env
	owner, name, _ := strings.Cut(e.Repository, "/")
	what := fmt.Sprintf("run %d", e.RunID)
	if e.RunAttempt > 0 {
		what = fmt.Sprintf("attempt %d of run %d", e.RunAttempt, e.RunID)
	}
	repo, run, err := r.GH.GetRun(ctx, owner, name, e.RunID, e.RunAttempt)
	if err != nil {
		return StepReport{}, explainRead(err, what, e.Repository)
	}
	fmt.Fprintf(r.Log, "ghcr-doctor: diagnosing %s of %s, workflow %s (%s).\n", what, e.Repository,
		markdown.Plain(run.WorkflowName, 100), markdown.Plain(run.Path, 200))

	found, err := r.examine(ctx, repo, run)
	if err != nil {
		return StepReport{}, err
	}
	out := StepReport{Findings: found}
	if out.ReportPath, err = r.report(found); err != nil {
		return out, err
	}
	if e.Comment {
		if out.Comments, err = r.comment(ctx, found); err != nil {
			return out, err
		}
	}
	return out, nil
}

// examine scans the failed jobs and diagnoses what they show, through the
// App's own data path. There is no retry to come: what GitHub fails to
// serve is reported as unknown, and logs that stay unreadable get a
// report saying so.
func (r *Runner) examine(ctx context.Context, repo diagnose.Repo, run diagnose.Run) (Findings, error) {
	hosts, err := triage.RegistryHostsFor(r.Env.ServerURL)
	if err != nil {
		return Findings{}, &SetupError{Msg: "GITHUB_SERVER_URL: " + err.Error()}
	}
	src := r.Source
	if src == nil {
		src = r.GH
	}
	doc := &triage.Doctor{WebURL: r.Env.ServerURL, Hosts: hosts}
	facts, ds, err := doc.Examine(ctx, src, triage.RunEvent{Repo: repo, Run: run, FinalAttempt: true})
	if err != nil {
		return Findings{}, explainRead(err, fmt.Sprintf("the jobs of run %d", run.ID), r.Env.Repository)
	}
	t := report.Target{Repo: facts.Repo, Run: facts.Run, WebURL: r.Env.ServerURL}
	for _, j := range facts.Jobs {
		t.Jobs = append(t.Jobs, report.Job{Name: j.Name, HTMLURL: j.HTMLURL})
	}
	return Findings{Facts: facts, Diagnoses: ds, Target: t}, nil
}

// report writes the report file, the job summary, the annotations and the
// outputs, and returns the report file's path.
func (r *Runner) report(f Findings) (string, error) {
	md := Summary(f)
	path, err := r.writeReportFile(f, md)
	if err != nil {
		return "", err
	}
	if r.Env.StepSummary != "" {
		if err := AppendSummary(r.Env.StepSummary, md); err != nil {
			return path, err
		}
	}
	annotations := Annotations(f.Diagnoses, f.Target)
	for _, a := range annotations {
		fmt.Fprintln(r.Commands, a.Command())
	}
	r.logVerdict(f, len(annotations))
	fmt.Fprintf(r.Log, "ghcr-doctor: the report is also in %s.\n", path)
	if r.Env.Output != "" {
		if err := WriteOutputs(r.Env.Output, outputs(f, path), r.Random); err != nil {
			return path, err
		}
	}
	return path, nil
}

// outputs are the step's outputs: found, cause, fix and report.
func outputs(f Findings, reportPath string) []Output {
	d, ok := f.first()
	if !ok {
		return []Output{{"found", "false"}, {"cause", ""}, {"fix", ""}, {"report", reportPath}}
	}
	c := d.Primary()
	return []Output{{"found", "true"}, {"cause", string(c.ID)}, {"fix", markdown.Plain(c.Fix.Summary, 1000)}, {"report", reportPath}}
}

// writeReportFile keeps the report in RUNNER_TEMP (else the system's
// temporary directory), named after the run, for later steps.
func (r *Runner) writeReportFile(f Findings, md string) (string, error) {
	dir := r.Env.RunnerTemp
	if dir == "" {
		dir = os.TempDir()
	}
	name := fmt.Sprintf("ghcr-doctor-report-%d-%d.md", f.Target.Run.ID, f.Target.Run.Attempt)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
		return "", fmt.Errorf("writing the report file: %w", err)
	}
	return path, nil
}

// logVerdict tells the step's log what was found. Job names and packages
// come from the run, so they are made plain.
func (r *Runner) logVerdict(f Findings, annotations int) {
	if !f.Found() {
		if len(f.Diagnoses) > 0 {
			fmt.Fprintln(r.Log, "ghcr-doctor: some failed job's log could not be read; the job summary says which.")
			return
		}
		fmt.Fprintf(r.Log, "ghcr-doctor: no GitHub Packages error in the %d failed %s.\n", len(f.Facts.Jobs), plural(len(f.Facts.Jobs), "job", "jobs"))
		return
	}
	listed, omitted := report.ReportedPackages(f.Diagnoses)
	for _, d := range listed {
		fmt.Fprintf(r.Log, "ghcr-doctor: %s: %s\n", markdown.Plain(d.Package.Display(), 200), markdown.Plain(d.Primary().Summary, 500))
	}
	if omitted > 0 {
		fmt.Fprintf(r.Log, "ghcr-doctor: …and %d more refused %s.\n", omitted, plural(omitted, "package", "packages"))
	}
	fmt.Fprintf(r.Log, "ghcr-doctor: the job summary has the report; %d %s the workflow file.\n", annotations, plural(annotations, "annotation marks", "annotations mark"))
}
