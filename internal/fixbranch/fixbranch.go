// Package fixbranch names the branches ghcr-doctor opens fix pull requests
// from: one per (workflow, job) and kind of fix, so a second `/ghcr fix`
// finds the first, and a report can say that a fix is already proposed.
package fixbranch

import (
	"path"
	"regexp"
	"strings"
)

// Prefix is the namespace of the branches ghcr-doctor creates.
const Prefix = "ghcr-doctor/"

// Kinds of fix branch.
const (
	PackagesWrite = "packages-write"
	Lowercase     = "lowercase"
)

// Name is the branch of a fix of kind for the job of a workflow file:
// "ghcr-doctor/packages-write/release-build" for .github/workflows/release.yml
// and job build.
func Name(kind, workflowPath, jobID string) string {
	base := path.Base(workflowPath)
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".yml"), ".yaml")
	return Prefix + kind + "/" + refSafe(base+"-"+jobID)
}

var refUnsafeRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// refSafe makes a git branch name component out of arbitrary text.
func refSafe(s string) string {
	s = refUnsafeRE.ReplaceAllString(s, "-")
	for strings.Contains(s, "..") {
		s = strings.ReplaceAll(s, "..", ".")
	}
	s = strings.Trim(s, "-.")
	s = strings.TrimSuffix(s, ".lock")
	if len(s) > 80 {
		s = strings.Trim(s[:80], "-.")
	}
	if s == "" {
		s = "workflow"
	}
	return s
}
