package ghapi

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflightcheck"
)

// maxPullFiles is the most files GitHub lists for a pull request.
const maxPullFiles = 3000

// ListPullFiles lists the files a pull request changes, with their patches.
func (c *Client) ListPullFiles(ctx context.Context, owner, repo string, number int) ([]preflightcheck.ChangedFile, error) {
	var out []preflightcheck.ChangedFile
	opts := &github.ListOptions{PerPage: 100}
	for {
		files, resp, err := c.gh.PullRequests.ListFiles(ctx, owner, repo, number, opts)
		if err != nil {
			return nil, gherr.Classify("listing pull request files", resp, err)
		}
		out = append(out, changedFiles(files)...)
		if resp.NextPage == 0 || len(out) >= maxPullFiles {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

func changedFiles(files []*github.CommitFile) []preflightcheck.ChangedFile {
	out := make([]preflightcheck.ChangedFile, 0, len(files))
	for _, f := range files {
		out = append(out, preflightcheck.ChangedFile{Path: f.GetFilename(), Status: f.GetStatus(), Patch: f.GetPatch()})
	}
	return out
}

// CompareFiles lists the files changed from base to head (GitHub lists at most 300).
func (c *Client) CompareFiles(ctx context.Context, owner, repo, base, head string) ([]preflightcheck.ChangedFile, error) {
	cmp, resp, err := c.gh.Repositories.CompareCommits(ctx, owner, repo, base, head, &github.ListOptions{PerPage: 1})
	if err != nil {
		return nil, gherr.Classify("comparing commits", resp, err)
	}
	return changedFiles(cmp.Files), nil
}

// ListDir lists a directory at ref.
func (c *Client) ListDir(ctx context.Context, owner, repo, path, ref string) ([]preflightcheck.DirEntry, error) {
	_, entries, resp, err := c.gh.Repositories.GetContents(ctx, owner, repo, path, &github.RepositoryContentGetOptions{Ref: ref})
	if err != nil {
		return nil, gherr.Classify("listing "+path, resp, err)
	}
	if entries == nil {
		return nil, fmt.Errorf("listing %s: it is a file", path)
	}
	out := make([]preflightcheck.DirEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, preflightcheck.DirEntry{Path: e.GetPath(), Type: e.GetType()})
	}
	return out, nil
}

// ListReviewComments lists every review comment of a pull request.
func (c *Client) ListReviewComments(ctx context.Context, owner, repo string, number int) ([]preflightcheck.ReviewComment, error) {
	var out []preflightcheck.ReviewComment
	opts := &github.PullRequestListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		comments, resp, err := c.gh.PullRequests.ListComments(ctx, owner, repo, number, opts)
		if err != nil {
			return nil, gherr.Classify("listing review comments", resp, err)
		}
		for _, cm := range comments {
			out = append(out, preflightcheck.ReviewComment{ID: cm.GetID(), Path: cm.GetPath(), UserLogin: cm.GetUser().GetLogin(),
				Line: cm.GetLine(), StartLine: cm.GetStartLine(), Body: cm.GetBody()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// CreateReview posts a COMMENT review with comments on the right side of the diff.
func (c *Client) CreateReview(ctx context.Context, owner, repo string, number int, commitID, body string, comments []preflightcheck.NewReviewComment) error {
	req := &github.PullRequestReviewRequest{CommitID: github.String(commitID), Body: github.String(body), Event: github.String("COMMENT")}
	for _, cm := range comments {
		draft := &github.DraftReviewComment{Path: github.String(cm.Path), Line: github.Int(cm.Line), Side: github.String("RIGHT"), Body: github.String(cm.Body)}
		if cm.StartLine > 0 {
			draft.StartLine, draft.StartSide = github.Int(cm.StartLine), github.String("RIGHT")
		}
		req.Comments = append(req.Comments, draft)
	}
	_, resp, err := c.gh.PullRequests.CreateReview(ctx, owner, repo, number, req)
	return gherr.Classify("creating a review", resp, err)
}

// EditReviewComment replaces a review comment's body.
func (c *Client) EditReviewComment(ctx context.Context, owner, repo string, id int64, body string) error {
	_, resp, err := c.gh.PullRequests.EditComment(ctx, owner, repo, id, &github.PullRequestComment{Body: github.String(body)})
	return gherr.Classify("editing a review comment", resp, err)
}

// DeleteReviewComment deletes a review comment.
func (c *Client) DeleteReviewComment(ctx context.Context, owner, repo string, id int64) error {
	resp, err := c.gh.PullRequests.DeleteComment(ctx, owner, repo, id)
	return gherr.Classify("deleting a review comment", resp, err)
}

var _ preflightcheck.GitHub = (*Client)(nil)
