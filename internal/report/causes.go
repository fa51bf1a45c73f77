package report

import (
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// causeLabel is a short name for a cause, for titles and resolved notes.
func causeLabel(id diagnose.CauseID) string {
	switch id {
	case diagnose.CauseMissingPackagesWrite:
		return "Missing packages: write"
	case diagnose.CauseRestrictedDefault:
		return "Read-only GITHUB_TOKEN"
	case diagnose.CauseForkPullRequest:
		return "Fork pull request"
	case diagnose.CauseDependabot:
		return "Dependabot run"
	case diagnose.CausePackageAccess, diagnose.CauseReadAccess:
		return "Package access"
	case diagnose.CausePackageCreation:
		return "Package creation"
	case diagnose.CauseNamespaceMismatch:
		return "Package namespace"
	case diagnose.CausePATCredentials:
		return "Registry credentials"
	case diagnose.CauseAppToken:
		return "GitHub App token"
	case diagnose.CauseNoLogin:
		return "No registry login"
	case diagnose.CauseUppercaseName:
		return "Upper-case name"
	case diagnose.CauseOwnerNotFound:
		return "Unknown namespace"
	case diagnose.CauseInvalidName:
		return "Invalid name"
	case diagnose.CauseNPMScopeMismatch:
		return "npm scope"
	case diagnose.CauseUndetermined, "":
		return "Push refused"
	}
	return string(id)
}

// causeTitle is a one-line plain-text title naming the cause of d,
// e.g. "Package access: ghcr.io/acme/app lacks write for acme/app".
func causeTitle(d diagnose.Diagnosis, t Target) string {
	pkg := d.Package.Display()
	repo := t.Repo.FullName()
	id := primary(d).ID
	var rest string
	switch id {
	case diagnose.CauseMissingPackagesWrite:
		rest = fmt.Sprintf("%s cannot push %s", t.workflowName(), pkg)
	case diagnose.CauseRestrictedDefault:
		rest = fmt.Sprintf("default workflow permissions block pushing %s", pkg)
	case diagnose.CauseForkPullRequest, diagnose.CauseDependabot:
		rest = fmt.Sprintf("read-only token cannot push %s", pkg)
	case diagnose.CausePackageAccess:
		rest = fmt.Sprintf("%s lacks write for %s", pkg, repo)
	case diagnose.CauseReadAccess:
		rest = fmt.Sprintf("%s lacks read for %s", pkg, repo)
	case diagnose.CausePackageCreation:
		rest = fmt.Sprintf("%s does not allow creating %s", t.Repo.Owner, pkg)
	case diagnose.CauseNamespaceMismatch:
		rest = fmt.Sprintf("%s cannot push to %s", repo, pkg)
	case diagnose.CausePATCredentials, diagnose.CauseAppToken:
		rest = fmt.Sprintf("the login token cannot push %s", pkg)
	case diagnose.CauseNoLogin:
		rest = fmt.Sprintf("no login before pushing %s", pkg)
	case diagnose.CauseUppercaseName:
		rest = fmt.Sprintf("%s must be lower-case", pkg)
	case diagnose.CauseOwnerNotFound:
		rest = fmt.Sprintf("%s is not a GitHub user or organisation", d.Package.Owner)
	case diagnose.CauseInvalidName:
		rest = fmt.Sprintf("%s is not a valid package name", pkg)
	case diagnose.CauseNPMScopeMismatch:
		rest = fmt.Sprintf("the scope of %s is not %s", pkg, t.Repo.Owner)
	default:
		rest = fmt.Sprintf("%s refused, cause not determined", pkg)
	}
	return causeLabel(id) + ": " + rest
}

// primary is the most likely cause; a diagnosis without causes (which the
// rules never produce) reads as undetermined rather than panicking.
func primary(d diagnose.Diagnosis) diagnose.Cause {
	if len(d.Causes) == 0 {
		return diagnose.Cause{ID: diagnose.CauseUndetermined, Confidence: diagnose.ConfidenceLow,
			Summary: "GitHub Packages refused " + d.Package.Display() + "."}
	}
	return d.Causes[0]
}

// fixable reports whether ghcr-doctor itself can apply a fix of this kind.
func fixable(k diagnose.FixKind) bool {
	switch k {
	case diagnose.FixWorkflowPR, diagnose.FixLowercasePR, diagnose.FixRepoSetting, diagnose.FixOrgSetting:
		return true
	}
	return false
}

// fixCommandText says what "/ghcr fix" does for a fix kind.
func fixCommandText(f diagnose.Fix) string {
	var s string
	switch f.Kind {
	case diagnose.FixWorkflowPR:
		s = "open a pull request that applies the workflow change above"
	case diagnose.FixLowercasePR:
		s = "open a pull request that lower-cases the image name"
	case diagnose.FixRepoSetting:
		s = "switch the repository's default workflow permissions to read and write"
	case diagnose.FixOrgSetting:
		s = "switch the organisation's default workflow permissions to read and write"
	}
	if f.Role != "" {
		s += " (needs the " + f.Role + " role)"
	}
	return s
}
