package preflight

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// Analyze returns one Result per job of the workflow file, in file order.
// It fails only when the file is not a workflow (the error wraps
// *workflow.ParseError).
func Analyze(in Input) ([]Result, error) {
	f, err := workflow.Parse(in.Source)
	if err != nil {
		return nil, fmt.Errorf("analysing %s: %w", in.Path, err)
	}
	a := newAnalysis(in, f)
	out := make([]Result, 0, len(f.Jobs))
	for _, j := range f.Jobs {
		out = append(out, a.jobResult(j))
	}
	return out, nil
}

// analysis is one Analyze call: the input, its parsed file and the default
// workflow permission in force.
type analysis struct {
	in   Input
	file *workflow.File
	// defaultLevel is "read", "write" or "" when unknown.
	defaultLevel string
	// defaultSource names the setting that decided it, or could not be read.
	defaultSource string
}

func newAnalysis(in Input, f *workflow.File) *analysis {
	level, source := diagnose.DefaultWorkflowPermission(in.Settings.RepoDefault, in.Settings.OrgDefault)
	return &analysis{in: in, file: f, defaultLevel: level, defaultSource: source}
}

// runs is what decides a job's token and triggers: its own file and events,
// or, for the jobs of a called workflow, its caller's.
type runs struct {
	file   *workflow.File
	path   string
	events []string
	// gate is the condition inherited from a caller job's if:.
	gate gate
	// caller is the job calling the reusable workflow, nil for the file's own jobs.
	caller *workflow.Job
	// bound is the caller's effective packages level, known when boundKnown.
	bound      workflow.Effective
	boundKnown bool
}

// callerLine is the line of the calling job's uses: in the analysed file.
func (c runs) callerLine() int {
	if c.caller == nil {
		return 0
	}
	return c.caller.UsesLine
}

// boundLine is the line that decides the caller's level: its permissions
// entry, else its uses: line.
func (c runs) boundLine() int {
	if c.bound.Line > 0 {
		return c.bound.Line
	}
	return c.callerLine()
}

// jobResult analyses one job of the input file.
func (a *analysis) jobResult(j *workflow.Job) Result {
	if j.Uses != "" {
		return a.callerResult(j)
	}
	ctx := runs{file: a.file, path: a.in.Path, events: a.file.Events}
	found := a.jobProblems(j, ctx)
	r := found.result(a.in.Path, j.ID)
	if r.Verdict == MissingPackagesWrite && r.Problems[0].Registry != "" {
		if e, err := workflow.AddPackagesWrite(a.in.Source, j.ID); err == nil {
			r.Edit = &e
		}
	}
	return r
}

// findings is what was found in one job.
type findings struct {
	hosts    []string // GitHub Packages hosts published to, in order
	others   []string // other registries published to
	problems []Problem
	// oks counts publishes checked and found fine.
	oks int
}

func (fs *findings) addHost(h string) {
	for _, x := range fs.hosts {
		if x == h {
			return
		}
	}
	fs.hosts = append(fs.hosts, h)
}

func (fs *findings) add(p Problem) { fs.problems = append(fs.problems, p) }

// result turns the findings into the job's Result.
func (fs *findings) result(file, job string) Result {
	r := Result{File: file, Job: job, PublishesTo: fs.hosts}
	sortProblems(fs.problems)
	r.Problems = fs.problems
	switch {
	case len(fs.problems) > 0:
		p := fs.problems[0]
		r.Verdict, r.Line, r.Reason, r.Fix = p.Verdict, p.Line, p.Reason, p.Fix
	case len(fs.hosts) > 0:
		r.Verdict = OK
		r.Reason = fmt.Sprintf("Job %s publishes to %s with a token that may write packages there.", job, strings.Join(fs.hosts, ", "))
	default:
		r.Verdict = NotPublishing
		r.Reason = fmt.Sprintf("Job %s does not publish to GitHub Packages.", job)
		if len(fs.others) > 0 {
			r.Reason = fmt.Sprintf("Job %s publishes only to %s, not to GitHub Packages.", job, strings.Join(fs.others, ", "))
		}
	}
	return r
}

// jobProblems checks every publish of a job.
func (a *analysis) jobProblems(j *workflow.Job, ctx runs) *findings {
	fs := &findings{}
	for _, p := range j.Publishes() {
		for _, t := range a.targets(j, p) {
			a.checkTarget(fs, j, ctx, t)
		}
	}
	return fs
}

// checkTarget checks one publish to one registry.
func (a *analysis) checkTarget(fs *findings, j *workflow.Job, ctx runs, t target) {
	if t.unknown != "" {
		fs.add(Problem{Verdict: Unknown, Line: t.line, Reason: t.unknown,
			Fix: "Nothing to change if the publish goes elsewhere; run the analysis with the files it names, or check the run's log."})
		return
	}
	if !isPackagesHost(t.host) {
		if !contains(fs.others, t.host) {
			fs.others = append(fs.others, t.host)
		}
		return
	}
	fs.addHost(t.host)
	before := len(fs.problems)
	a.checkCredential(fs, j, ctx, t)
	a.checkNames(fs, j, ctx, t)
	if len(fs.problems) == before {
		fs.oks++
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
