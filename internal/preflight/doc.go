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
// The package is pure: it does no I/O and never talks to GitHub. The App's
// check run, the offline `bot audit --workflow` command and the organisation
// audit all call it.
package preflight
