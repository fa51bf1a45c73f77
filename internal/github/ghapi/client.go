// Package ghapi adapts go-github to the narrow interfaces that ghcr-doctor's
// domain packages declare (triage.Source, report.GitHub): one method per
// fact or write, errors classified into gherr's typed errors.
package ghapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// Client is an installation's view of GitHub.
type Client struct {
	gh *github.Client
	// logs fetches signed log URLs; it must not carry GitHub credentials.
	logs *http.Client
}

// New wraps an installation client.
func New(gh *github.Client) *Client {
	return &Client{gh: gh, logs: &http.Client{Timeout: 10 * time.Minute}}
}

// GitHub returns the underlying go-github client.
func (c *Client) GitHub() *github.Client { return c.gh }

var _ triage.FactSource = (*Client)(nil)

// ListRunJobs lists the jobs of one attempt of a run, all pages.
func (c *Client) ListRunJobs(ctx context.Context, owner, repo string, runID int64, attempt int) ([]triage.Job, error) {
	var out []triage.Job
	opts := &github.ListOptions{PerPage: 100}
	for {
		var (
			jobs *github.Jobs
			resp *github.Response
			err  error
		)
		if attempt > 0 {
			jobs, resp, err = c.gh.Actions.ListWorkflowJobsAttempt(ctx, owner, repo, runID, int64(attempt), opts)
		} else {
			jobs, resp, err = c.gh.Actions.ListWorkflowJobs(ctx, owner, repo, runID, &github.ListWorkflowJobsOptions{Filter: "latest", ListOptions: *opts})
		}
		if err != nil {
			return nil, gherr.Classify("listing run jobs", resp, err)
		}
		for _, j := range jobs.Jobs {
			out = append(out, triage.Job{ID: j.GetID(), Name: j.GetName(), Conclusion: j.GetConclusion(), HTMLURL: j.GetHTMLURL()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// OpenJobLog follows the 302 GitHub answers to a signed URL and streams
// the log from it, without sending the installation token there.
func (c *Client) OpenJobLog(ctx context.Context, owner, repo string, jobID int64) (io.ReadCloser, error) {
	u, err := c.jobLogURL(ctx, owner, repo, jobID)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("building log request: %w", err)
	}
	r, err := c.logs.Do(req)
	if err != nil {
		return nil, fmt.Errorf("downloading job log: %w", withoutSignature(err))
	}
	if r.StatusCode != http.StatusOK {
		r.Body.Close()
		if r.StatusCode == http.StatusNotFound || r.StatusCode == http.StatusGone {
			return nil, &gherr.NotFoundError{Op: "downloading job log", Status: r.StatusCode}
		}
		return nil, &gherr.StatusError{Op: "downloading job log", Status: r.StatusCode}
	}
	return r.Body, nil
}

// withoutSignature drops the query, which signs the log URL, from a
// failed download's error: the error may end up in a posted report.
func withoutSignature(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			ue.URL = u.String()
		}
	}
	return err
}

// jobLogURL asks GitHub where a job's log is. go-github sends this request
// through the transport alone, past the client's timeout, so the timeout
// is applied here; any answer but the 302 is a plain error, classified
// from the response's status.
func (c *Client) jobLogURL(ctx context.Context, owner, repo string, jobID int64) (*url.URL, error) {
	if timeout := c.gh.Client().Timeout; timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	u, resp, err := c.gh.Actions.GetWorkflowJobLogs(ctx, owner, repo, jobID, 0)
	if err != nil {
		return nil, gherr.Classify("getting job log URL", resp, err)
	}
	return u, nil
}

// GetFile returns a file's content at ref.
func (c *Client) GetFile(ctx context.Context, owner, repo, path, ref string) ([]byte, error) {
	content, _, err := c.readFile(ctx, owner, repo, path, ref)
	return content, err
}

// maxFileBytes bounds a file downloaded through its raw URL.
const maxFileBytes = 10 << 20

// readFile returns a file's content and blob SHA at ref ("" for the default
// branch). The contents API answers files over 1 MB with encoding "none" and
// no content; those are downloaded from their raw URL instead.
func (c *Client) readFile(ctx context.Context, owner, repo, path, ref string) ([]byte, string, error) {
	var opts *github.RepositoryContentGetOptions
	if ref != "" {
		opts = &github.RepositoryContentGetOptions{Ref: ref}
	}
	file, _, resp, err := c.gh.Repositories.GetContents(ctx, owner, repo, path, opts)
	if err != nil {
		return nil, "", gherr.Classify("reading "+path, resp, err)
	}
	if file == nil {
		return nil, "", fmt.Errorf("reading %s: it is a directory", path)
	}
	if file.GetEncoding() == "none" || (file.Content == nil && file.GetSize() > 0) {
		rc, resp, err := c.gh.Repositories.DownloadContents(ctx, owner, repo, path, opts)
		if err != nil {
			return nil, "", gherr.Classify("downloading "+path, resp, err)
		}
		defer rc.Close()
		content, err := io.ReadAll(io.LimitReader(rc, maxFileBytes))
		if err != nil {
			return nil, "", fmt.Errorf("downloading %s: %w", path, err)
		}
		return content, file.GetSHA(), nil
	}
	s, err := file.GetContent()
	if err != nil {
		return nil, "", fmt.Errorf("decoding %s: %w", path, err)
	}
	return []byte(s), file.GetSHA(), nil
}

// RepoWorkflowDefault returns the repository's default workflow permissions.
func (c *Client) RepoWorkflowDefault(ctx context.Context, owner, repo string) (string, error) {
	p, resp, err := c.gh.Repositories.GetDefaultWorkflowPermissions(ctx, owner, repo)
	if err != nil {
		return "", gherr.Classify("reading repository workflow permissions", resp, err)
	}
	return p.GetDefaultWorkflowPermissions(), nil
}

// OrgWorkflowDefault returns the organisation's default workflow permissions.
func (c *Client) OrgWorkflowDefault(ctx context.Context, org string) (string, error) {
	p, resp, err := c.gh.Actions.GetDefaultWorkflowPermissionsInOrganization(ctx, org)
	if err != nil {
		return "", gherr.Classify("reading organisation workflow permissions", resp, err)
	}
	return p.GetDefaultWorkflowPermissions(), nil
}

// PullsForCommit returns the open pull requests whose head commit is sha.
func (c *Client) PullsForCommit(ctx context.Context, owner, repo, sha string) ([]int, error) {
	prs, resp, err := c.gh.PullRequests.ListPullRequestsWithCommit(ctx, owner, repo, sha, &github.ListOptions{PerPage: 100})
	if err != nil {
		return nil, gherr.Classify("listing pull requests of commit", resp, err)
	}
	var out []int
	for _, pr := range prs {
		if pr.GetState() == "open" && pr.GetHead().GetSHA() == sha {
			out = append(out, pr.GetNumber())
		}
	}
	return out, nil
}

// now is the clock, a variable for tests.
var now = time.Now
