package preflight

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// callerResult analyses a job that calls a reusable workflow. A workflow in
// this repository that Input.Files holds is analysed job by job, with the
// caller's events and condition, and its token bounded by the caller's
// permissions; any other call is unknown.
func (a *analysis) callerResult(j *workflow.Job) Result {
	unknown := func(reason string) Result {
		return Result{File: a.in.Path, Job: j.ID, Verdict: Unknown, Line: j.UsesLine, Reason: reason,
			Fix:      "Nothing to change if the called workflow's jobs may publish; analyse it together with this file.",
			Problems: []Problem{{Verdict: Unknown, Line: j.UsesLine, Reason: reason}}}
	}
	if !strings.HasPrefix(j.Uses, "./") {
		return unknown(fmt.Sprintf("Job %s calls the reusable workflow %s in another repository (line %d); what its jobs publish is not visible here.", j.ID, j.Uses, j.UsesLine))
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(j.Uses, "./"), "@")
	src, ok := a.in.Files[path]
	if !ok {
		return unknown(fmt.Sprintf("Job %s calls the reusable workflow %s (line %d), which was not given; what its jobs publish is not visible here.", j.ID, path, j.UsesLine))
	}
	callee, err := workflow.Parse(src)
	if err != nil {
		return unknown(fmt.Sprintf("Job %s calls the reusable workflow %s (line %d), which is not a valid workflow: %v.", j.ID, path, j.UsesLine, err))
	}
	ctx := runs{file: callee, path: path, events: a.file.Events, gate: evalGate(j.If), caller: j}
	if eff := workflow.EffectivePermission(a.file, j, "packages", a.defaultLevel); eff.Source != workflow.SourceDefault || a.defaultLevel != "" {
		ctx.bound, ctx.boundKnown = eff, true
	}
	all := &findings{}
	for _, cj := range callee.Jobs {
		if cj.Uses != "" {
			all.add(Problem{Verdict: Unknown, Line: j.UsesLine,
				Reason: fmt.Sprintf("Job %s of %s calls another reusable workflow, %s, which is not followed.", cj.ID, path, cj.Uses)})
			continue
		}
		fs := a.jobProblems(cj, ctx)
		for _, h := range fs.hosts {
			all.addHost(h)
		}
		all.others = append(all.others, fs.others...)
		for _, p := range fs.problems {
			if p.Verdict != MissingPackagesWrite || p.Line == 0 {
				p.Line = j.UsesLine // lines of the called file do not belong to this one
			}
			all.add(p)
		}
	}
	return all.result(a.in.Path, j.ID)
}

// inputRe matches inputs.NAME in a condition.
var inputRe = regexp.MustCompile(`\binputs\.([A-Za-z_][A-Za-z0-9_-]*)`)

// withInputs replaces, in a condition of a called workflow, each inputs.X
// the calling job passes with its value: an expression in parentheses, or
// a literal. Inputs not passed stay (and read as unknown).
func (c runs) withInputs(cond string) string {
	if c.caller == nil || len(c.caller.With) == 0 || !strings.Contains(cond, "inputs.") {
		return cond
	}
	return inputRe.ReplaceAllStringFunc(cond, func(m string) string {
		v, ok := c.caller.With[inputRe.FindStringSubmatch(m)[1]]
		if !ok {
			return m
		}
		return inputExpr(v.Str)
	})
}

// inputExpr is a with: value as an expression operand.
func inputExpr(v string) string {
	v = strings.TrimSpace(v)
	if inner, ok := unwrapExpr(v); ok && strings.HasPrefix(v, "${{") {
		return "(" + inner + ")"
	}
	switch strings.ToLower(v) {
	case "true", "false":
		return strings.ToLower(v)
	}
	if strings.Contains(v, "${{") {
		return "inputs.unknown" // a string template: not evaluated
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}
