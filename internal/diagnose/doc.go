// Package diagnose is the pure decision table: the findings of the
// scanner and the facts gathered about a failed run (token permissions,
// the workflow file, repository and organisation defaults, the event) in,
// the causes with their evidence, checks and fixes out. It performs no
// I/O. A new cause is one rule (rules.go) and its text (causes.go).
package diagnose
