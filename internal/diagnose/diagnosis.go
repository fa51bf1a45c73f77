package diagnose

import "github.com/ghcr-doctor/ghcr-doctor/internal/scan"

// CauseID names a root cause from the decision table.
type CauseID string

// The causes ghcr-doctor can diagnose.
const (
	CauseMissingPackagesWrite CauseID = "missing_packages_write"
	CauseRestrictedDefault    CauseID = "restricted_default"
	CauseForkPullRequest      CauseID = "fork_pull_request"
	CauseDependabot           CauseID = "dependabot"
	CausePackageAccess        CauseID = "package_access"
	CausePackageCreation      CauseID = "package_creation"
	CauseNamespaceMismatch    CauseID = "namespace_mismatch"
	CausePATCredentials       CauseID = "pat_credentials"
	CauseAppToken             CauseID = "app_token"
	CauseNoLogin              CauseID = "no_login"
	CauseUppercaseName        CauseID = "uppercase_name"
	CauseOwnerNotFound        CauseID = "owner_not_found"
	CauseInvalidName          CauseID = "invalid_name"
	CauseNPMScopeMismatch     CauseID = "npm_scope_mismatch"
	CauseReadAccess           CauseID = "read_access"
	CauseUndetermined         CauseID = "undetermined"
)

// Confidence says how sure a cause is.
type Confidence string

// Confidence levels.
const (
	ConfidenceHigh   Confidence = "high"
	ConfidenceMedium Confidence = "medium"
	ConfidenceLow    Confidence = "low"
)

// FixKind says who can apply a fix and how.
type FixKind string

// Fix kinds.
const (
	// FixWorkflowPR: the bot can open a pull request that edits the workflow.
	FixWorkflowPR FixKind = "workflow_pr"
	// FixLowercasePR: the bot can open a pull request that lowercases an image name.
	FixLowercasePR FixKind = "lowercase_pr"
	// FixRepoSetting: the bot can change the repository's default workflow permissions (opt-in, admin).
	FixRepoSetting FixKind = "repo_setting"
	// FixOrgSetting: the bot can change the organisation's default workflow permissions (opt-in, owner).
	FixOrgSetting FixKind = "org_setting"
	// FixManual: no API exists; a person must click through settings or change a secret.
	FixManual FixKind = "manual"
)

// Link is a deep link for the reader.
type Link struct {
	Text string
	URL  string
}

// Fix is what makes a cause go away.
type Fix struct {
	Kind FixKind
	// Summary is one sentence saying what to do.
	Summary string
	// Steps are the exact clicks or edits, in order.
	Steps []string
	Links []Link
	// Diff is the YAML change as a unified diff, when there is one.
	Diff string
	// JobID is the workflow job a workflow fix edits.
	JobID string
	// Role is the repository role needed to apply the fix ("write", "admin", "org owner").
	Role string
	// PullRequest, when set, is an open pull request that already makes
	// this change (one the bot opened on `/ghcr fix`).
	PullRequest *Link
}

// Cause is one diagnosed root cause.
type Cause struct {
	ID         CauseID
	Summary    string
	Confidence Confidence
	Evidence   []string
	Fix        Fix
}

// CheckStatus is the outcome of one check in the report's table.
type CheckStatus string

// Check outcomes.
const (
	CheckOK      CheckStatus = "ok"
	CheckFailed  CheckStatus = "failed"
	CheckUnknown CheckStatus = "unknown"
)

// Check is one row of the report's table of checks.
type Check struct {
	Name   string
	Status CheckStatus
	Detail string
}

// Unknown is a fact that could not be read, with why and what would help.
type Unknown struct {
	What       string
	Reason     string
	Permission string
}

// Annotation marks a line of the workflow file that matters.
type Annotation struct {
	Path    string
	Line    int
	Level   string // notice, warning or failure
	Title   string
	Message string
}

// PackageRef identifies the package a diagnosis is about.
type PackageRef struct {
	Registry string
	Owner    string
	Name     string
}

// Display is "ghcr.io/owner/name", or as much of it as is known.
func (p PackageRef) Display() string {
	s := p.Registry
	if p.Owner != "" {
		s += "/" + p.Owner
	}
	if p.Name != "" {
		s += "/" + p.Name
	}
	return s
}

// Diagnosis is the verdict for one package of one failed run.
type Diagnosis struct {
	Package  PackageRef
	Findings []scan.Finding
	// Causes are ordered most likely first; never empty.
	Causes      []Cause
	Checks      []Check
	Unknowns    []Unknown
	Annotations []Annotation
}

// Primary is the most likely cause.
func (d *Diagnosis) Primary() Cause { return d.Causes[0] }
