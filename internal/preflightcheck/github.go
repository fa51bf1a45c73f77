package preflightcheck

import (
	"context"

	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// ChangedFile is one file a pull request or a push changes.
type ChangedFile struct {
	Path string
	// Status is "added", "removed", "modified", "renamed", …
	Status string
	// Patch holds the diff's hunks; empty for binary or very large files.
	Patch string
}

// DirEntry is one entry of a directory listing.
type DirEntry struct {
	Path string
	// Type is "file", "dir", "symlink" or "submodule".
	Type string
}

// ReviewComment is an existing review comment of a pull request.
type ReviewComment struct {
	ID        int64
	Path      string
	UserLogin string
	// Line is the comment's last line on the pull request's head, 0 when
	// the comment is outdated (its lines changed since).
	Line int
	// StartLine is the first line of a multi-line comment, 0 otherwise.
	StartLine int
	Body      string
}

// NewReviewComment is a comment on lines of the head of a pull request's
// diff (the right side).
type NewReviewComment struct {
	Path string
	// StartLine is the first line of a multi-line comment, 0 for one line.
	StartLine int
	Line      int
	Body      string
}

// GitHub is what the preflight check needs from GitHub. List methods
// return every page.
type GitHub interface {
	// FactSource reads files and the default workflow permissions
	// (through triage's Gatherer, the diagnosis's own reader).
	triage.FactSource
	// ListPullFiles lists the files a pull request changes (GitHub lists at most 3000).
	ListPullFiles(ctx context.Context, owner, repo string, number int) ([]ChangedFile, error)
	// CompareFiles lists the files changed from base to head.
	CompareFiles(ctx context.Context, owner, repo, base, head string) ([]ChangedFile, error)
	// ListDir lists a directory at ref; a missing directory is a not-found error.
	ListDir(ctx context.Context, owner, repo, path, ref string) ([]DirEntry, error)
	ListReviewComments(ctx context.Context, owner, repo string, number int) ([]ReviewComment, error)
	// CreateReview posts a review (event COMMENT) on commitID with comments.
	CreateReview(ctx context.Context, owner, repo string, number int, commitID, body string, comments []NewReviewComment) error
	EditReviewComment(ctx context.Context, owner, repo string, id int64, body string) error
	DeleteReviewComment(ctx context.Context, owner, repo string, id int64) error
	ListCheckRuns(ctx context.Context, owner, repo, ref, name string) ([]report.CheckRun, error)
	CreateCheckRun(ctx context.Context, owner, repo string, req report.CheckRunRequest) (int64, error)
	UpdateCheckRun(ctx context.Context, owner, repo string, id int64, req report.CheckRunRequest) error
}

// ClientSource gives the client of an installation.
type ClientSource interface {
	Client(ctx context.Context, installationID int64) (GitHub, error)
}

// Baselines remember, durably and across replicas, which repositories had
// every workflow checked once.
type Baselines interface {
	// Recorded reports whether key was recorded.
	Recorded(ctx context.Context, key string) (bool, error)
	// Record records key; recording it again is no error.
	Record(ctx context.Context, key string) error
}
