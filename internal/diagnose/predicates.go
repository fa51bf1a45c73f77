package diagnose

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

// The predicates below are the diagnosis's rules that the preflight
// analysis (internal/preflight) applies before anything runs; both call
// them, so "would this be refused, and why" has one source of truth.

// NamespaceMismatch reports whether GitHub Packages refuses a package in the
// namespace pkgOwner published from a repository of repoOwner: a workflow's
// token may publish only under its repository's owner. Maven is the
// exception: its URL names a repository, not a namespace, and the check
// does not apply. Unknown owners ("") never mismatch.
func NamespaceMismatch(registry, pkgOwner, repoOwner string) bool {
	return pkgOwner != "" && repoOwner != "" && !strings.EqualFold(pkgOwner, repoOwner) &&
		scan.RegistryFamily(registry) != "maven"
}

// ForkReadOnlyEvent reports whether runs of the event from a fork get a
// read-only GITHUB_TOKEN whatever the workflow asks for: pull_request and
// its review events do; pull_request_target runs in the base repository
// and does not.
func ForkReadOnlyEvent(event string) bool {
	switch event {
	case "pull_request", "pull_request_review", "pull_request_review_comment":
		return true
	}
	return false
}

// DefaultWorkflowPermission returns the default workflow permission in
// force from the repository's and the organisation's settings ("read",
// "write" or "" when unknown): the repository's, which an organisation's
// read-only setting caps; the organisation's alone when the repository's is
// unknown. source names the setting that decided it.
func DefaultWorkflowPermission(repo, org string) (level, source string) {
	switch {
	case repo != "" && org == "read":
		return "read", "the organisation's read-only default workflow permissions"
	case repo != "":
		return repo, fmt.Sprintf("the repository's default workflow permissions (%s)", repo)
	case org != "":
		return org, fmt.Sprintf("the organisation's default workflow permissions (%s)", org)
	}
	return "", "the default workflow permissions"
}

// RunPackagesLevel applies GitHub's downgrades to the packages level a job's
// token was granted: runs of a fork's pull request get read at most, and
// so do Dependabot's runs unless the workflow file declares the permission
// (a permissions: block raises Dependabot's token, never a fork's). why is
// the downgrade's explanation, "" when the level is unchanged.
func RunPackagesLevel(level string, declared, forkPR, dependabot bool) (string, string) {
	if level != "write" {
		return level, ""
	}
	switch {
	case forkPR:
		return "read", "made read-only because the run comes from a fork"
	case dependabot && !declared:
		return "read", "made read-only because Dependabot triggered the run"
	}
	return level, ""
}
