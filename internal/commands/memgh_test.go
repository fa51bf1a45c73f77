package commands

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// memGitHub is an in-memory GitHub for the applier: branches of whole
// file sets, pull requests, settings, and the writes made. fail makes a
// call fail.
type memGitHub struct {
	branches map[string]map[string][]byte
	heads    map[string]string
	pulls    []memPull
	repoPerm string
	orgPerm  string
	writes   []string
	fail     map[string]error
	seq      int
}

type memPull struct {
	PullRequest
	NewPullRequest
}

func newMemGitHub(files map[string]string) *memGitHub {
	m := &memGitHub{branches: map[string]map[string][]byte{}, heads: map[string]string{}, fail: map[string]error{}, repoPerm: "read", orgPerm: "read"}
	main := map[string][]byte{}
	for p, c := range files {
		main[p] = []byte(c)
	}
	m.setBranch("main", main)
	return m
}

func (m *memGitHub) setBranch(name string, files map[string][]byte) {
	m.seq++
	m.branches[name] = files
	m.heads[name] = fmt.Sprintf("%040d", m.seq)
}

func (m *memGitHub) branchAt(sha string) (map[string][]byte, bool) {
	for b, h := range m.heads {
		if h == sha {
			return m.branches[b], true
		}
	}
	return nil, false
}

func blob(c []byte) string {
	s := sha1.Sum(c)
	return hex.EncodeToString(s[:])
}

func (m *memGitHub) err(op string) error { return m.fail[op] }

func (m *memGitHub) RepoPermission(context.Context, string, string, string) (RepoPermission, error) {
	return RepoPermission{}, nil
}
func (m *memGitHub) OrgMembership(context.Context, string, string) (OrgMembership, error) {
	return OrgMembership{}, nil
}
func (m *memGitHub) ReactToComment(context.Context, string, string, int64, string) error { return nil }
func (m *memGitHub) GetWorkflowRun(context.Context, string, string, int64) (diagnose.Run, error) {
	return diagnose.Run{}, nil
}
func (m *memGitHub) ListRunsForCommit(context.Context, string, string, string) ([]diagnose.Run, error) {
	return nil, nil
}
func (m *memGitHub) GetCheckRun(context.Context, string, string, int64) (CheckRun, error) {
	return CheckRun{}, nil
}

func (m *memGitHub) BranchHead(_ context.Context, _, _, branch string) (string, error) {
	if h, ok := m.heads[branch]; ok {
		return h, nil
	}
	return "", &gherr.NotFoundError{Op: "branch", Status: 404}
}

func (m *memGitHub) GetFileAt(_ context.Context, _, _, path, ref string) (File, error) {
	files, ok := m.branchAt(ref)
	if !ok {
		files, ok = m.branches[ref]
	}
	c, found := files[path]
	if !ok || !found {
		return File{}, &gherr.NotFoundError{Op: "file", Status: 404}
	}
	return File{Content: c, SHA: blob(c)}, nil
}

func (m *memGitHub) CreateBranch(_ context.Context, _, _, branch, sha string) error {
	if err := m.err("CreateBranch"); err != nil {
		return err
	}
	files, _ := m.branchAt(sha)
	cp := map[string][]byte{}
	for k, v := range files {
		cp[k] = v
	}
	m.branches[branch], m.heads[branch] = cp, sha
	m.writes = append(m.writes, "create "+branch)
	return nil
}

func (m *memGitHub) ResetBranch(ctx context.Context, o, r, branch, sha string) error {
	m.writes = append(m.writes, "reset "+branch)
	files, _ := m.branchAt(sha)
	cp := map[string][]byte{}
	for k, v := range files {
		cp[k] = v
	}
	m.branches[branch], m.heads[branch] = cp, sha
	return nil
}

func (m *memGitHub) DeleteBranch(_ context.Context, _, _, branch string) error {
	if err := m.err("DeleteBranch"); err != nil {
		return err
	}
	delete(m.branches, branch)
	delete(m.heads, branch)
	m.writes = append(m.writes, "delete "+branch)
	return nil
}

func (m *memGitHub) CommitFile(_ context.Context, _, _ string, ch FileChange) error {
	if err := m.err("CommitFile"); err != nil {
		return err
	}
	files := m.branches[ch.Branch]
	if old, ok := files[ch.Path]; ok && blob(old) != ch.SHA {
		return &gherr.ConflictError{Op: "commit", Message: "sha mismatch"}
	}
	cp := map[string][]byte{}
	for k, v := range files {
		cp[k] = v
	}
	cp[ch.Path] = ch.Content
	m.setBranch(ch.Branch, cp)
	m.writes = append(m.writes, "commit "+ch.Branch+" "+ch.Path)
	return nil
}

func (m *memGitHub) FindOpenPullRequest(_ context.Context, _, _, _, branch string) (*PullRequest, error) {
	for _, p := range m.pulls {
		if p.Head == branch {
			pr := p.PullRequest
			return &pr, nil
		}
	}
	return nil, nil
}

func (m *memGitHub) CreatePullRequest(_ context.Context, _, _ string, p NewPullRequest) (PullRequest, error) {
	if err := m.err("CreatePullRequest"); err != nil {
		return PullRequest{}, err
	}
	pr := PullRequest{Number: 100 + len(m.pulls), HTMLURL: fmt.Sprintf("https://github.com/acme/app/pull/%d", 100+len(m.pulls))}
	m.pulls = append(m.pulls, memPull{pr, p})
	m.writes = append(m.writes, "pull "+p.Head)
	return pr, nil
}

func (m *memGitHub) SetRepoWorkflowDefault(_ context.Context, _, _, level string) error {
	if err := m.err("SetRepoWorkflowDefault"); err != nil {
		return err
	}
	m.repoPerm = level
	m.writes = append(m.writes, "repo "+level)
	return nil
}

func (m *memGitHub) SetOrgWorkflowDefault(_ context.Context, _, level string) error {
	if err := m.err("SetOrgWorkflowDefault"); err != nil {
		return err
	}
	m.orgPerm = level
	m.writes = append(m.writes, "org "+level)
	return nil
}

func (m *memGitHub) RerunFailedJobs(context.Context, string, string, int64) error { return nil }

func (m *memGitHub) branchNames() []string {
	var out []string
	for b := range m.branches {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}
