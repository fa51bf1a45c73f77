package githubfake

import (
	"net/http"
	"strconv"
	"strings"
)

// maxPullFiles is the most files GitHub lists for a pull request.
const maxPullFiles = 3000

// maxCompareFiles is the most files GitHub lists in a comparison.
const maxCompareFiles = 300

func (s *Server) pullFilesRoutes(add addRoute) {
	add("GET", "/repos/{owner}/{repo}/pulls/{number}/files", authInstallation, needs("pull_requests:read"),
		docsRoot+"/pulls/pulls#list-pull-requests-files", s.handlePullFiles)
	add("GET", "/repos/{owner}/{repo}/compare/{basehead...}", authInstallation, needs("contents:read"),
		docsRoot+"/commits/commits#compare-two-commits", s.handleCompare)
}

// pullLocked finds an open or closed pull request by its number parameter. Caller holds s.mu.
func pullLocked(rs *repoState, number string) *issueState {
	n, err := strconv.Atoi(number)
	if err != nil {
		return nil
	}
	is := rs.issues[n]
	if is == nil || is.pull == nil {
		return nil
	}
	return is
}

// pullChangesLocked lists what the pull request changes: its head against
// the merge base with its base branch, as the "Files changed" tab shows.
// Caller holds s.mu.
func pullChangesLocked(rs *repoState, is *issueState) []fileChange {
	head := rs.commits[strings.ToLower(is.pull.HeadSHA)]
	if head == nil {
		return nil
	}
	base := rs.resolveRef(is.pull.BaseRef)
	if base == nil {
		return diffCommits(nil, head)
	}
	return diffCommits(mergeBase(rs, base, head), head)
}

func (s *Server) handlePullFiles(c *call) {
	s.mu.Lock()
	is := pullLocked(c.repo, c.param("number"))
	var items []any
	if is != nil {
		changes := pullChangesLocked(c.repo, is)
		if len(changes) > maxPullFiles {
			changes = changes[:maxPullFiles]
		}
		for _, fc := range changes {
			items = append(items, s.fileChangeJSON(c.repo, is.pull.HeadSHA, fc))
		}
	}
	s.mu.Unlock()
	if is == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, nonNil(items[page.start:page.end]))
}

func (s *Server) handleCompare(c *call) {
	baseRef, headRef, ok := strings.Cut(c.param("basehead"), "...")
	if !ok || baseRef == "" || headRef == "" {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	s.mu.Lock()
	base, head := c.repo.resolveRef(baseRef), c.repo.resolveRef(headRef)
	var body map[string]any
	if base != nil && head != nil {
		body = s.compareJSON(c.repo, base, head)
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

// compareJSON renders a comparison of two commits. Caller holds s.mu.
func (s *Server) compareJSON(rs *repoState, base, head *commit) map[string]any {
	mb := mergeBase(rs, base, head)
	count := func(from, to *commit) (n int, chain []*commit) {
		stop := ""
		if mb != nil {
			stop = mb.sha
		}
		for c := to; c != nil && c.sha != stop; c = rs.commits[c.parent] {
			n++
			chain = append([]*commit{c}, chain...)
		}
		return n, chain
	}
	ahead, chain := count(mb, head)
	behind, _ := count(mb, base)
	status := "diverged"
	switch {
	case ahead == 0 && behind == 0:
		status = "identical"
	case behind == 0:
		status = "ahead"
	case ahead == 0:
		status = "behind"
	}
	commits := []any{}
	for _, c := range chain {
		commits = append(commits, map[string]any{
			"sha":      c.sha,
			"url":      s.apiURL("repos/%s/commits/%s", rs.FullName(), c.sha),
			"html_url": s.webURL("%s/commit/%s", rs.FullName(), c.sha),
			"commit":   s.gitCommitJSON(rs, c),
			"parents":  []any{map[string]any{"sha": c.parent}},
		})
	}
	files := []any{}
	changes := diffCommits(mb, head)
	if len(changes) > maxCompareFiles {
		changes = changes[:maxCompareFiles]
	}
	for _, fc := range changes {
		files = append(files, s.fileChangeJSON(rs, head.sha, fc))
	}
	return map[string]any{
		"url":           s.apiURL("repos/%s/compare/%s...%s", rs.FullName(), base.sha, head.sha),
		"html_url":      s.webURL("%s/compare/%s...%s", rs.FullName(), base.sha, head.sha),
		"status":        status,
		"ahead_by":      ahead,
		"behind_by":     behind,
		"total_commits": ahead,
		"commits":       commits,
		"files":         files,
	}
}
