package githubfake

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// AddInstallation installs the app on an account ("Organization" or "User")
// with the given app permissions, e.g. {"actions": "read", "checks": "write"}.
// Metadata read is always granted, as on GitHub.
func (s *Server) AddInstallation(id int64, account, accountType string, perms map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if accountType == "" {
		accountType = "User"
	}
	s.st.installations[id] = &installation{id: id, account: account, accountType: accountType, perms: permsCopy(perms), createdAt: s.started}
	if accountType == "Organization" {
		s.ensureOrgLocked(account)
	}
}

// SetInstallationPermissions replaces an installation's permissions; tokens
// issued afterwards carry the new set, earlier tokens keep theirs, as on GitHub.
func (s *Server) SetInstallationPermissions(id int64, perms map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if inst, ok := s.st.installations[id]; ok {
		inst.perms = permsCopy(perms)
	}
}

// ExpireTokens makes every installation token issued so far expired.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.now().Add(-time.Second)
	for _, t := range s.st.tokens {
		t.expires = past
	}
}

func (s *Server) ensureOrgLocked(login string) *orgState {
	key := strings.ToLower(login)
	if o, ok := s.st.orgs[key]; ok {
		return o
	}
	o := &orgState{login: login, members: map[string]string{}, memberLogins: map[string]string{}, canApprove: false}
	s.st.orgs[key] = o
	return o
}

// AddRepo creates a repository with its default branch pointing at an empty
// initial commit.
func (s *Server) AddRepo(r Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.DefaultBranch == "" {
		r.DefaultBranch = "main"
	}
	if r.ID == 0 {
		r.ID = stableID("repo", r.FullName())
	}
	if r.OwnerType == "" {
		r.OwnerType = "User"
		for _, inst := range s.st.installations {
			if strings.EqualFold(inst.account, r.Owner) {
				r.OwnerType = inst.accountType
			}
		}
		if _, ok := s.st.orgs[strings.ToLower(r.Owner)]; ok {
			r.OwnerType = "Organization"
		}
	}
	if r.OwnerType == "Organization" {
		s.ensureOrgLocked(r.Owner)
	}
	rs := &repoState{
		Repo:          r,
		createdAt:     s.started,
		commits:       map[string]*commit{},
		branches:      map[string]string{},
		runs:          map[int64]*runState{},
		issues:        map[int]*issueState{},
		nextNumber:    1,
		labels:        map[string]*label{},
		collaborators: map[string]collaborator{},
	}
	initial := rs.newCommit(s.st, "", "Initial commit", r.Owner, map[string][]byte{}, s.started)
	rs.branches[r.DefaultBranch] = initial.sha
	s.st.repos[repoKey(r.Owner, r.Name)] = rs
}

func (s *Server) mustRepoLocked(owner, name string) *repoState {
	rs := s.st.lookupRepo(owner, name)
	if rs == nil {
		panic(fmt.Sprintf("githubfake: repository %s/%s was not added", owner, name))
	}
	return rs
}

// SetFile writes a file at a ref. A 40-hex ref names a commit, which is created
// (without files or parent) if unknown; any other ref names a branch, which is
// created from the default branch's head if unknown. The file is written into
// that commit in place, so SHAs stay stable while a test sets the world up.
func (s *Server) SetFile(owner, repo, ref, path string, content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	c := s.commitForSetupLocked(rs, ref)
	c.files[strings.TrimPrefix(path, "/")] = append([]byte(nil), content...)
}

// DeleteFile removes a file from the commit a ref names.
func (s *Server) DeleteFile(owner, repo, ref, path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	if c := rs.resolveRef(ref); c != nil {
		delete(c.files, strings.TrimPrefix(path, "/"))
	}
}

func (s *Server) commitForSetupLocked(rs *repoState, ref string) *commit {
	if isSHA(ref) {
		sha := strings.ToLower(ref)
		if c, ok := rs.commits[sha]; ok {
			return c
		}
		c := &commit{sha: sha, message: "Commit " + sha[:7], files: map[string][]byte{}, author: rs.Owner, date: s.started}
		rs.commits[sha] = c
		return c
	}
	branch := strings.TrimPrefix(strings.TrimPrefix(ref, "refs/"), "heads/")
	if branch == "" {
		branch = rs.DefaultBranch
	}
	if sha, ok := rs.branches[branch]; ok {
		return rs.commits[sha]
	}
	base := rs.commits[rs.branches[rs.DefaultBranch]]
	c := rs.newCommit(s.st, base.sha, "Create "+branch, rs.Owner, copyFiles(base.files), s.started)
	rs.branches[branch] = c.sha
	return c
}

