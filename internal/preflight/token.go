package preflight

import (
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// levelRank orders permission levels.
func levelRank(l string) int {
	switch l {
	case workflow.LevelWrite:
		return 2
	case workflow.LevelRead:
		return 1
	}
	return 0
}

// packagesLevel is the job's packages level as the file, the defaults and
// a calling job decide it.
type packagesLevel struct {
	level    string
	declared bool
	// line decides the level (a permissions entry or block), 0 for the default.
	line int
	// byCaller is true when a calling job's permissions capped the level.
	byCaller bool
	// unknown says why the level cannot be told.
	unknown string
}

// packagesLevelOf works out the GITHUB_TOKEN's packages level for a job.
func (a *analysis) packagesLevelOf(j *workflow.Job, ctx runs) packagesLevel {
	eff := workflow.EffectivePermission(ctx.file, j, "packages", a.defaultLevel)
	pl := packagesLevel{level: eff.Level, declared: eff.Source != workflow.SourceDefault, line: eff.Line}
	switch {
	case ctx.caller != nil:
		if !ctx.boundKnown {
			pl.unknown = fmt.Sprintf("job %s calls this workflow without a permissions block, so its token follows %s, which could not be read", ctx.caller.ID, a.defaultSource)
			return pl
		}
		if !pl.declared || levelRank(ctx.bound.Level) < levelRank(pl.level) {
			pl.level, pl.byCaller = ctx.bound.Level, true
			pl.declared = pl.declared || ctx.bound.Source != workflow.SourceDefault
		}
	case !pl.declared && onlyCalled(ctx.events):
		pl.unknown = "the workflow is only called by other workflows (workflow_call) and declares no permissions, so its token is its callers', which are not known here"
	case !pl.declared && a.defaultLevel == "":
		pl.unknown = fmt.Sprintf("neither job %s nor the workflow declares permissions, so the token follows %s, which could not be read", j.ID, a.defaultSource)
	}
	return pl
}

// onlyCalled reports whether the workflow runs only when another calls it.
func onlyCalled(events []string) bool {
	return len(events) == 1 && events[0] == "workflow_call"
}

// checkToken applies GitHub's token rules to a publish with GITHUB_TOKEN.
func (a *analysis) checkToken(fs *findings, j *workflow.Job, ctx runs, t target, g gate) {
	pl := a.packagesLevelOf(j, ctx)
	if pl.unknown != "" {
		fs.add(Problem{Verdict: Unknown, Registry: t.host, Line: t.line,
			Reason: fmt.Sprintf("Job %s publishes to %s on line %d with GITHUB_TOKEN, but %s.", j.ID, t.host, t.line, pl.unknown),
			Fix:    fmt.Sprintf("Declare packages: write in job %s's permissions, so the token no longer depends on that setting.", j.ID)})
		return
	}
	if pl.level != workflow.LevelWrite {
		fs.add(a.missingWrite(j, ctx, t, pl))
		return
	}
	if _, why := diagnose.RunPackagesLevel(pl.level, pl.declared, true, false); why != "" && hasForkEvent(ctx.events) && g.forkRuns() {
		fs.add(forkProblem(j, t, g, "pull requests from forks get a read-only GITHUB_TOKEN whatever the workflow asks for, so the push is refused for them"))
	}
	if _, why := diagnose.RunPackagesLevel(pl.level, pl.declared, false, true); why != "" && hasForkEvent(ctx.events) && g.dependabotOnly {
		fs.add(dependabotProblem(j, t, g, "Dependabot's runs get a read-only GITHUB_TOKEN unless the workflow declares the permission, and this job takes packages: write from the default"))
	}
}

// missingWrite explains a token without packages: write and where to add it.
func (a *analysis) missingWrite(j *workflow.Job, ctx runs, t target, pl packagesLevel) Problem {
	p := Problem{Verdict: MissingPackagesWrite, Registry: t.host, Line: t.line}
	where := a.defaultSource
	switch {
	case pl.byCaller:
		p.Line = ctx.boundLine()
		p.Reason = fmt.Sprintf("Job %s of %s publishes to %s on line %d, but the calling job %s grants its token packages: %s, and a called workflow's jobs get no more than their caller.", j.ID, ctx.path, t.host, t.line, ctx.caller.ID, pl.level)
		p.Fix = fmt.Sprintf("Add packages: write to job %s's permissions.", ctx.caller.ID)
		return p
	case pl.declared && ctx.caller != nil:
		where = fmt.Sprintf("its permissions in %s (line %d)", ctx.path, pl.line)
		p.Line = ctx.callerLine()
	case pl.declared && listsPackages(ctx.file, j):
		where = fmt.Sprintf("the permissions entry on line %d", pl.line)
		p.Line = pl.line
	case pl.declared:
		where = fmt.Sprintf("the permissions on line %d, which leave packages at %s (a permissions block sets every scope it does not list to none)", pl.line, pl.level)
		p.Line = pl.line
	}
	p.Reason = fmt.Sprintf("Job %s publishes to %s on line %d with GITHUB_TOKEN, which gets packages: %s from %s.", j.ID, t.host, t.line, pl.level, where)
	p.Fix = missingWriteFix(j, ctx, pl)
	return p
}

// missingWriteFix says exactly what to change: the change AddPackagesWrite
// makes, in words.
func missingWriteFix(j *workflow.Job, ctx runs, pl packagesLevel) string {
	in := ""
	if ctx.caller != nil {
		in = " in " + ctx.path
	}
	switch {
	case j.Permissions != nil && listsPackages(ctx.file, j):
		return fmt.Sprintf("Change packages: %s to packages: write on line %d, in job %s's permissions%s.", pl.level, pl.line, j.ID, in)
	case j.Permissions != nil:
		return fmt.Sprintf("Add packages: write to job %s's permissions (line %d)%s.", j.ID, j.Permissions.Line, in)
	case ctx.file.Permissions != nil:
		return fmt.Sprintf("Give job %s its own permissions%s: the scopes of the workflow's block (line %d) plus packages: write, so other jobs keep theirs.", j.ID, in, ctx.file.Permissions.Line)
	}
	return fmt.Sprintf("Add permissions to job %s (line %d)%s: contents: read and packages: write.", j.ID, j.Line, in)
}

// listsPackages reports whether the permissions block that decides the
// job's token lists packages itself.
func listsPackages(f *workflow.File, j *workflow.Job) bool {
	p := j.Permissions
	if p == nil {
		p = f.Permissions
	}
	if p == nil {
		return false
	}
	_, ok := p.Scopes["packages"]
	return ok
}
