package report

import (
	"context"
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// CheckRunWriter creates and updates check runs.
type CheckRunWriter interface {
	CreateCheckRun(ctx context.Context, owner, repo string, req CheckRunRequest) (int64, error)
	UpdateCheckRun(ctx context.Context, owner, repo string, id int64, req CheckRunRequest) error
}

// WriteCheckRun creates a check run (id 0) or updates check run id with
// req, within GitHub's limit of 50 annotations a request: the first 50 go
// with req, the rest in further updates, which GitHub appends. It returns
// the check run's id.
func WriteCheckRun(ctx context.Context, gh CheckRunWriter, owner, repo string, id int64, req CheckRunRequest) (int64, error) {
	var rest []diagnose.Annotation
	if req.Output != nil {
		out := *req.Output
		out.Annotations, rest = splitBatch(out.Annotations)
		req.Output = &out
	}
	if id == 0 {
		created, err := gh.CreateCheckRun(ctx, owner, repo, req)
		if err != nil {
			return 0, fmt.Errorf("creating check run %q on %s: %w", req.Name, req.HeadSHA, err)
		}
		id = created
	} else if err := gh.UpdateCheckRun(ctx, owner, repo, id, req); err != nil {
		return id, fmt.Errorf("updating check run %d: %w", id, err)
	}
	for len(rest) > 0 {
		var batch []diagnose.Annotation
		batch, rest = splitBatch(rest)
		more := CheckRunRequest{Name: req.Name, Output: &CheckRunRequestOutput{Title: req.Output.Title, Summary: req.Output.Summary, Text: req.Output.Text, Annotations: batch}}
		if err := gh.UpdateCheckRun(ctx, owner, repo, id, more); err != nil {
			return id, fmt.Errorf("adding annotations to check run %d: %w", id, err)
		}
	}
	return id, nil
}
