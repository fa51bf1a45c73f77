package report_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// fakeGitHub is an in-memory GitHub that records every call.
type fakeGitHub struct {
	mu        sync.Mutex
	nextID    int64
	author    string // login of comments the fake creates
	comments  map[int][]report.Comment
	issues    []report.Issue
	checkRuns []*fakeCheckRun
	calls     map[string]int
	// stateReasons are the state reasons tracking issues were last edited with.
	stateReasons map[int]string
	// fail makes the n-th call (1-based) of a method fail; 0 never.
	fail map[string]int
}

type fakeCheckRun struct {
	report.CheckRun
	Title       string
	Text        string
	DetailsURL  string
	Annotations []diagnose.Annotation
	Actions     []report.CheckRunAction
	// Batches are the number of annotations of each request that had some.
	Batches []int
}

func newFake() *fakeGitHub {
	return &fakeGitHub{nextID: 1000, author: "ghcr-doctor[bot]", comments: map[int][]report.Comment{},
		calls: map[string]int{}, stateReasons: map[int]string{}, fail: map[string]int{}}
}

var errInjected = errors.New("injected failure")

func (f *fakeGitHub) call(name string) error {
	f.calls[name]++
	if n := f.fail[name]; n > 0 && f.calls[name] == n {
		return fmt.Errorf("%s: %w", name, errInjected)
	}
	return nil
}

// writes counts the calls that change something.
func (f *fakeGitHub) writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for name, c := range f.calls {
		if strings.HasPrefix(name, "Create") || strings.HasPrefix(name, "Edit") || strings.HasPrefix(name, "Update") {
			n += c
		}
	}
	return n
}

func (f *fakeGitHub) count(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}

func (f *fakeGitHub) resetCalls() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = map[string]int{}
}

func (f *fakeGitHub) ListIssueComments(_ context.Context, _, _ string, number int) ([]report.Comment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("ListIssueComments"); err != nil {
		return nil, err
	}
	return append([]report.Comment(nil), f.comments[number]...), nil
}

func (f *fakeGitHub) CreateIssueComment(_ context.Context, _, _ string, number int, body string) (report.Comment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("CreateIssueComment"); err != nil {
		return report.Comment{}, err
	}
	f.nextID++
	c := report.Comment{ID: f.nextID, Body: body, UserLogin: f.author, UserType: "Bot"}
	f.comments[number] = append(f.comments[number], c)
	return c, nil
}

func (f *fakeGitHub) EditIssueComment(_ context.Context, _, _ string, id int64, body string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("EditIssueComment"); err != nil {
		return err
	}
	for n, cs := range f.comments {
		for i := range cs {
			if cs[i].ID == id {
				f.comments[n][i].Body = body
				return nil
			}
		}
	}
	return fmt.Errorf("comment %d not found", id)
}

func (f *fakeGitHub) ListIssuesByLabel(_ context.Context, _, _, label string) ([]report.Issue, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("ListIssuesByLabel"); err != nil {
		return nil, err
	}
	var out []report.Issue
	for _, iss := range f.issues {
		for _, l := range iss.Labels {
			if l == label {
				out = append(out, iss)
				break
			}
		}
	}
	return out, nil
}

func (f *fakeGitHub) CreateIssue(_ context.Context, _, _, title, body string, labels []string) (report.Issue, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("CreateIssue"); err != nil {
		return report.Issue{}, err
	}
	iss := report.Issue{Number: len(f.issues) + 1, Title: title, Body: body, State: "open", Labels: labels}
	f.issues = append(f.issues, iss)
	return iss, nil
}

func (f *fakeGitHub) EditIssue(_ context.Context, _, _ string, number int, edit report.IssueEdit) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("EditIssue"); err != nil {
		return err
	}
	for i := range f.issues {
		if f.issues[i].Number != number {
			continue
		}
		if edit.Title != nil {
			f.issues[i].Title = *edit.Title
		}
		if edit.Body != nil {
			f.issues[i].Body = *edit.Body
		}
		if edit.State != nil {
			f.issues[i].State = *edit.State
		}
		if edit.StateReason != nil {
			f.stateReasons[number] = *edit.StateReason
		}
		return nil
	}
	return fmt.Errorf("issue %d not found", number)
}

