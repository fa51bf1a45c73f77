package report

import (
	"context"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// GitHub is what publishing needs from GitHub's REST API. List methods
// return every page.
type GitHub interface {
	ListIssueComments(ctx context.Context, owner, repo string, number int) ([]Comment, error)
	CreateIssueComment(ctx context.Context, owner, repo string, number int, body string) (Comment, error)
	EditIssueComment(ctx context.Context, owner, repo string, commentID int64, body string) error
	// ListIssuesByLabel lists open and closed issues (not pull requests) with the label.
	ListIssuesByLabel(ctx context.Context, owner, repo, label string) ([]Issue, error)
	CreateIssue(ctx context.Context, owner, repo, title, body string, labels []string) (Issue, error)
	EditIssue(ctx context.Context, owner, repo string, number int, edit IssueEdit) error
	// ListCheckRuns lists the check runs of a commit with the given name.
	ListCheckRuns(ctx context.Context, owner, repo, ref, name string) ([]CheckRun, error)
	CreateCheckRun(ctx context.Context, owner, repo string, req CheckRunRequest) (int64, error)
	// UpdateCheckRun updates a check run; GitHub appends the request's annotations to the existing ones.
	// The request's Name is sent as it is, so it must be the check run's name, never blank.
	UpdateCheckRun(ctx context.Context, owner, repo string, id int64, req CheckRunRequest) error
}

// Comment is an issue or pull-request comment.
type Comment struct {
	ID        int64
	Body      string
	UserLogin string
	// UserType is "User" or "Bot".
	UserType string
}

// Issue is an issue.
type Issue struct {
	Number int
	Title  string
	Body   string
	// State is "open" or "closed".
	State  string
	Labels []string
}

// IssueEdit changes the fields that are not nil.
type IssueEdit struct {
	Title *string
	Body  *string
	State *string
	// StateReason is "completed", "not_planned" or "reopened".
	StateReason *string
}

// CheckRun is an existing check run.
type CheckRun struct {
	ID         int64
	Name       string
	HeadSHA    string
	ExternalID string
	Status     string
	Conclusion string
	// Summary is output.summary, where the marker is.
	Summary string
}

// CheckRunRequest creates or updates a check run. Empty strings and nil
// fields are left out of the request.
type CheckRunRequest struct {
	Name       string
	HeadSHA    string
	ExternalID string
	// Status is "queued", "in_progress" or "completed".
	Status     string
	Conclusion string
	DetailsURL string
	Output     *CheckRunRequestOutput
	// Actions are the buttons: nil leaves them as they are, an empty
	// non-nil slice removes them.
	Actions []CheckRunAction
}

// CheckRunRequestOutput is a check run request's output.
type CheckRunRequestOutput struct {
	Title   string
	Summary string
	Text    string
	// Annotations are at most 50 per request.
	Annotations []diagnose.Annotation
}
