package preflight

import (
	"regexp"
	"strings"
)

// gate is what an if: condition (or a build-push-action push: expression)
// says about the runs a step publishes on.
type gate struct {
	// noPullRequest: the condition is false on every pull_request run.
	noPullRequest bool
	// noFork: the condition is false on pull requests from forks (it
	// requires the head repository to be this one, or Dependabot as actor).
	noFork bool
	// dependabotOnly: the condition is true only on Dependabot's runs.
	dependabotOnly bool
}

var (
	// notPullRequestRe: event_name compared with != to a pull_request event.
	notPullRequestRe = regexp.MustCompile(`github\.event_name\s*!=\s*'pull_request(_review(_comment)?)?'`)
	// otherEventRe: event_name compared with == to another event.
	otherEventRe = regexp.MustCompile(`github\.event_name\s*==\s*'([a-z_]+)'`)
	// branchOrTagRefRe: ref tests false on pull requests, whose ref is
	// refs/pull/N/merge.
	branchOrTagRefRe = regexp.MustCompile(`github\.ref\s*==\s*'refs/(heads|tags)/|startsWith\(\s*github\.ref\s*,\s*'refs/(heads|tags)/|github\.ref_type\s*==\s*'tag'|github\.ref_name\s*==\s*github\.event\.repository\.default_branch`)
	// sameRepoRe: conditions that exclude forks' pull requests.
	sameRepoRe = regexp.MustCompile(`github\.event\.pull_request\.head\.repo\.full_name\s*==\s*github\.repository|!\s*github\.event\.pull_request\.head\.repo\.fork|github\.event\.pull_request\.head\.repo\.fork\s*==\s*false`)
	// dependabotRe: conditions that select Dependabot's runs.
	dependabotRe = regexp.MustCompile(`(github\.actor|github\.triggering_actor|github\.event\.pull_request\.user\.login)\s*==\s*'dependabot\[bot\]'|startsWith\(\s*github\.head_ref\s*,\s*'dependabot/`)
)

// evalGate reads a condition as written. The reading is deliberately
// simple and errs towards "may run": the condition is split into its
// top-level || alternatives, an alternative excludes a kind of run when one
// of its && parts does, and the condition excludes it when every
// alternative does. Anything not recognised may run.
func evalGate(cond string) gate {
	cond = strings.TrimSpace(cond)
	cond = strings.TrimSuffix(strings.TrimPrefix(cond, "${{"), "}}")
	if strings.TrimSpace(cond) == "" {
		return gate{}
	}
	g := gate{noPullRequest: true, noFork: true, dependabotOnly: true}
	for _, alt := range strings.Split(cond, "||") {
		a := altGate(alt)
		g.noPullRequest = g.noPullRequest && a.noPullRequest
		g.noFork = g.noFork && (a.noFork || a.noPullRequest)
		g.dependabotOnly = g.dependabotOnly && a.dependabotOnly
	}
	return g
}

// altGate reads one || alternative: a conjunction of && parts.
func altGate(alt string) gate {
	var g gate
	for _, part := range strings.Split(alt, "&&") {
		part = strings.Trim(strings.TrimSpace(part), "()")
		switch {
		case notPullRequestRe.MatchString(part), branchOrTagRefRe.MatchString(part):
			g.noPullRequest = true
		case otherEventRe.MatchString(part):
			if ev := otherEventRe.FindStringSubmatch(part)[1]; !strings.HasPrefix(ev, "pull_request") {
				g.noPullRequest = true
			}
		case dependabotRe.MatchString(part):
			g.dependabotOnly, g.noFork = true, true
		case sameRepoRe.MatchString(part):
			g.noFork = true
		}
	}
	return g
}

// and combines the gates of conditions that all must hold (job if:, step
// if:, push: expression).
func (g gate) and(o gate) gate {
	return gate{
		noPullRequest:  g.noPullRequest || o.noPullRequest,
		noFork:         g.noFork || o.noFork,
		dependabotOnly: g.dependabotOnly || o.dependabotOnly,
	}
}

// forkRuns reports whether forks' pull requests may run the step.
func (g gate) forkRuns() bool { return !g.noPullRequest && !g.noFork }
