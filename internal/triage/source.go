package triage

import (
	"context"
	"io"
)

// Job is a job of a workflow run, as the Actions API lists it.
type Job struct {
	ID         int64
	Name       string
	Conclusion string
	HTMLURL    string
}

// FactSource is the GitHub access the Gatherer needs to collect a run's facts.
type FactSource interface {
	// ListRunJobs lists the jobs of one attempt of a run.
	ListRunJobs(ctx context.Context, owner, repo string, runID int64, attempt int) ([]Job, error)
	// OpenJobLog streams a job's plain-text log.
	OpenJobLog(ctx context.Context, owner, repo string, jobID int64) (io.ReadCloser, error)
	// GetFile returns a file's content at ref ("" for the default branch).
	GetFile(ctx context.Context, owner, repo, path, ref string) ([]byte, error)
	// RepoWorkflowDefault returns "read" or "write".
	RepoWorkflowDefault(ctx context.Context, owner, repo string) (string, error)
	// OrgWorkflowDefault returns "read" or "write".
	OrgWorkflowDefault(ctx context.Context, org string) (string, error)
	// PullsForCommit returns the numbers of the open pull requests whose head is sha.
	PullsForCommit(ctx context.Context, owner, repo, sha string) ([]int, error)
}
