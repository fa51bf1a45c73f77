package preflight

import (
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// credential returns how the publish authenticates and the line that shows it.
func credential(j *workflow.Job, t target) (kind workflow.CredentialKind, secret string, line int, seen bool) {
	if t.Login != nil {
		return t.Login.Credential, t.Login.SecretName, t.Login.Line, true
	}
	if t.Tool == workflow.ToolNpm {
		// An .npmrc from the repository reads ${NODE_AUTH_TOKEN} at publish time.
		if k, s := j.CredentialOf(t.Step, "${{ env.NODE_AUTH_TOKEN }}"); k != workflow.CredentialUnknown {
			return k, s, t.line, true
		}
	}
	return workflow.CredentialUnknown, "", 0, false
}

// gateOf combines every condition the publish runs under; in a called
// workflow, inputs.X reads what the calling job passes.
func gateOf(j *workflow.Job, ctx runs, t target) gate {
	in := func(cond string) string { return ctx.withInputs(cond) }
	g := ctx.gate.and(evalGate(in(j.If))).and(evalPushGate(in(t.Condition)))
	if t.Step != nil {
		g = g.and(evalGate(in(t.Step.If)))
	}
	return g
}

// checkCredential applies the token rules to one publish.
func (a *analysis) checkCredential(fs *findings, j *workflow.Job, ctx runs, t target) {
	kind, secret, line, seen := credential(j, t)
	g := gateOf(j, ctx, t)
	switch {
	case !seen:
		fs.add(Problem{Verdict: Unknown, Registry: t.host, Line: t.line,
			Reason: fmt.Sprintf("Job %s publishes to %s on line %d, but no login to %s is visible before it, so the credential it uses cannot be told.", j.ID, t.host, t.line, t.host),
			Fix:    fmt.Sprintf("Log in to %s before line %d with the job's GITHUB_TOKEN (docker/login-action with password: ${{ secrets.GITHUB_TOKEN }}).", t.host, t.line)})
	case kind == workflow.CredentialGitHubToken:
		a.checkToken(fs, j, ctx, t, g)
	case kind == workflow.CredentialSecret:
		a.checkSecretRuns(fs, j, ctx, t, g, secret)
		fs.add(Problem{Verdict: PATLogin, Registry: t.host, Line: line,
			Reason: fmt.Sprintf("Job %s logs in to %s on line %d with the secret %s, probably a personal access token, whose scopes cannot be read from the workflow.", j.ID, t.host, line, secret),
			Fix:    fmt.Sprintf("Make sure %s holds a token with write:packages that its owner can publish with, or log in with the job's GITHUB_TOKEN and grant packages: write.", secret)})
	case kind == workflow.CredentialAppToken:
		fs.add(Problem{Verdict: Unknown, Registry: t.host, Line: line,
			Reason: fmt.Sprintf("Job %s logs in to %s on line %d with a GitHub App installation token, whose access to packages the workflow cannot show.", j.ID, t.host, line),
			Fix:    "Check the App's permissions and the package's access list, or log in with the job's GITHUB_TOKEN and grant packages: write."})
	default:
		fs.add(Problem{Verdict: Unknown, Registry: t.host, Line: line,
			Reason: fmt.Sprintf("Job %s logs in to %s on line %d with a credential that cannot be evaluated before the run (an input, a step output or a file).", j.ID, t.host, line),
			Fix:    "Nothing to change if that credential may write packages; the analysis cannot tell."})
	}
}

// checkSecretRuns: secrets are not given to runs from forks, and Dependabot's
// runs get only Dependabot secrets, so a secret login fails there too.
func (a *analysis) checkSecretRuns(fs *findings, j *workflow.Job, ctx runs, t target, g gate, secret string) {
	if hasForkEvent(ctx.events) && g.forkRuns() {
		fs.add(forkProblem(j, t, g, fmt.Sprintf("forks' pull request runs get no secrets, so the login with %s fails", secret)))
	}
	if hasForkEvent(ctx.events) && g.dependabotOnly {
		fs.add(dependabotProblem(j, t, g, fmt.Sprintf("Dependabot's runs get only Dependabot secrets, so the login with %s fails unless it is also a Dependabot secret", secret)))
	}
}

// hasForkEvent reports whether the workflow runs on an event that forks'
// pull requests trigger with a read-only token.
func hasForkEvent(events []string) bool {
	for _, e := range events {
		if diagnose.ForkReadOnlyEvent(e) {
			return true
		}
	}
	return false
}

// forkProblem is the refusal on forks' pull requests, or, when only values
// not known before the run decide whether the publish runs there, an
// unknown that says which condition to look at: never a guess.
func forkProblem(j *workflow.Job, t target, g gate, why string) Problem {
	if g.forkUnsure {
		return unsureProblem(j, t, g, "pull requests from forks", why)
	}
	return Problem{Verdict: ForkPRPush, Registry: t.host, Line: t.line,
		Reason: fmt.Sprintf("Job %s publishes to %s on line %d on pull_request runs; %s. Forks may open pull requests even when the workflow is meant for branches of this repository.", j.ID, t.host, t.line, why),
		Fix:    fmt.Sprintf("Skip the publish on line %d for pull requests: add if: github.event_name != 'pull_request' to the step (for docker/build-push-action, push: ${{ github.event_name != 'pull_request' }}), or if: github.event.pull_request.head.repo.full_name == github.repository to skip forks only.", t.line)}
}

// unsureProblem is an unknown: whether the publish runs on the kind of pull
// request depends on a condition that cannot be evaluated before the run.
func unsureProblem(j *workflow.Job, t target, g gate, runs, why string) Problem {
	return Problem{Verdict: Unknown, Registry: t.host, Line: t.line,
		Reason: fmt.Sprintf("Job %s publishes to %s on line %d, and whether it does so on %s depends on %s, which is not known before the run; if it does, %s.", j.ID, t.host, t.line, runs, g.unsureText, why),
		Fix:    fmt.Sprintf("Make sure the condition is false on %s, or skip the publish there explicitly: if: github.event_name != 'pull_request'.", runs)}
}

func dependabotProblem(j *workflow.Job, t target, g gate, why string) Problem {
	if g.dependabotUnsure {
		return unsureProblem(j, t, g, "Dependabot's pull requests", why)
	}
	return Problem{Verdict: Dependabot, Registry: t.host, Line: t.line,
		Reason: fmt.Sprintf("Job %s publishes to %s on line %d on runs Dependabot triggers; %s.", j.ID, t.host, t.line, why),
		Fix:    fmt.Sprintf("Declare packages: write in job %s's permissions (a declared permission applies to Dependabot's runs), or skip the publish for Dependabot.", j.ID)}
}
