package githubfake

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

func (s *Server) pullsRoutes(add addRoute) {
	const pullsDoc = docsRoot + "/pulls/pulls"
	read := needs("pull_requests:read")
	add("GET", "/repos/{owner}/{repo}/commits/{sha}/pulls", authInstallation, read.either("contents:read"), docsRoot+"/commits/commits#list-pull-requests-associated-with-a-commit", s.handleCommitPulls)
	add("GET", "/repos/{owner}/{repo}/pulls", authInstallation, read, pullsDoc+"#list-pull-requests", s.handleListPulls)
	add("GET", "/repos/{owner}/{repo}/pulls/{number}", authInstallation, read, pullsDoc+"#get-a-pull-request", s.handleGetPull)
	add("POST", "/repos/{owner}/{repo}/pulls", authInstallation, needs("pull_requests:write"), pullsDoc+"#create-a-pull-request", s.handleCreatePull)
}

// pullMinimalJSON renders the {id, number, url, head, base} form used in workflow runs and check runs.
func (s *Server) pullMinimalJSON(rs *repoState, is *issueState) map[string]any {
	p := is.pull
	headRepo := s.repoRefJSON(p.HeadRepoFullName)
	baseRepo := s.repoJSON(rs, false)
	ref := func(repo map[string]any) map[string]any {
		return map[string]any{"id": repo["id"], "url": repo["url"], "name": repo["name"]}
	}
	return map[string]any{
		"url":    s.apiURL("repos/%s/pulls/%d", rs.FullName(), p.Number),
		"id":     is.id,
		"number": p.Number,
		"head":   map[string]any{"ref": p.HeadRef, "sha": p.HeadSHA, "repo": ref(headRepo)},
		"base":   map[string]any{"ref": p.BaseRef, "sha": rs.branches[p.BaseRef], "repo": ref(baseRepo)},
	}
}

// pullJSON renders a pull request.
func (s *Server) pullJSON(rs *repoState, is *issueState) map[string]any {
	p := is.pull
	api := s.apiURL("repos/%s/pulls/%d", rs.FullName(), p.Number)
	html := s.webURL("%s/pull/%d", rs.FullName(), p.Number)
	headOwner, _, _ := strings.Cut(p.HeadRepoFullName, "/")
	labels := []any{}
	for _, l := range is.Labels {
		labels = append(labels, s.labelJSON(rs, l))
	}
	var mergedAt any
	if p.Merged {
		mergedAt = ts(is.UpdatedAt)
	}
	var closedAt any
	if is.State == "closed" {
		closedAt = ts(is.closedAt)
	}
	return map[string]any{
		"url":                 api,
		"id":                  is.id,
		"node_id":             nodeID("11:PullRequest", is.id),
		"html_url":            html,
		"diff_url":            html + ".diff",
		"patch_url":           html + ".patch",
		"issue_url":           s.apiURL("repos/%s/issues/%d", rs.FullName(), p.Number),
		"commits_url":         api + "/commits",
		"review_comments_url": api + "/comments",
		"review_comment_url":  s.apiURL("repos/%s/pulls/comments{/number}", rs.FullName()),
		"comments_url":        s.apiURL("repos/%s/issues/%d/comments", rs.FullName(), p.Number),
		"statuses_url":        s.apiURL("repos/%s/statuses/%s", rs.FullName(), p.HeadSHA),
		"number":              p.Number,
		"state":               is.State,
		"locked":              false,
		"title":               is.Title,
		"user":                s.userJSON(is.User),
		"body":                nullable(is.Body),
		"labels":              labels,
		"milestone":           nil,
		"active_lock_reason":  nil,
		"created_at":          ts(is.CreatedAt),
		"updated_at":          ts(is.UpdatedAt),
		"closed_at":           closedAt,
		"merged_at":           mergedAt,
		"merge_commit_sha":    nil,
		"assignee":            nil,
		"assignees":           []any{},
		"requested_reviewers": []any{},
		"requested_teams":     []any{},
		"head": map[string]any{
			"label": headOwner + ":" + p.HeadRef,
			"ref":   p.HeadRef,
			"sha":   p.HeadSHA,
			"user":  s.userJSON(headOwner),
			"repo":  s.repoRefJSON(p.HeadRepoFullName),
		},
		"base": map[string]any{
			"label": rs.Owner + ":" + p.BaseRef,
			"ref":   p.BaseRef,
			"sha":   rs.branches[p.BaseRef],
			"user":  s.userJSON(rs.Owner),
			"repo":  s.repoJSON(rs, false),
		},
		"_links": map[string]any{
			"self":     map[string]any{"href": api},
			"html":     map[string]any{"href": html},
			"issue":    map[string]any{"href": s.apiURL("repos/%s/issues/%d", rs.FullName(), p.Number)},
			"comments": map[string]any{"href": s.apiURL("repos/%s/issues/%d/comments", rs.FullName(), p.Number)},
		},
		"author_association":    "CONTRIBUTOR",
		"auto_merge":            nil,
		"draft":                 p.Draft,
		"merged":                p.Merged,
		"mergeable":             nil,
		"maintainer_can_modify": false,
	}
}

