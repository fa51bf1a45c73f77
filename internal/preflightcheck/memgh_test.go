package preflightcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// memGitHub is an in-memory GitHub for the checker's unit tests: files at
// one head, a pull request's changed files, review comments and check runs.
type memGitHub struct {
	mu       sync.Mutex
	nextID   int64
	files    map[string][]byte // path -> content at the head
	changed  []ChangedFile
	comments []ReviewComment
	reviews  int
	// refuseReview makes CreateReview fail as GitHub's 422 does.
	refuseReview bool
	checkRuns    []*memCheckRun
	// listCommentsErr makes ListReviewComments fail.
	listCommentsErr error
	repoDefault     string
	calls           map[string]int
}

type memCheckRun struct {
	report.CheckRun
	Title       string
	DetailsURL  string
	Annotations []diagnose.Annotation
	Batches     []int
}

func newMemGitHub(files map[string]string) *memGitHub {
	m := &memGitHub{nextID: 100, files: map[string][]byte{}, repoDefault: "read", calls: map[string]int{}}
	for p, c := range files {
		m.files[p] = []byte(c)
	}
	return m
}

func notFound(op string) error { return &gherr.NotFoundError{Op: op, Status: http.StatusNotFound} }

func (m *memGitHub) call(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls[name]++
}

func (m *memGitHub) ListRunJobs(context.Context, string, string, int64, int) ([]triage.Job, error) {
	return nil, errors.New("the preflight check lists no run jobs")
}

func (m *memGitHub) OpenJobLog(context.Context, string, string, int64) (io.ReadCloser, error) {
	return nil, errors.New("the preflight check reads no job log")
}

func (m *memGitHub) PullsForCommit(context.Context, string, string, string) ([]int, error) {
	return nil, errors.New("the preflight check lists no pull requests of a commit")
}

func (m *memGitHub) GetFile(_ context.Context, _, repo, path, _ string) ([]byte, error) {
	m.call("GetFile")
	m.mu.Lock()
	defer m.mu.Unlock()
	if repo != "app" {
		return nil, notFound("get file")
	}
	c, ok := m.files[path]
	if !ok {
		return nil, notFound("get file")
	}
	return c, nil
}

func (m *memGitHub) RepoWorkflowDefault(context.Context, string, string) (string, error) {
	return m.repoDefault, nil
}

func (m *memGitHub) OrgWorkflowDefault(context.Context, string) (string, error) { return "read", nil }

func (m *memGitHub) ListPullFiles(context.Context, string, string, int) ([]ChangedFile, error) {
	m.call("ListPullFiles")
	return m.changed, nil
}

func (m *memGitHub) CompareFiles(context.Context, string, string, string, string) ([]ChangedFile, error) {
	m.call("CompareFiles")
	return m.changed, nil
}

func (m *memGitHub) ListDir(_ context.Context, _, _, dir, _ string) ([]DirEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls["ListDir"]++
	prefix := dir + "/"
	if dir == "" {
		prefix = ""
	}
	var out []DirEntry
	for p := range m.files {
		if strings.HasPrefix(p, prefix) && !strings.Contains(strings.TrimPrefix(p, prefix), "/") {
			out = append(out, DirEntry{Path: p, Type: "file"})
		}
	}
	if len(out) == 0 {
		return nil, notFound("list directory")
	}
	return out, nil
}

func (m *memGitHub) ListReviewComments(context.Context, string, string, int) ([]ReviewComment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.listCommentsErr != nil {
		return nil, m.listCommentsErr
	}
	return append([]ReviewComment(nil), m.comments...), nil
}

func (m *memGitHub) CreateReview(_ context.Context, _, _ string, _ int, _, body string, comments []NewReviewComment) error {
	m.call("CreateReview")
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.refuseReview {
		return fmt.Errorf("creating review: %w", &gherr.NotFoundError{Op: "validation", Status: http.StatusUnprocessableEntity})
	}
	if body == "" {
		return errors.New("a COMMENT review needs a body")
	}
	m.reviews++
	for _, c := range comments {
		m.nextID++
		m.comments = append(m.comments, ReviewComment{ID: m.nextID, Path: c.Path, Line: c.Line, StartLine: c.StartLine, Body: c.Body, UserLogin: "ghcr-doctor[bot]"})
	}
	return nil
}

func (m *memGitHub) EditReviewComment(_ context.Context, _, _ string, id int64, body string) error {
	m.call("EditReviewComment")
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.comments {
		if m.comments[i].ID == id {
			m.comments[i].Body = body
			return nil
		}
	}
	return notFound("edit review comment")
}

func (m *memGitHub) DeleteReviewComment(_ context.Context, _, _ string, id int64) error {
	m.call("DeleteReviewComment")
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.comments {
		if m.comments[i].ID == id {
			m.comments = append(m.comments[:i], m.comments[i+1:]...)
			return nil
		}
	}
	return notFound("delete review comment")
}

func (m *memGitHub) ListCheckRuns(_ context.Context, _, _, ref, name string) ([]report.CheckRun, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []report.CheckRun
	for _, r := range m.checkRuns {
		if r.HeadSHA == ref && r.Name == name {
			out = append(out, r.CheckRun)
		}
	}
	return out, nil
}

func (m *memGitHub) CreateCheckRun(_ context.Context, _, _ string, req report.CheckRunRequest) (int64, error) {
	m.call("CreateCheckRun")
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nextID++
	r := &memCheckRun{CheckRun: report.CheckRun{ID: m.nextID, Name: req.Name, HeadSHA: req.HeadSHA}}
	m.checkRuns = append(m.checkRuns, r)
	return r.ID, m.applyLocked(r, req)
}

func (m *memGitHub) UpdateCheckRun(_ context.Context, _, _ string, id int64, req report.CheckRunRequest) error {
	m.call("UpdateCheckRun")
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.checkRuns {
		if r.ID == id {
			return m.applyLocked(r, req)
		}
	}
	return notFound("update check run")
}

// applyLocked applies a request as GitHub does: annotations are appended,
// at most 50 a request; action_required needs a details URL.
func (m *memGitHub) applyLocked(r *memCheckRun, req report.CheckRunRequest) error {
	if req.Name == "" {
		return errors.New("a check run's name cannot be blank")
	}
	if req.DetailsURL != "" {
		r.DetailsURL = req.DetailsURL
	}
	if req.Conclusion == report.ConclusionAction && r.DetailsURL == "" {
		return errors.New("action_required needs a details_url")
	}
	if req.Status != "" {
		r.Status = req.Status
	}
	if req.Conclusion != "" {
		r.Conclusion = req.Conclusion
	}
	if o := req.Output; o != nil {
		if len(o.Annotations) > 50 {
			return fmt.Errorf("%d annotations in one request", len(o.Annotations))
		}
		r.Title, r.Summary = o.Title, o.Summary
		r.Annotations = append(r.Annotations, o.Annotations...)
		if len(o.Annotations) > 0 {
			r.Batches = append(r.Batches, len(o.Annotations))
		}
	}
	return nil
}

type memClients struct{ gh *memGitHub }

func (c memClients) Client(context.Context, int64) (GitHub, error) { return c.gh, nil }

// memBaselines is an in-memory Baselines.
type memBaselines struct {
	mu   sync.Mutex
	keys map[string]bool
}

func (b *memBaselines) Recorded(_ context.Context, key string) (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.keys[key], nil
}

func (b *memBaselines) Record(_ context.Context, key string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.keys == nil {
		b.keys = map[string]bool{}
	}
	b.keys[key] = true
	return nil
}
