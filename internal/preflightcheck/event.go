package preflightcheck

import (
	"path"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// Event is a commit to check; it is what the pull_request and push
// handlers queue.
type Event struct {
	DeliveryID     string        `json:"delivery_id"`
	InstallationID int64         `json:"installation_id"`
	Repo           diagnose.Repo `json:"repo"`
	RepoID         int64         `json:"repo_id"`
	HeadSHA        string        `json:"head_sha"`
	// Pull is the pull request's number, 0 for a push.
	Pull int `json:"pull,omitempty"`
	// PullURL is the pull request's web address.
	PullURL string `json:"pull_url,omitempty"`
	// Before is the push's previous head, for comparing when Changed is not known.
	Before string `json:"before,omitempty"`
	// Changed lists the paths a push changed, when its payload tells them all.
	Changed []string `json:"changed,omitempty"`
	// ChangedKnown says Changed is complete; otherwise the job compares Before with HeadSHA.
	ChangedKnown bool `json:"changed_known,omitempty"`
}

// IsPull reports whether the event is a pull request's.
func (e Event) IsPull() bool { return e.Pull > 0 }

// Workflows is the folder GitHub runs workflows from; ActionsDir holds
// local composite actions.
const (
	Workflows  = ".github/workflows"
	ActionsDir = ".github/actions"
)

// IsWorkflowFile reports whether p is a workflow GitHub runs: a .yml or
// .yaml file directly in .github/workflows.
func IsWorkflowFile(p string) bool {
	ext := path.Ext(p)
	return path.Dir(p) == Workflows && (ext == ".yml" || ext == ".yaml")
}

// Relevant reports whether a change to p can change what a workflow's
// publishing jobs do: a workflow file, or anything under .github/actions.
func Relevant(p string) bool {
	return IsWorkflowFile(p) || strings.HasPrefix(p, ActionsDir+"/")
}

// AnyRelevant reports whether any path is Relevant.
func AnyRelevant(paths []string) bool {
	for _, p := range paths {
		if Relevant(p) {
			return true
		}
	}
	return false
}
