package githubfake

import (
	"fmt"
	"strings"
)

// Push commits files on top of a branch (created from the default branch
// when it does not exist) and moves the branch, as `git push` would; a nil
// content deletes the file. Open pull requests whose head is the branch
// follow it. It returns the new commit's SHA.
func (s *Server) Push(owner, repo, branch, message string, files map[string][]byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	parentSHA, ok := rs.branches[branch]
	if !ok {
		parentSHA = rs.branches[rs.DefaultBranch]
	}
	parent := rs.commits[parentSHA]
	next := copyFiles(parent.files)
	for p, content := range files {
		p = strings.TrimPrefix(p, "/")
		if content == nil {
			delete(next, p)
			continue
		}
		next[p] = append([]byte(nil), content...)
	}
	c := rs.newCommit(s.st, parent.sha, message, rs.Owner, next, s.now())
	rs.branches[branch] = c.sha
	for _, is := range rs.issues {
		if is.pull != nil && is.State == "open" && is.pull.HeadRef == branch && strings.EqualFold(is.pull.HeadRepoFullName, rs.FullName()) {
			is.pull.HeadSHA = c.sha
			is.UpdatedAt = s.now()
		}
	}
	return c.sha
}

// PullRequestEvent builds a pull_request webhook body ("opened",
// "synchronize", "reopened", …) for a pull request added with AddPull;
// before is the previous head for "synchronize" and ignored otherwise.
func (s *Server) PullRequestEvent(action, owner, repo string, number int, before string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	is := rs.issues[number]
	if is == nil || is.pull == nil {
		panic(fmt.Sprintf("githubfake: pull request %d of %s was not added", number, rs.FullName()))
	}
	fields := map[string]any{"number": number, "pull_request": s.pullJSON(rs, is)}
	if action == "synchronize" {
		fields["before"] = before
		fields["after"] = is.pull.HeadSHA
	}
	return s.marshalPayload(s.eventEnvelope(rs, action, is.User, fields))
}

// maxPushCommits is the most commits a push payload lists.
const maxPushCommits = 2048

// PushEvent builds the push webhook body of moving ref (a branch name, or
// "refs/tags/…") from before to after: the commits between them, oldest
// first, each with the files it added, modified and removed. An all-zero
// before is a new branch, whose payload lists no commits; an all-zero
// after is a deletion.
func (s *Server) PushEvent(owner, repo, ref, before, after string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	if !strings.HasPrefix(ref, "refs/") {
		ref = "refs/heads/" + ref
	}
	zero := strings.Repeat("0", 40)
	commits := []any{}
	var head any
	if after != zero && before != zero {
		var chain []*commit
		for c := rs.commits[after]; c != nil && c.sha != before; c = rs.commits[c.parent] {
			chain = append([]*commit{c}, chain...)
		}
		if len(chain) > maxPushCommits {
			chain = chain[len(chain)-maxPushCommits:]
		}
		for _, c := range chain {
			commits = append(commits, s.pushCommitJSON(rs, c))
		}
	}
	if c := rs.commits[after]; c != nil {
		head = s.pushCommitJSON(rs, c)
	}
	pusher := map[string]any{"name": rs.Owner, "email": rs.Owner + "@users.noreply.github.com"}
	payload := s.eventEnvelope(rs, "", rs.Owner, map[string]any{
		"ref":         ref,
		"before":      before,
		"after":       after,
		"created":     before == zero,
		"deleted":     after == zero,
		"forced":      false,
		"base_ref":    nil,
		"compare":     s.webURL("%s/compare/%s...%s", rs.FullName(), before[:12], after[:12]),
		"commits":     commits,
		"head_commit": head,
		"pusher":      pusher,
	})
	delete(payload, "action") // a push has no action
	// A push payload's repository names its organisation by login and gives
	// its times as Unix seconds, unlike every other event's.
	repository := payload["repository"].(map[string]any)
	if _, ok := repository["organization"]; ok {
		repository["organization"] = rs.Owner
	}
	repository["created_at"] = rs.createdAt.Unix()
	repository["pushed_at"] = s.now().Unix()
	return s.marshalPayload(payload)
}

// pushCommitJSON renders a commit as a push payload lists it. Caller holds s.mu.
func (s *Server) pushCommitJSON(rs *repoState, c *commit) map[string]any {
	added, modified, removed := []string{}, []string{}, []string{}
	for _, fc := range diffCommits(rs.commits[c.parent], c) {
		switch fc.status {
		case "added":
			added = append(added, fc.path)
		case "removed":
			removed = append(removed, fc.path)
		default:
			modified = append(modified, fc.path)
		}
	}
	person := map[string]any{"name": c.author, "email": c.author + "@users.noreply.github.com", "username": c.author}
	return map[string]any{
		"id":        c.sha,
		"tree_id":   treeSHA(c.files),
		"distinct":  true,
		"message":   c.message,
		"timestamp": ts(c.date),
		"url":       s.webURL("%s/commit/%s", rs.FullName(), c.sha),
		"author":    person,
		"committer": person,
		"added":     added,
		"modified":  modified,
		"removed":   removed,
	}
}