// SetBranch points a branch at a commit, creating the commit (empty) if unknown.
func (s *Server) SetBranch(owner, repo, branch, sha string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	c := s.commitForSetupLocked(rs, sha)
	rs.branches[branch] = c.sha
}

// BranchSHA is the commit a branch points at, or "" if it does not exist.
func (s *Server) BranchSHA(owner, repo, branch string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	return rs.branches[branch]
}

// SetRepoWorkflowPermissions sets a repository's default GITHUB_TOKEN permissions ("read" or "write").
func (s *Server) SetRepoWorkflowPermissions(owner, repo, level string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustRepoLocked(owner, repo).workflowPerm = level
}

// LockRepoWorkflowPermissions makes PUT of the repository's workflow
// permissions answer 409, as when the organization or enterprise forbids the change.
func (s *Server) LockRepoWorkflowPermissions(owner, repo string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustRepoLocked(owner, repo).workflowLocked = true
}

// SetOrgWorkflowPermissions sets an organization's default GITHUB_TOKEN
// permissions ("read" or "write"). A "read" organization default makes
// repositories of that organization refuse a "write" repository setting with 409.
func (s *Server) SetOrgWorkflowPermissions(org, level string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensureOrgLocked(org).workflowPerm = level
}

// AddRun adds a workflow run attempt. The head commit is created (empty) if unknown.
func (s *Server) AddRun(owner, repo string, run Run) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	if run.Attempt == 0 {
		run.Attempt = 1
	}
	if run.Event == "" {
		run.Event = "push"
	}
	if run.Status == "" {
		run.Status = "completed"
	}
	if run.TriggeringActor == "" {
		run.TriggeringActor = run.Actor
	}
	if run.HeadRepoFullName == "" {
		run.HeadRepoFullName = rs.FullName()
	}
	if run.WorkflowID == 0 {
		run.WorkflowID = stableID("workflow", rs.FullName()+"/"+run.Path)
	}
	if run.RunNumber == 0 {
		run.RunNumber = int(run.ID % 1000)
	}
	if run.CreatedAt.IsZero() {
		run.CreatedAt = s.started
	}
	if run.HeadBranch == "" {
		run.HeadBranch = rs.DefaultBranch
	}
	if run.HeadSHA == "" {
		run.HeadSHA = rs.branches[rs.DefaultBranch]
	}
	if run.Name == "" {
		run.Name = strings.TrimSuffix(strings.TrimSuffix(lastSegment(run.Path), ".yml"), ".yaml")
	}
	run.PullRequests = append([]int(nil), run.PullRequests...)
	s.commitForSetupLocked(rs, run.HeadSHA)
	r, ok := rs.runs[run.ID]
	if !ok {
		r = &runState{attempts: map[int]*Run{}}
		rs.runs[run.ID] = r
	}
	r.attempts[run.Attempt] = &run
	if run.Attempt > r.latest {
		r.latest = run.Attempt
	}
}

// SetRunStatus changes the status and conclusion of a run's latest attempt.
func (s *Server) SetRunStatus(owner, repo string, runID int64, status, conclusion string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	if r, ok := rs.runs[runID]; ok {
		a := r.attempts[r.latest]
		a.Status, a.Conclusion = status, conclusion
	}
}

// AddJob adds a job to a run attempt.
func (s *Server) AddJob(owner, repo string, runID int64, job Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	r, ok := rs.runs[runID]
	if !ok {
		panic(fmt.Sprintf("githubfake: run %d of %s was not added", runID, rs.FullName()))
	}
	if job.RunAttempt == 0 {
		job.RunAttempt = r.latest
	}
	if job.Status == "" {
		job.Status = "completed"
	}
	if job.ID == 0 {
		job.ID = s.st.newID()
	}
	steps := make([]Step, len(job.Steps))
	for i, st := range job.Steps {
		if st.Number == 0 {
			st.Number = int64(i + 1)
		}
		if st.Status == "" {
			st.Status = "completed"
		}
		steps[i] = st
	}
	job.Steps = steps
	job.Labels = cloneStrings(job.Labels)
	if len(job.Labels) == 0 {
		job.Labels = []string{"ubuntu-latest"}
	}
	s.st.jobs[job.ID] = &jobState{Job: job, runID: runID, repo: rs}
}

