package workflow

import (
	"errors"
	"fmt"
)

// ParseError reports why a document is not a usable workflow file and where.
type ParseError struct {
	// Line is the 1-based line the problem was found on.
	Line int
	// Msg says what is wrong, in words a workflow author understands.
	Msg string
}

// Error implements error.
func (e *ParseError) Error() string {
	return fmt.Sprintf("workflow: line %d: %s", e.Line, e.Msg)
}

func parseErrorf(line int, format string, args ...any) *ParseError {
	if line < 1 {
		line = 1
	}
	return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// ErrAlreadyGranted is returned by AddPackagesWrite when the job's
// GITHUB_TOKEN already has packages: write from the workflow file, so there is
// nothing to add.
var ErrAlreadyGranted = errors.New("job already grants packages: write")

// ErrNothingToChange is returned by LowercaseImageRef when the reference on the
// given line is already lower case.
var ErrNothingToChange = errors.New("nothing to change")

// JobNotFoundError is returned when the workflow has no job with the ID.
type JobNotFoundError struct {
	JobID string
}

// Error implements error.
func (e *JobNotFoundError) Error() string {
	return fmt.Sprintf("workflow has no job %q", e.JobID)
}

// ReusableWorkflowError is returned by AddPackagesWrite for a job that calls a
// reusable workflow: a caller cannot raise the permissions that the called
// workflow's jobs declare, so the fix belongs in the called workflow.
type ReusableWorkflowError struct {
	// JobID is the calling job.
	JobID string
	// Uses is the job's uses: value as written.
	Uses string
	// Path is the called workflow file, e.g. ".github/workflows/build.yml".
	Path string
	// Repository is "owner/repo" when the called workflow lives in another
	// repository, "" when it is in the same repository.
	Repository string
	// Ref is the git ref after "@", "" for same-repository calls.
	Ref string
}

// SameRepository reports whether the called workflow is in the caller's
// repository, so the fix can be made by editing Path there.
func (e *ReusableWorkflowError) SameRepository() bool { return e.Repository == "" }

// Error implements error.
func (e *ReusableWorkflowError) Error() string {
	if e.SameRepository() {
		return fmt.Sprintf("job %q calls the reusable workflow %s; its jobs' permissions cannot be raised by the caller, add packages: write in %s", e.JobID, e.Uses, e.Path)
	}
	return fmt.Sprintf("job %q calls the reusable workflow %s in the repository %s; the fix belongs in that repository (%s)", e.JobID, e.Uses, e.Repository, e.Path)
}

// UnsafeEditError is returned when the requested change cannot be made as a
// minimal text edit without also changing something else (for example a
// permissions block shared with other jobs through a YAML anchor).
type UnsafeEditError struct {
	// Line is the line that blocks the edit.
	Line int
	// Reason explains what blocks the edit.
	Reason string
}

// Error implements error.
func (e *UnsafeEditError) Error() string {
	return fmt.Sprintf("cannot edit safely (line %d): %s", e.Line, e.Reason)
}