// pullsSorted lists a repository's pull requests, newest first, that pass keep. Caller holds s.mu.
func pullsSorted(rs *repoState, keep func(*issueState) bool) []*issueState {
	var out []*issueState
	for _, is := range rs.issues {
		if is.pull != nil && keep(is) {
			out = append(out, is)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number > out[j].Number })
	return out
}

func (s *Server) handleCommitPulls(c *call) {
	sha := strings.ToLower(c.param("sha"))
	s.mu.Lock()
	var items []any
	for _, is := range pullsSorted(c.repo, func(is *issueState) bool { return strings.EqualFold(is.pull.HeadSHA, sha) }) {
		items = append(items, s.pullJSON(c.repo, is))
	}
	s.mu.Unlock()
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, nonNil(items[page.start:page.end]))
}

func (s *Server) handleListPulls(c *call) {
	state := c.query("state")
	if state == "" {
		state = "open"
	}
	head, base := c.query("head"), c.query("base")
	s.mu.Lock()
	var items []any
	keep := func(is *issueState) bool {
		if state != "all" && is.State != state {
			return false
		}
		if base != "" && is.pull.BaseRef != base {
			return false
		}
		if head != "" {
			headOwner, _, _ := strings.Cut(is.pull.HeadRepoFullName, "/")
			if !strings.EqualFold(head, headOwner+":"+is.pull.HeadRef) {
				return false
			}
		}
		return true
	}
	for _, is := range pullsSorted(c.repo, keep) {
		items = append(items, s.pullJSON(c.repo, is))
	}
	s.mu.Unlock()
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, nonNil(items[page.start:page.end]))
}

func (s *Server) handleGetPull(c *call) {
	n, err := strconv.Atoi(c.param("number"))
	s.mu.Lock()
	is := c.repo.issues[n]
	var body map[string]any
	if err == nil && is != nil && is.pull != nil {
		body = s.pullJSON(c.repo, is)
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

func (s *Server) handleCreatePull(c *call) {
	var req struct {
		Title string `json:"title"`
		Head  string `json:"head"`
		Base  string `json:"base"`
		Body  string `json:"body"`
		Draft bool   `json:"draft"`
	}
	if !c.decode(&req) {
		return
	}
	headOwner, headRef, cross := strings.Cut(req.Head, ":")
	if !cross {
		headOwner, headRef = "", req.Head
	}
	s.mu.Lock()
	status, body, errs := s.createPullLocked(c.repo, req.Title, headOwner, headRef, req.Base, req.Body, req.Draft)
	s.mu.Unlock()
	if errs != nil {
		c.invalid("Validation Failed", errs...)
		return
	}
	c.w.Header().Set("Location", body["url"].(string))
	c.json(status, body)
}

func (s *Server) createPullLocked(rs *repoState, title, headOwner, headRef, base, body string, draft bool) (int, map[string]any, []apiError) {
	missing := func(field string) []apiError {
		return []apiError{{Resource: "PullRequest", Field: field, Code: "missing_field"}}
	}
	switch {
	case title == "":
		return 0, nil, missing("title")
	case headRef == "":
		return 0, nil, missing("head")
	case base == "":
		return 0, nil, missing("base")
	}
	if headOwner != "" && !strings.EqualFold(headOwner, rs.Owner) {
		return 0, nil, []apiError{{Resource: "PullRequest", Field: "head", Code: "invalid"}}
	}
	headSHA, ok := rs.branches[headRef]
	if !ok {
		return 0, nil, []apiError{{Resource: "PullRequest", Field: "head", Code: "invalid"}}
	}
	baseSHA, ok := rs.branches[base]
	if !ok {
		return 0, nil, []apiError{{Resource: "PullRequest", Field: "base", Code: "invalid"}}
	}
	for _, is := range rs.issues {
		if is.pull != nil && is.State == "open" && is.pull.HeadRef == headRef && strings.EqualFold(is.pull.HeadRepoFullName, rs.FullName()) && is.pull.BaseRef == base {
			return 0, nil, []apiError{{Resource: "PullRequest", Code: "custom", Message: "A pull request already exists for " + rs.Owner + ":" + headRef + "."}}
		}
	}
	if headSHA == baseSHA {
		return 0, nil, []apiError{{Resource: "PullRequest", Code: "custom", Message: "No commits between " + base + " and " + headRef}}
	}
	is := s.addPullLocked(rs, Pull{Title: title, Body: body, HeadSHA: headSHA, HeadRef: headRef, BaseRef: base, HeadRepoFullName: rs.FullName(), User: s.opts.AppSlug + "[bot]", Draft: draft})
	return http.StatusCreated, s.pullJSON(rs, is), nil
}
