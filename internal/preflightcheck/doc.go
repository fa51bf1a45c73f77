// Package preflightcheck is the App's side of the preflight analysis: for a
// pull request or a push to the default branch that changes a workflow
// (or a local composite action), it reads every workflow file at the head
// commit with the repository files and settings the analysis needs, runs
// internal/preflight on them, and publishes the outcome: one
// "ghcr-doctor preflight" check run on the head commit, with annotations on
// the lines at risk, and, on a pull request, one review comment per job
// that lacks packages: write, carrying the /ghcr fix editor's change as a
// suggested change. Comments are found again by a hidden marker and edited
// or deleted on later pushes, never repeated.
//
// The analysis is pure and lives in internal/preflight; this package only
// gathers its input and talks to GitHub through the GitHub interface.
package preflightcheck
