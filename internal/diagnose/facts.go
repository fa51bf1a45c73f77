package diagnose

import (
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// Fact is a value gathered from GitHub that may be unknown. An unknown fact
// carries the reason, and, when the app could read it with one more
// permission, the permission to grant ("administration:read").
type Fact[T any] struct {
	Value      T
	Known      bool
	Reason     string
	Permission string
	// NotNeeded marks a fact left unread because it could not change the
	// diagnosis (see DefaultsDecide); the report leaves it out rather than
	// calling it unknown.
	NotNeeded bool
}

// KnownFact returns a known fact holding v.
func KnownFact[T any](v T) Fact[T] { return Fact[T]{Value: v, Known: true} }

// UnknownFact returns an unknown fact with the reason and, if any, the app
// permission that would have made it readable.
func UnknownFact[T any](reason, permission string) Fact[T] {
	return Fact[T]{Reason: reason, Permission: permission}
}

// NotNeededFact returns a fact left unread because nothing depends on it.
func NotNeededFact[T any](reason string) Fact[T] {
	return Fact[T]{Reason: reason, NotNeeded: true}
}

// Repo identifies the repository a run belongs to.
type Repo struct {
	Owner string
	Name  string
	// OwnerType is "Organization" or "User".
	OwnerType     string
	DefaultBranch string
	Private       bool
}

// FullName is "owner/name".
func (r Repo) FullName() string { return r.Owner + "/" + r.Name }

// IsOrg reports whether the repository belongs to an organisation.
func (r Repo) IsOrg() bool { return r.OwnerType == "Organization" }

// Run holds what the workflow_run event says about the run.
type Run struct {
	ID           int64
	Attempt      int
	WorkflowID   int64
	WorkflowName string
	// Path is the workflow file, ".github/workflows/release.yml".
	Path       string
	Event      string
	HeadSHA    string
	HeadBranch string
	// HeadRepo is the full name of the repository the head commit is in
	// (differs from the run's repository for fork pull requests).
	HeadRepo        string
	Actor           string
	TriggeringActor string
	HTMLURL         string
	Conclusion      string
	// PullRequests are the numbers of the pull requests of the run.
	PullRequests []int
}

// IsFork reports whether the run's head is in another repository.
func (r Run) IsFork(repo Repo) bool {
	return r.HeadRepo != "" && !strings.EqualFold(r.HeadRepo, repo.FullName())
}

// IsDependabot reports whether Dependabot caused the run; its rules apply
// even when someone else re-runs it.
func (r Run) IsDependabot() bool { return r.Actor == "dependabot[bot]" }

// IsPullRequestEvent reports whether the run was triggered by a pull request
// event that gets a read-only token from forks (pull_request_target does not).
func (r Run) IsPullRequestEvent() bool { return ForkReadOnlyEvent(r.Event) }

// JobLog is what was learnt from one failed job's log.
type JobLog struct {
	ID      int64
	Name    string
	HTMLURL string
	Scan    *scan.ScanResult
	// Err says why the log could not be read ("expired", missing permission…); Scan is nil then.
	Err Fact[struct{}]
}

// WorkflowFile is the workflow file at the run's head commit.
type WorkflowFile struct {
	Path   string
	Source []byte
	File   *workflow.File
}

// Facts is everything gathered about a failed run.
type Facts struct {
	Repo Repo
	Run  Run
	Jobs []JobLog
	// Workflow is unknown when the file could not be read or parsed.
	Workflow Fact[WorkflowFile]
	// RepoDefault is the repository's default workflow permission, "read" or "write".
	RepoDefault Fact[string]
	// OrgDefault is the organisation's default workflow permission.
	OrgDefault Fact[string]
}