func (f *fakeGitHub) ListCheckRuns(_ context.Context, _, _, ref, name string) ([]report.CheckRun, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("ListCheckRuns"); err != nil {
		return nil, err
	}
	var out []report.CheckRun
	for _, cr := range f.checkRuns {
		if cr.HeadSHA == ref && cr.Name == name {
			out = append(out, cr.CheckRun)
		}
	}
	return out, nil
}

func (f *fakeGitHub) CreateCheckRun(_ context.Context, _, _ string, req report.CheckRunRequest) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("CreateCheckRun"); err != nil {
		return 0, err
	}
	if err := validRequest(req); err != nil {
		return 0, err
	}
	f.nextID++
	cr := &fakeCheckRun{CheckRun: report.CheckRun{ID: f.nextID, Name: req.Name, HeadSHA: req.HeadSHA, ExternalID: req.ExternalID}}
	cr.apply(req)
	f.checkRuns = append(f.checkRuns, cr)
	return cr.ID, nil
}

func (f *fakeGitHub) UpdateCheckRun(_ context.Context, _, _ string, id int64, req report.CheckRunRequest) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("UpdateCheckRun"); err != nil {
		return err
	}
	if err := validRequest(req); err != nil {
		return err
	}
	if req.Name == "" {
		// The adapter sends the name on every update, and GitHub refuses a blank one.
		return errors.New("422: name cannot be blank")
	}
	for _, cr := range f.checkRuns {
		if cr.ID == id {
			cr.apply(req)
			return nil
		}
	}
	return fmt.Errorf("check run %d not found", id)
}

// apply updates the check run as GitHub does: set fields replace, annotations append.
func (cr *fakeCheckRun) apply(req report.CheckRunRequest) {
	if req.Status != "" {
		cr.Status = req.Status
	}
	if req.Conclusion != "" {
		cr.Conclusion = req.Conclusion
	}
	if req.DetailsURL != "" {
		cr.DetailsURL = req.DetailsURL
	}
	if req.Actions != nil {
		cr.Actions = req.Actions
	}
	if req.Output != nil {
		cr.Title, cr.Summary, cr.Text = req.Output.Title, req.Output.Summary, req.Output.Text
		cr.Annotations = append(cr.Annotations, req.Output.Annotations...)
		if len(req.Output.Annotations) > 0 {
			cr.Batches = append(cr.Batches, len(req.Output.Annotations))
		}
	}
}

// validRequest enforces the Checks API limits the real API enforces.
func validRequest(req report.CheckRunRequest) error {
	if o := req.Output; o != nil {
		switch {
		case o.Title == "" || o.Summary == "":
			return errors.New("output needs a title and a summary")
		case len([]rune(o.Title)) > 255:
			return errors.New("title too long")
		case len([]rune(o.Summary)) > 65535 || len([]rune(o.Text)) > 65535:
			return errors.New("summary or text too long")
		case len(o.Annotations) > 50:
			return errors.New("more than 50 annotations")
		}
	}
	if len(req.Actions) > 3 {
		return errors.New("more than 3 actions")
	}
	for _, a := range req.Actions {
		if len([]rune(a.Label)) > 20 || len([]rune(a.Identifier)) > 20 || len([]rune(a.Description)) > 40 {
			return fmt.Errorf("action %q exceeds a limit", a.Identifier)
		}
	}
	return nil
}

// allComments are the bodies of the comments on a number, oldest first.
func (f *fakeGitHub) allComments(number int) []report.Comment {
	f.mu.Lock()
	defer f.mu.Unlock()
	cs := append([]report.Comment(nil), f.comments[number]...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	return cs
}

var _ report.GitHub = (*fakeGitHub)(nil)
