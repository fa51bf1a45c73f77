// Package preflight predicts, before anything runs, whether a workflow's
// publishing jobs would be refused by GitHub Packages, and why.
//
// Analyze reads one workflow file (and the repository files it needs, such
// as package.json or .npmrc) with what is known of the repository's settings
// and returns one Result per job: where it publishes, a Verdict, the line
// that decides it, the reason and the fix. It reuses the diagnosis's rules
// (internal/diagnose) and the workflow model and editor (internal/workflow),
// so "would this be refused, and why" has one source of truth, and the
// suggested edit is the one the /ghcr fix pull request would make.
//
// The rules for the runs a publish happens on, read from on:, the job's and
// the step's if: and build-push-action's push: expression. The conditions
// are parsed and evaluated on a pull request from a branch, from a fork and
// from Dependabot, with only what each run is known to hold (expr.go,
// exprcontext.go, conditions.go):
//
//   - fork_pr_push when the workflow runs on pull_request (or its review
//     events) and no condition excludes pull requests or forks' ones;
//     pull_request_target is not downgraded, and a branches: filter does
//     not keep forks out.
//   - dependabot only when the workflow runs on pull_request and a condition
//     selects Dependabot's runs (github.actor == 'dependabot[bot]', a
//     dependabot/ head branch), the publish uses GITHUB_TOKEN or a secret,
//     and the permission comes from the default rather than the file. A
//     push-only workflow is never flagged: whether Dependabot's branch
//     pushes publish cannot be told from the file.
//
// What cannot be known before the run (an image name from a matrix or an
// input, a registry in a bake file or an expression, a credential from a
// step output, a called workflow not given, a default that could not be
// read) makes the job Unknown, with a reason that says what, never a guess.
//
// The package is pure: it does no I/O and never talks to GitHub. The App's
// check run, the offline `bot audit --workflow` command and the organisation
// audit all call it.
package preflight
