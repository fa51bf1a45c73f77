package audit

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// fakeRepo is a repository of the fake: its files at the default branch.
type fakeRepo struct {
	Repository
	files map[string]string
	head  string
}

// fakeSource is an in-memory Source that records every call.
type fakeSource struct {
	mu    sync.Mutex
	repos []*fakeRepo
	calls []string
	// repoDefault and orgDefault answer the settings; "" means refused (403).
	repoDefault, orgDefault string
	// unreadable files answer 500.
	unreadable map[string]bool

	inFlight, maxInFlight atomic.Int64
}

func (f *fakeSource) record(call string) {
	f.mu.Lock()
	f.calls = append(f.calls, call)
	f.mu.Unlock()
	n := f.inFlight.Add(1)
	for {
		m := f.maxInFlight.Load()
		if n <= m || f.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(time.Millisecond)
	f.inFlight.Add(-1)
}

func (f *fakeSource) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (f *fakeSource) find(owner, name string) *fakeRepo {
	for _, r := range f.repos {
		if strings.EqualFold(r.Owner, owner) && strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

func notFound(op string) error { return &gherr.NotFoundError{Op: op, Status: http.StatusNotFound} }

func (f *fakeSource) ListOrgRepos(_ context.Context, org string) ([]Repository, error) {
	f.record("list-org " + org)
	var out []Repository
	for _, r := range f.repos {
		if strings.EqualFold(r.Owner, org) {
			out = append(out, r.Repository)
		}
	}
	return out, nil
}

func (f *fakeSource) ListInstallationRepos(context.Context) ([]Repository, error) {
	f.record("list-installation")
	var out []Repository
	for _, r := range f.repos {
		out = append(out, r.Repository)
	}
	return out, nil
}

func (f *fakeSource) GetRepo(_ context.Context, owner, name string) (Repository, error) {
	f.record("get-repo " + owner + "/" + name)
	if r := f.find(owner, name); r != nil {
		return r.Repository, nil
	}
	return Repository{}, notFound("reading repository")
}

func (f *fakeSource) ListDirectory(_ context.Context, owner, name, dir, ref string) ([]Entry, error) {
	f.record(fmt.Sprintf("list-dir %s/%s:%s@%s", owner, name, dir, ref))
	r := f.find(owner, name)
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	seen := map[string]bool{}
	var out []Entry
	for p := range r.files {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		first, _, nested := strings.Cut(rest, "/")
		if seen[first] {
			continue
		}
		seen[first] = true
		typ := "file"
		if nested {
			typ = "dir"
		}
		out = append(out, Entry{Name: first, Path: prefix + first, Type: typ})
	}
	if len(out) == 0 {
		return nil, notFound("listing " + dir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (f *fakeSource) GetFile(_ context.Context, owner, name, p, ref string) ([]byte, error) {
	f.record(fmt.Sprintf("get-file %s/%s:%s@%s", owner, name, p, ref))
	r := f.find(owner, name)
	if f.unreadable[r.FullName()+":"+p] {
		return nil, &gherr.StatusError{Op: "reading " + p, Status: http.StatusInternalServerError}
	}
	if ref != r.head {
		return nil, fmt.Errorf("read %s at %q, not at the head %q", p, ref, r.head)
	}
	content, ok := r.files[p]
	if !ok {
		return nil, notFound("reading " + p)
	}
	return []byte(content), nil
}

func (f *fakeSource) BranchHead(_ context.Context, owner, name, branch string) (string, error) {
	f.record("branch-head " + owner + "/" + name + "@" + branch)
	return f.find(owner, name).head, nil
}

func refused(op string) error {
	return &gherr.PermissionError{Op: op, Accepted: "administration=read", Message: "Resource not accessible by integration"}
}

func (f *fakeSource) RepoWorkflowDefault(_ context.Context, owner, name string) (string, error) {
	f.record("repo-default " + owner + "/" + name)
	if f.repoDefault == "" {
		return "", refused("reading repository workflow permissions")
	}
	return f.repoDefault, nil
}

func (f *fakeSource) OrgWorkflowDefault(_ context.Context, org string) (string, error) {
	f.record("org-default " + org)
	if f.orgDefault == "" {
		return "", refused("reading organisation workflow permissions")
	}
	return f.orgDefault, nil
}

// scriptedAnalysis stands in for the preflight engine in these tests: each
// line "# job NAME VERDICT" of a workflow is one result, on that line. It
// records the inputs it was given.
type scriptedAnalysis struct {
	mu     sync.Mutex
	inputs []preflight.Input
}

func (s *scriptedAnalysis) analyze(in preflight.Input) ([]preflight.Result, error) {
	s.mu.Lock()
	s.inputs = append(s.inputs, in)
	s.mu.Unlock()
	if strings.Contains(string(in.Source), "# broken") {
		return nil, fmt.Errorf("yaml: line 1: did not find expected key")
	}
	var out []preflight.Result
	for i, line := range strings.Split(string(in.Source), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 4 && fields[0] == "#" && fields[1] == "job" {
			out = append(out, preflight.Result{File: in.Path, Job: fields[2], Verdict: preflight.Verdict(fields[3]),
				Line: i + 1, PublishesTo: []string{"ghcr.io"}, Reason: "because " + fields[3], Fix: "fix " + fields[2]})
		}
	}
	return out, nil
}

func (s *scriptedAnalysis) inputFor(repo, file string) (preflight.Input, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, in := range s.inputs {
		if in.Settings.Owner+"/"+in.Settings.Repo == repo && in.Path == file {
			return in, true
		}
	}
	return preflight.Input{}, false
}

func workflow(jobs ...string) string {
	var b strings.Builder
	b.WriteString("on: push\n")
	for _, j := range jobs {
		name, verdict, _ := strings.Cut(j, "=")
		b.WriteString("# job " + name + " " + verdict + "\n")
	}
	return b.String()
}

func wfPath(name string) string { return path.Join(WorkflowsDir, name) }

func sha(n int) string { return strings.Repeat(strconv.Itoa(n%10), 40) }
