package ghapi

import (
	"context"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

var _ report.GitHub = (*Client)(nil)

// ListIssueComments lists every comment of an issue or pull request.
func (c *Client) ListIssueComments(ctx context.Context, owner, repo string, number int) ([]report.Comment, error) {
	var out []report.Comment
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := c.gh.Issues.ListComments(ctx, owner, repo, number, opts)
		if err != nil {
			return nil, gherr.Classify("listing comments", resp, err)
		}
		for _, cm := range cs {
			out = append(out, toComment(cm))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

func toComment(cm *github.IssueComment) report.Comment {
	return report.Comment{ID: cm.GetID(), Body: cm.GetBody(), UserLogin: cm.GetUser().GetLogin(), UserType: cm.GetUser().GetType()}
}

// CreateIssueComment comments on an issue or pull request.
func (c *Client) CreateIssueComment(ctx context.Context, owner, repo string, number int, body string) (report.Comment, error) {
	cm, resp, err := c.gh.Issues.CreateComment(ctx, owner, repo, number, &github.IssueComment{Body: &body})
	if err != nil {
		return report.Comment{}, gherr.Classify("creating a comment", resp, err)
	}
	return toComment(cm), nil
}

// EditIssueComment replaces a comment's body.
func (c *Client) EditIssueComment(ctx context.Context, owner, repo string, commentID int64, body string) error {
	_, resp, err := c.gh.Issues.EditComment(ctx, owner, repo, commentID, &github.IssueComment{Body: &body})
	return gherr.Classify("editing a comment", resp, err)
}

// ListIssuesByLabel lists open and closed issues with the label, without pull requests.
func (c *Client) ListIssuesByLabel(ctx context.Context, owner, repo, label string) ([]report.Issue, error) {
	var out []report.Issue
	opts := &github.IssueListByRepoOptions{State: "all", Labels: []string{label}, ListOptions: github.ListOptions{PerPage: 100}}
	for {
		is, resp, err := c.gh.Issues.ListByRepo(ctx, owner, repo, opts)
		if err != nil {
			return nil, gherr.Classify("listing issues", resp, err)
		}
		for _, is := range is {
			if is.IsPullRequest() {
				continue
			}
			out = append(out, toIssue(is))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

func toIssue(is *github.Issue) report.Issue {
	i := report.Issue{Number: is.GetNumber(), Title: is.GetTitle(), Body: is.GetBody(), State: is.GetState()}
	for _, l := range is.Labels {
		i.Labels = append(i.Labels, l.GetName())
	}
	return i
}

// CreateIssue opens an issue.
func (c *Client) CreateIssue(ctx context.Context, owner, repo, title, body string, labels []string) (report.Issue, error) {
	is, resp, err := c.gh.Issues.Create(ctx, owner, repo, &github.IssueRequest{Title: &title, Body: &body, Labels: &labels})
	if err != nil {
		return report.Issue{}, gherr.Classify("creating an issue", resp, err)
	}
	return toIssue(is), nil
}

// EditIssue changes an issue's title, body or state.
func (c *Client) EditIssue(ctx context.Context, owner, repo string, number int, edit report.IssueEdit) error {
	req := &github.IssueRequest{Title: edit.Title, Body: edit.Body, State: edit.State, StateReason: edit.StateReason}
	_, resp, err := c.gh.Issues.Edit(ctx, owner, repo, number, req)
	return gherr.Classify("editing an issue", resp, err)
}

// ListCheckRuns lists a commit's check runs of the given name.
func (c *Client) ListCheckRuns(ctx context.Context, owner, repo, ref, name string) ([]report.CheckRun, error) {
	var out []report.CheckRun
	opts := &github.ListCheckRunsOptions{CheckName: &name, Filter: github.String("all"), ListOptions: github.ListOptions{PerPage: 100}}
	for {
		res, resp, err := c.gh.Checks.ListCheckRunsForRef(ctx, owner, repo, ref, opts)
		if err != nil {
			return nil, gherr.Classify("listing check runs", resp, err)
		}
		for _, cr := range res.CheckRuns {
			out = append(out, report.CheckRun{ID: cr.GetID(), Name: cr.GetName(), HeadSHA: cr.GetHeadSHA(),
				ExternalID: cr.GetExternalID(), Status: cr.GetStatus(), Conclusion: cr.GetConclusion(),
				Summary: cr.GetOutput().GetSummary()})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// CreateCheckRun creates a check run and returns its id.
func (c *Client) CreateCheckRun(ctx context.Context, owner, repo string, req report.CheckRunRequest) (int64, error) {
	opts := github.CreateCheckRunOptions{
		Name:       req.Name,
		HeadSHA:    req.HeadSHA,
		ExternalID: optional(req.ExternalID),
		Status:     optional(req.Status),
		Conclusion: optional(req.Conclusion),
		DetailsURL: optional(req.DetailsURL),
		Output:     toOutput(req.Output),
		Actions:    toActions(req.Actions),
	}
	if req.Conclusion != "" {
		opts.CompletedAt = &github.Timestamp{Time: now()}
	}
	cr, resp, err := c.gh.Checks.CreateCheckRun(ctx, owner, repo, opts)
	if err != nil {
		return 0, gherr.Classify("creating a check run", resp, err)
	}
	return cr.GetID(), nil
}

// UpdateCheckRun updates a check run; annotations are appended by GitHub.
func (c *Client) UpdateCheckRun(ctx context.Context, owner, repo string, id int64, req report.CheckRunRequest) error {
	opts := github.UpdateCheckRunOptions{
		Name:       req.Name,
		ExternalID: optional(req.ExternalID),
		Status:     optional(req.Status),
		Conclusion: optional(req.Conclusion),
		DetailsURL: optional(req.DetailsURL),
		Output:     toOutput(req.Output),
		Actions:    toActions(req.Actions),
	}
	if req.Conclusion != "" {
		opts.CompletedAt = &github.Timestamp{Time: now()}
	}
	_, resp, err := c.gh.Checks.UpdateCheckRun(ctx, owner, repo, id, opts)
	return gherr.Classify("updating a check run", resp, err)
}

func toOutput(o *report.CheckRunRequestOutput) *github.CheckRunOutput {
	if o == nil {
		return nil
	}
	out := &github.CheckRunOutput{Title: github.String(o.Title), Summary: github.String(o.Summary)}
	if o.Text != "" {
		out.Text = github.String(o.Text)
	}
	for _, a := range o.Annotations {
		a := a
		out.Annotations = append(out.Annotations, &github.CheckRunAnnotation{
			Path: &a.Path, StartLine: &a.Line, EndLine: &a.Line, AnnotationLevel: &a.Level,
			Title: optional(a.Title), Message: &a.Message,
		})
	}
	return out
}

func toActions(as []report.CheckRunAction) []*github.CheckRunAction {
	if as == nil {
		return nil
	}
	out := make([]*github.CheckRunAction, 0, len(as))
	for _, a := range as {
		out = append(out, &github.CheckRunAction{Label: a.Label, Identifier: a.Identifier, Description: a.Description})
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
