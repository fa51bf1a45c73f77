// Package workflow models GitHub Actions workflow files for ghcr-doctor.
//
// It has two halves:
//
//   - a read model: Parse turns a workflow file into a File with its
//     jobs, steps, permissions blocks, registry logins and image references,
//     every item carrying the line it came from, and EffectivePermission
//     computes what a job's GITHUB_TOKEN is granted for one scope;
//   - a format-preserving editor: AddPackagesWrite and LowercaseImageRef
//     splice the smallest possible text change into the original bytes,
//     keeping comments, blank lines, quoting, indentation and line endings,
//     and re-parse the result to prove that the change does what it claims.
//
// The package is pure: it does no I/O and never talks to GitHub.
package workflow