// AddPull adds a pull request; it takes the next issue number when Number is 0
// and returns the number used. The head commit is created (empty) if unknown.
func (s *Server) AddPull(owner, repo string, p Pull) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	if p.BaseRef == "" {
		p.BaseRef = rs.DefaultBranch
	}
	if p.HeadRepoFullName == "" {
		p.HeadRepoFullName = rs.FullName()
	}
	if p.User == "" {
		p.User = rs.Owner
	}
	if p.HeadSHA != "" {
		s.commitForSetupLocked(rs, p.HeadSHA)
	}
	return s.addPullLocked(rs, p).Number
}

func (s *Server) addPullLocked(rs *repoState, p Pull) *issueState {
	if p.State == "" {
		p.State = "open"
	}
	if p.Number == 0 {
		p.Number = rs.nextNumber
	}
	if p.Number >= rs.nextNumber {
		rs.nextNumber = p.Number + 1
	}
	p.Labels = cloneStrings(p.Labels)
	s.ensureLabelsLocked(rs, p.Labels)
	now := s.now()
	is := &issueState{
		Issue: Issue{Number: p.Number, Title: p.Title, Body: p.Body, State: p.State, Labels: p.Labels, IsPR: true, User: p.User, CreatedAt: now, UpdatedAt: now},
		id:    s.st.newID(),
		pull:  &p,
	}
	rs.issues[p.Number] = is
	return is
}

// AddIssue adds an issue (not a pull request) and returns its number.
func (s *Server) AddIssue(owner, repo string, is Issue) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	is.IsPR = false
	if is.User == "" {
		is.User = rs.Owner
	}
	return s.addIssueLocked(rs, is).Number
}

func (s *Server) addIssueLocked(rs *repoState, is Issue) *issueState {
	if is.State == "" {
		is.State = "open"
	}
	if is.Number == 0 {
		is.Number = rs.nextNumber
	}
	if is.Number >= rs.nextNumber {
		rs.nextNumber = is.Number + 1
	}
	now := s.now()
	is.CreatedAt, is.UpdatedAt = now, now
	is.Labels = cloneStrings(is.Labels)
	s.ensureLabelsLocked(rs, is.Labels)
	st := &issueState{Issue: is, id: s.st.newID()}
	rs.issues[is.Number] = st
	return st
}

// AddComment adds a comment by a user to an issue or pull request and returns its ID.
func (s *Server) AddComment(owner, repo string, issue int, user, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	return s.addCommentLocked(rs, issue, user, body).ID
}

func (s *Server) addCommentLocked(rs *repoState, issue int, user, body string) *commentState {
	now := s.now()
	c := &commentState{Comment: Comment{ID: s.st.newID(), Issue: issue, Body: body, User: user, CreatedAt: now, UpdatedAt: now}, repo: rs}
	s.st.comments[c.ID] = c
	return c
}

func (s *Server) ensureLabelsLocked(rs *repoState, names []string) {
	for _, n := range names {
		key := strings.ToLower(n)
		if _, ok := rs.labels[key]; !ok {
			rs.labels[key] = &label{id: s.st.newID(), name: n, color: "ededed"}
		}
	}
}

// SetCollaborator gives a user a permission ("admin", "write", "read" or
// "none") and role name ("admin", "maintain", "write", "triage" or "read") on a repository.
func (s *Server) SetCollaborator(owner, repo, user, permission, roleName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	if roleName == "" {
		roleName = permission
	}
	rs.collaborators[strings.ToLower(user)] = collaborator{login: user, permission: permission, roleName: roleName}
}

// SetOrgMember makes a user an active member of an organization with role "admin" or "member".
func (s *Server) SetOrgMember(org, user, role string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.ensureOrgLocked(org)
	o.members[strings.ToLower(user)] = role
	o.memberLogins[strings.ToLower(user)] = user
}

func lastSegment(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
