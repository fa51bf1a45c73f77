package preflight

import (
	"strings"
)

// gate is what an if: condition (or a build-push-action push: expression)
// says about the runs a step publishes on.
type gate struct {
	// noPullRequest: the condition is false on every pull_request run.
	noPullRequest bool
	// noFork: the condition is false on pull requests from forks.
	noFork bool
	// dependabotOnly: on pull_request runs, the condition is true only on
	// Dependabot's (false on the others, not on Dependabot's).
	dependabotOnly bool
	// forkUnsure: the condition may be true on pull requests from forks,
	// but only by values not known before the run (inputs, variables, step
	// outputs), or it could not be read.
	forkUnsure bool
	// dependabotUnsure: likewise on Dependabot's pull requests.
	dependabotUnsure bool
	// unsureText is the condition that leaves it open, as written.
	unsureText string
}

// evalGate reads an if: condition. The condition is parsed and evaluated
// on three kinds of pull_request runs (a branch of this repository, a fork,
// Dependabot) with what each is known to hold (exprcontext.go); anything
// else (inputs, variables, step outputs, status functions) is unknown, and
// a condition excludes a kind of run only when it is false whatever the
// unknown values are. A condition that cannot be read may run anywhere.
func evalGate(cond string) gate {
	return gateFrom(cond, pullRequestRun.mayRun)
}

// evalPushGate reads build-push-action's push: input, a string that turns
// the push off when it is "false": ${{ github.event_name != 'pull_request' }},
// or the ternary ${{ cond && 'true' || 'false' }}.
func evalPushGate(push string) gate {
	return gateFrom(push, pullRequestRun.mayPush)
}

func gateFrom(cond string, may func(pullRequestRun, *exprNode) (bool, bool)) gate {
	if strings.TrimSpace(cond) == "" {
		return gate{}
	}
	unread := gate{forkUnsure: true, dependabotUnsure: true, unsureText: strings.TrimSpace(cond)}
	expr, ok := unwrapExpr(cond)
	if !ok {
		return unread
	}
	n, ok := parseExpr(expr)
	if !ok {
		return unread
	}
	same, _ := may(sameRepoRun, n)
	fork, forkSure := may(forkRun, n)
	deps, depsSure := may(dependabotRun, n)
	g := gate{
		noPullRequest:    !same && !fork && !deps,
		noFork:           !fork,
		dependabotOnly:   !same && !fork && deps,
		forkUnsure:       fork && !forkSure,
		dependabotUnsure: deps && !depsSure,
	}
	if g.forkUnsure || g.dependabotUnsure {
		g.unsureText = strings.TrimSpace(cond)
	}
	return g
}

// unwrapExpr returns the expression of a condition: the text inside one
// ${{ }} that spans it, or the bare condition (if: may omit the braces).
// ok is false for an empty condition or a string template with text around
// its expressions.
func unwrapExpr(cond string) (string, bool) {
	cond = strings.TrimSpace(cond)
	if cond == "" {
		return "", false
	}
	if !strings.Contains(cond, "${{") {
		return cond, true
	}
	inner, found := strings.CutPrefix(cond, "${{")
	inner, closed := strings.CutSuffix(inner, "}}")
	if !found || !closed || strings.Contains(inner, "${{") || strings.Contains(inner, "}}") {
		return "", false
	}
	return strings.TrimSpace(inner), true
}

// and combines the gates of conditions that all must hold (job if:, step
// if:, push: expression).
func (g gate) and(o gate) gate {
	c := gate{
		noPullRequest: g.noPullRequest || o.noPullRequest,
		noFork:        g.noFork || o.noFork,
	}
	c.dependabotOnly = (g.dependabotOnly || o.dependabotOnly) && !c.noPullRequest
	c.forkUnsure = (g.forkUnsure || o.forkUnsure) && c.forkRuns()
	c.dependabotUnsure = (g.dependabotUnsure || o.dependabotUnsure) && !c.noPullRequest
	for _, u := range []gate{g, o} {
		if c.unsureText == "" && (u.forkUnsure || u.dependabotUnsure) {
			c.unsureText = u.unsureText
		}
	}
	return c
}

// forkRuns reports whether forks' pull requests may run the step.
func (g gate) forkRuns() bool { return !g.noPullRequest && !g.noFork }
