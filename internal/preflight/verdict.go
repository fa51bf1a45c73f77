package preflight

// Verdict is what the analysis concluded for one job.
type Verdict string

// Verdicts, as printed by `bot audit --json`.
const (
	// MissingPackagesWrite: the job publishes with GITHUB_TOKEN but its
	// effective packages permission is not write.
	MissingPackagesWrite Verdict = "missing_packages_write"
	// UppercaseName: an image or package name has (or may expand to) upper case.
	UppercaseName Verdict = "uppercase_name"
	// NamespaceMismatch: the package's namespace is not the repository's owner.
	NamespaceMismatch Verdict = "namespace_mismatch"
	// ForkPRPush: the job publishes on pull_request runs, which forks trigger
	// with a read-only token.
	ForkPRPush Verdict = "fork_pr_push"
	// Dependabot: the job publishes on runs Dependabot triggers, which get a
	// read-only token.
	Dependabot Verdict = "dependabot"
	// PATLogin: the job logs in with a personal token whose scopes cannot be
	// known; a notice, not a failure.
	PATLogin Verdict = "pat_login"
	// OK: the job publishes and nothing is at risk.
	OK Verdict = "ok"
	// NotPublishing: the job does not publish to GitHub Packages.
	NotPublishing Verdict = "not_publishing"
	// Unknown: the job may publish, but expressions or reusable workflows
	// hide what it would do.
	Unknown Verdict = "unknown"
)

// AtRisk reports whether the verdict means the job would be refused.
func (v Verdict) AtRisk() bool {
	switch v {
	case MissingPackagesWrite, UppercaseName, NamespaceMismatch, ForkPRPush, Dependabot:
		return true
	}
	return false
}
