package preflight

import (
	"strings"
)

// pullRequestRun is one kind of pull_request run an expression is
// evaluated for: what its contexts are known to hold.
type pullRequestRun struct {
	// fork: the head repository is a fork (not this repository).
	fork bool
	// dependabot: Dependabot opened the pull request, from a branch of
	// this repository.
	dependabot bool
}

// The kinds of pull_request runs the rules tell apart.
var (
	sameRepoRun   = pullRequestRun{}
	forkRun       = pullRequestRun{fork: true}
	dependabotRun = pullRequestRun{dependabot: true}
)

// Identities of values known only by what they name.
const (
	symRepository = "this repository"
	symOwner      = "this repository's owner"
	symForkRepo   = "the fork"
	symForkOwner  = "the fork's owner"
)

// lookup returns what a context path holds on the run, unknown when the run
// does not tell.
func (r pullRequestRun) lookup(path string) exprValue {
	headRepo, headOwner := exprValue{kind: valSymbol, s: symRepository}, exprValue{kind: valSymbol, s: symOwner}
	if r.fork {
		headRepo, headOwner = exprValue{kind: valSymbol, s: symForkRepo}, exprValue{kind: valSymbol, s: symForkOwner}
	}
	actor := stringValue("a-contributor")
	headRef := stringValue("a-feature-branch")
	if r.dependabot {
		actor = stringValue("dependabot[bot]")
		headRef = stringValue("dependabot/updates")
	}
	switch path {
	case "github.event_name":
		return stringValue("pull_request")
	case "github.ref":
		return stringValue("refs/pull/1/merge")
	case "github.ref_name":
		return stringValue("1/merge")
	case "github.ref_type":
		return stringValue("branch")
	case "github.head_ref":
		return headRef
	case "github.actor", "github.triggering_actor", "github.event.pull_request.user.login", "github.event.sender.login":
		return actor
	case "github.repository", "github.event.repository.full_name", "github.event.pull_request.base.repo.full_name":
		return exprValue{kind: valSymbol, s: symRepository}
	case "github.repository_owner", "github.event.repository.owner.login", "github.event.pull_request.base.repo.owner.login":
		return exprValue{kind: valSymbol, s: symOwner}
	case "github.event.pull_request.head.repo.full_name":
		return headRepo
	case "github.event.pull_request.head.repo.owner.login":
		return headOwner
	case "github.event.pull_request.head.repo.fork":
		return boolValue(r.fork)
	case "github.event.pull_request":
		return exprValue{kind: valSymbol, s: "the pull request"}
	}
	return unknownValue
}

// eval evaluates the expression on the run.
func (r pullRequestRun) eval(n *exprNode) exprValue {
	switch n.op {
	case "lit":
		return n.val
	case "ctx":
		return r.lookup(n.path)
	case "!":
		t, known := r.eval(n.args[0]).truthy()
		if !known {
			return unknownValue
		}
		return boolValue(!t)
	case "==", "!=":
		eq, known := equal(r.eval(n.args[0]), r.eval(n.args[1]))
		if !known {
			return unknownValue
		}
		return boolValue(eq == (n.op == "=="))
	case "&&":
		left := r.eval(n.args[0])
		t, known := left.truthy()
		switch {
		case known && !t:
			return left
		case known:
			return r.eval(n.args[1])
		}
		// Unknown left: false when the right side is false anyway.
		if rt, rk := r.eval(n.args[1]).truthy(); rk && !rt {
			return boolValue(false)
		}
		return unknownValue
	case "||":
		left := r.eval(n.args[0])
		t, known := left.truthy()
		switch {
		case known && t:
			return left
		case known:
			return r.eval(n.args[1])
		}
		return unknownValue
	case "call":
		return r.call(n)
	}
	return unknownValue // <, >, …: numbers the run does not know
}

// call evaluates the string functions on known strings, and the status
// functions on the path that matters, where every earlier step succeeded
// (the publish that would be refused): success() and always() are true,
// failure() and cancelled() false. The others are unknown.
func (r pullRequestRun) call(n *exprNode) exprValue {
	args := make([]exprValue, len(n.args))
	for i, a := range n.args {
		args[i] = r.eval(a)
	}
	strs := func() (a, b string, ok bool) {
		if len(args) != 2 || args[0].kind != valString || args[1].kind != valString {
			return "", "", false
		}
		return strings.ToLower(args[0].s), strings.ToLower(args[1].s), true
	}
	switch n.name {
	case "startswith":
		if a, b, ok := strs(); ok {
			return boolValue(strings.HasPrefix(a, b))
		}
	case "endswith":
		if a, b, ok := strs(); ok {
			return boolValue(strings.HasSuffix(a, b))
		}
	case "contains":
		if a, b, ok := strs(); ok {
			return boolValue(strings.Contains(a, b))
		}
	case "format":
		return r.format(args)
	case "success", "always":
		if len(args) == 0 {
			return boolValue(true)
		}
	case "failure", "cancelled":
		if len(args) == 0 {
			return boolValue(false)
		}
	}
	return unknownValue
}

// format evaluates format('refs/heads/{0}', …) far enough for the ref
// tests: a literal prefix before the first placeholder is kept, so that a
// pull request's ref can be told apart from it.
func (r pullRequestRun) format(args []exprValue) exprValue {
	if len(args) == 0 || args[0].kind != valString {
		return unknownValue
	}
	f := args[0].s
	out := f
	for i := 1; i < len(args); i++ {
		ph := "{" + string(rune('0'+i-1)) + "}"
		if !strings.Contains(out, ph) {
			continue
		}
		if args[i].kind != valString {
			return r.formatPrefix(f)
		}
		out = strings.ReplaceAll(out, ph, args[i].s)
	}
	return stringValue(out)
}

// unknownRest ends a string whose start is known: it equals no real value.
const unknownRest = "\x00"

// formatPrefix: a format whose placeholders are unknown equals no
// pull-request ref when its literal start is a branch or tag ref.
func (pullRequestRun) formatPrefix(f string) exprValue {
	prefix, _, _ := strings.Cut(f, "{")
	if strings.HasPrefix(prefix, "refs/heads/") || strings.HasPrefix(prefix, "refs/tags/") {
		return stringValue(prefix + unknownRest)
	}
	return unknownValue
}

// mayRun reports whether an if: condition may be true on the run (it is
// unless the run's known values make it false) and whether it surely is.
func (r pullRequestRun) mayRun(n *exprNode) (may, sure bool) {
	t, known := r.eval(n).truthy()
	return !known || t, known && t
}

// mayPush reports whether a push: input may be true on the run, and
// whether it surely is. The input is a string: only "false" (any case), the
// empty string and false turn the push off.
func (r pullRequestRun) mayPush(n *exprNode) (may, sure bool) {
	v := r.eval(n)
	switch v.kind {
	case valBool:
		return v.b, v.b
	case valString:
		on := !strings.EqualFold(strings.TrimSpace(v.s), "false") && v.s != ""
		return on, on
	case valNull:
		return false, false
	}
	return true, false
}
