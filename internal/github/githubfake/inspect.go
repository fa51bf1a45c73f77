package githubfake

import (
	"sort"
	"strings"
)

// Comments lists the comments on an issue or pull request, oldest first.
func (s *Server) Comments(owner, repo string, issue int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.st.lookupRepo(owner, repo)
	if rs == nil {
		return nil
	}
	return s.commentsLocked(rs, issue)
}

func (s *Server) commentsLocked(rs *repoState, issue int) []Comment {
	var out []Comment
	for _, c := range s.st.comments {
		if c.repo == rs && c.Issue == issue {
			out = append(out, c.Comment)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Issues lists the issues and pull requests of a repository by number.
func (s *Server) Issues(owner, repo string) []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.st.lookupRepo(owner, repo)
	if rs == nil {
		return nil
	}
	var out []Issue
	for _, is := range rs.issues {
		i := is.Issue
		i.Labels = cloneStrings(i.Labels)
		out = append(out, i)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// Pulls lists the pull requests of a repository by number.
func (s *Server) Pulls(owner, repo string) []Pull {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.st.lookupRepo(owner, repo)
	if rs == nil {
		return nil
	}
	var out []Pull
	for _, is := range rs.issues {
		if is.pull != nil {
			p := *is.pull
			p.State = is.State
			p.Title, p.Body = is.Title, is.Body
			p.Labels = cloneStrings(is.Labels)
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// CheckRuns lists the check runs of a repository in creation order.
func (s *Server) CheckRuns(owner, repo string) []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.st.lookupRepo(owner, repo)
	var out []CheckRun
	for _, cr := range s.st.checkRuns {
		if cr.repo == rs {
			out = append(out, cloneCheckRun(cr.CheckRun))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func cloneCheckRun(c CheckRun) CheckRun {
	c.Output.Annotations = append([]Annotation(nil), c.Output.Annotations...)
	c.Actions = append([]CheckRunAction(nil), c.Actions...)
	return c
}

// Branches maps each branch of a repository to the commit it points at.
func (s *Server) Branches(owner, repo string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.st.lookupRepo(owner, repo)
	if rs == nil {
		return nil
	}
	out := make(map[string]string, len(rs.branches))
	for b, sha := range rs.branches {
		out[b] = sha
	}
	return out
}

// Refs lists the full ref names of a repository ("refs/heads/<branch>"), sorted.
func (s *Server) Refs(owner, repo string) []string {
	var out []string
	for b := range s.Branches(owner, repo) {
		out = append(out, "refs/heads/"+b)
	}
	sort.Strings(out)
	return out
}

// FileAt returns a file's content at a ref and whether it exists.
func (s *Server) FileAt(owner, repo, ref, path string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.st.lookupRepo(owner, repo)
	if rs == nil {
		return nil, false
	}
	c := rs.resolveRef(ref)
	if c == nil {
		return nil, false
	}
	content, ok := c.files[strings.TrimPrefix(path, "/")]
	return append([]byte(nil), content...), ok
}

// CommitMessage returns the message of the commit a ref names.
func (s *Server) CommitMessage(owner, repo, ref string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.st.lookupRepo(owner, repo)
	if rs == nil {
		return ""
	}
	if c := rs.resolveRef(ref); c != nil {
		return c.message
	}
	return ""
}

// Reactions lists the reactions to an issue comment.
func (s *Server) Reactions(commentID int64) []Reaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Reaction
	for _, r := range s.st.reactions {
		if r.CommentID == commentID {
			out = append(out, r)
		}
	}
	return out
}

// RepoWorkflowPermissions is a repository's effective default GITHUB_TOKEN permission.
func (s *Server) RepoWorkflowPermissions(owner, repo string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	level, _ := s.repoWorkflowPermLocked(rs)
	return level
}

// OrgWorkflowPermissions is an organization's default GITHUB_TOKEN permission.
func (s *Server) OrgWorkflowPermissions(org string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.orgWorkflowPermLocked(s.ensureOrgLocked(org))
}

// Reruns lists the re-run requests made for a repository's runs.
func (s *Server) Reruns(owner, repo string) []Rerun {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	return append([]Rerun(nil), rs.reruns...)
}

// RunStatus returns the status, conclusion and attempt of a run's latest attempt.
func (s *Server) RunStatus(owner, repo string, runID int64) (status, conclusion string, attempt int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	r, ok := rs.runs[runID]
	if !ok {
		return "", "", 0
	}
	a := r.attempts[r.latest]
	return a.Status, a.Conclusion, a.Attempt
}

// Redeliveries lists the delivery IDs whose redelivery was requested, in order.
func (s *Server) Redeliveries() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int64(nil), s.st.redeliveries...)
}

// Requests lists the requests answered so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.st.requests...)
}

// CountRequests counts answered requests by method ("" for any) and path prefix.
func (s *Server) CountRequests(method, pathPrefix string) int {
	n := 0
	for _, r := range s.Requests() {
		if (method == "" || strings.EqualFold(method, r.Method)) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.requests = nil
}
