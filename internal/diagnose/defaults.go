package diagnose

import "github.com/ghcr-doctor/ghcr-doctor/internal/workflow"

// DefaultsDecide reports whether the repository's and the organisation's
// default workflow permissions can matter to a run of the workflow: only
// when a job's token is not fully declared, by the job's or the workflow's
// `permissions:`. A declared block replaces the default outright (a called
// reusable workflow is bounded by its calling job), so when every job of a
// readable workflow declares its permissions the defaults are not read. An
// unreadable workflow (nil) may depend on them.
func DefaultsDecide(wf *workflow.File) bool {
	if wf == nil {
		return true
	}
	if wf.Permissions != nil {
		return false
	}
	for _, j := range wf.Jobs {
		if j.Permissions == nil {
			return true
		}
	}
	return false
}

// defaultsNotNeeded is why the defaults were left unread.
const defaultsNotNeeded = "not read: every job of the workflow declares its `permissions:`, which replace the default"

// DefaultsNotNeeded is the fact of a default workflow permission left
// unread because DefaultsDecide said it cannot matter.
func DefaultsNotNeeded() Fact[string] { return NotNeededFact[string](defaultsNotNeeded) }
