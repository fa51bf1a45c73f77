package githubfake

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxCommentLength is GitHub's limit on issue and comment bodies, in characters.
const maxCommentLength = 65536

func (s *Server) issuesRoutes(add addRoute) {
	const issuesDoc = docsRoot + "/issues/issues"
	const commentsDoc = docsRoot + "/issues/comments"
	const reactionsDoc = docsRoot + "/reactions/reactions"
	anyRead := needs("issues:read").either("pull_requests:read")
	add("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", authInstallation, anyRead, commentsDoc+"#get-an-issue-comment", s.handleGetComment)
	add("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", authInstallation, nil, commentsDoc+"#update-an-issue-comment", s.handleUpdateComment)
	add("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}", authInstallation, nil, commentsDoc+"#delete-an-issue-comment", s.handleDeleteComment)
	add("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", authInstallation, anyRead, reactionsDoc+"#list-reactions-for-an-issue-comment", s.handleListReactions)
	add("POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", authInstallation, nil, reactionsDoc+"#create-reaction-for-an-issue-comment", s.handleCreateReaction)
	add("GET", "/repos/{owner}/{repo}/issues", authInstallation, needs("issues:read"), issuesDoc+"#list-repository-issues", s.handleListIssues)
	add("POST", "/repos/{owner}/{repo}/issues", authInstallation, needs("issues:write"), issuesDoc+"#create-an-issue", s.handleCreateIssue)
	add("GET", "/repos/{owner}/{repo}/issues/{number}", authInstallation, nil, issuesDoc+"#get-an-issue", s.handleGetIssue)
	add("PATCH", "/repos/{owner}/{repo}/issues/{number}", authInstallation, nil, issuesDoc+"#update-an-issue", s.handleUpdateIssue)
	add("GET", "/repos/{owner}/{repo}/issues/{number}/comments", authInstallation, nil, commentsDoc+"#list-issue-comments", s.handleListComments)
	add("POST", "/repos/{owner}/{repo}/issues/{number}/comments", authInstallation, nil, commentsDoc+"#create-an-issue-comment", s.handleCreateComment)
}

// requireIssuePerm checks the permission an issue needs at a level: Issues for
// issues, Pull requests or Issues for pull requests.
func (c *call) requireIssuePerm(isPR bool, level string) bool {
	if isPR {
		return c.require(needs("pull_requests:" + level).either("issues:" + level))
	}
	return c.require(needs("issues:" + level))
}

// issueOfRequest finds the issue in the path. Caller holds s.mu.
func (c *call) issueOfRequest() *issueState {
	n, err := strconv.Atoi(c.param("number"))
	if err != nil {
		return nil
	}
	return c.repo.issues[n]
}

// commentOfRequest finds the comment in the path within the repository. Caller holds s.mu.
func (c *call) commentOfRequest() (*commentState, bool) {
	id, err := strconv.ParseInt(c.param("comment_id"), 10, 64)
	if err != nil {
		return nil, false
	}
	cm := c.s.st.comments[id]
	if cm == nil || cm.repo != c.repo {
		return nil, false
	}
	is := c.repo.issues[cm.Issue]
	return cm, is != nil && is.pull != nil
}

func (s *Server) authorAssociation(rs *repoState, login string) string {
	switch {
	case strings.HasSuffix(login, "[bot]"):
		return "NONE"
	case strings.EqualFold(login, rs.Owner):
		return "OWNER"
	}
	if org := s.st.orgs[strings.ToLower(rs.Owner)]; org != nil {
		if _, ok := org.members[strings.ToLower(login)]; ok {
			return "MEMBER"
		}
	}
	if col, ok := rs.collaborators[strings.ToLower(login)]; ok && col.permission != "none" {
		return "COLLABORATOR"
	}
	return "NONE"
}

// issueJSON renders an issue, with a pull_request key for pull requests.
func (s *Server) issueJSON(rs *repoState, is *issueState) map[string]any {
	api := s.apiURL("repos/%s/issues/%d", rs.FullName(), is.Number)
	html := s.webURL("%s/issues/%d", rs.FullName(), is.Number)
	labels := []any{}
	for _, l := range is.Labels {
		labels = append(labels, s.labelJSON(rs, l))
	}
	comments := 0
	for _, c := range s.st.comments {
		if c.repo == rs && c.Issue == is.Number {
			comments++
		}
	}
	var closedAt any
	if is.State == "closed" {
		closedAt = ts(is.closedAt)
	}
	m := map[string]any{
		"url":                      api,
		"repository_url":           s.apiURL("repos/%s", rs.FullName()),
		"labels_url":               api + "/labels{/name}",
		"comments_url":             api + "/comments",
		"events_url":               api + "/events",
		"timeline_url":             api + "/timeline",
		"html_url":                 html,
		"id":                       is.id,
		"node_id":                  nodeID("5:Issue", is.id),
		"number":                   is.Number,
		"title":                    is.Title,
		"user":                     s.userJSON(is.User),
		"labels":                   labels,
		"state":                    is.State,
		"state_reason":             nullable(is.StateReason),
		"locked":                   false,
		"assignee":                 nil,
		"assignees":                []any{},
		"milestone":                nil,
		"comments":                 comments,
		"created_at":               ts(is.CreatedAt),
		"updated_at":               ts(is.UpdatedAt),
		"closed_at":                closedAt,
		"author_association":       s.authorAssociation(rs, is.User),
		"active_lock_reason":       nil,
		"body":                     nullable(is.Body),
		"reactions":                reactionRollup(api+"/reactions", nil),
		"performed_via_github_app": nil,
	}
	if is.pull != nil {
		pr := s.webURL("%s/pull/%d", rs.FullName(), is.Number)
		var mergedAt any
		if is.pull.Merged {
			mergedAt = ts(is.UpdatedAt)
		}
		m["html_url"] = pr
		m["draft"] = is.pull.Draft
		m["pull_request"] = map[string]any{
			"url":       s.apiURL("repos/%s/pulls/%d", rs.FullName(), is.Number),
			"html_url":  pr,
			"diff_url":  pr + ".diff",
			"patch_url": pr + ".patch",
			"merged_at": mergedAt,
		}
	}
	return m
}

// commentJSON renders an issue comment.
func (s *Server) commentJSON(rs *repoState, cm *commentState) map[string]any {
	api := s.apiURL("repos/%s/issues/comments/%d", rs.FullName(), cm.ID)
	kind := "issues"
	if is := rs.issues[cm.Issue]; is != nil && is.pull != nil {
		kind = "pull"
	}
	counts := map[string]int{}
	for _, r := range s.st.reactions {
		if r.CommentID == cm.ID {
			counts[r.Content]++
		}
	}
	var viaApp any
	if cm.User == s.opts.AppSlug+"[bot]" {
		viaApp = s.appJSON()
	}
	return map[string]any{
		"url":                      api,
		"html_url":                 s.webURL("%s/%s/%d#issuecomment-%d", rs.FullName(), kind, cm.Issue, cm.ID),
		"issue_url":                s.apiURL("repos/%s/issues/%d", rs.FullName(), cm.Issue),
		"id":                       cm.ID,
		"node_id":                  nodeID("12:IssueComment", cm.ID),
		"user":                     s.userJSON(cm.User),
		"created_at":               ts(cm.CreatedAt),
		"updated_at":               ts(cm.UpdatedAt),
		"author_association":       s.authorAssociation(rs, cm.User),
		"body":                     cm.Body,
		"reactions":                reactionRollup(api+"/reactions", counts),
		"performed_via_github_app": viaApp,
	}
}

// validCommentBody answers 422 as GitHub does, and returns false, when a
// comment's body is missing, empty or longer than GitHub takes.
func (c *call) validCommentBody(resource string, body *string) bool {
	if body == nil || *body == "" {
		c.invalid("Validation Failed", apiError{Resource: resource, Field: "body", Code: "missing_field"})
		return false
	}
	if utf8.RuneCountInString(*body) > maxCommentLength {
		c.invalid("Validation Failed", apiError{Resource: resource, Field: "body", Code: "custom", Message: "Body is too long (maximum is 65536 characters)"})
		return false
	}
	return true
}

func bodyTooLong(body string) []apiError {
	if utf8.RuneCountInString(body) <= maxCommentLength {
		return nil
	}
	return []apiError{{Resource: "IssueComment", Field: "body", Code: "custom", Message: "Body is too long (maximum is 65536 characters)"}}
}

func (s *Server) handleListIssues(c *call) {
	q := c.r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var wantLabels []string
	if v := q.Get("labels"); v != "" {
		for _, l := range strings.Split(v, ",") {
			wantLabels = append(wantLabels, strings.ToLower(strings.TrimSpace(l)))
		}
	}
	s.mu.Lock()
	var list []*issueState
	for _, is := range c.repo.issues {
		if state != "all" && is.State != state {
			continue
		}
		if creator := q.Get("creator"); creator != "" && !strings.EqualFold(is.User, creator) {
			continue
		}
		if !hasAllLabels(is.Labels, wantLabels) {
			continue
		}
		list = append(list, is)
	}
	asc := q.Get("direction") == "asc"
	byUpdated := q.Get("sort") == "updated"
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		less := a.Number < b.Number
		if byUpdated && !a.UpdatedAt.Equal(b.UpdatedAt) {
			less = a.UpdatedAt.Before(b.UpdatedAt)
		}
		if asc {
			return less
		}
		return !less
	})
	items := make([]any, 0, len(list))
	for _, is := range list {
		items = append(items, s.issueJSON(c.repo, is))
	}
	s.mu.Unlock()
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, items[page.start:page.end])
}

func hasAllLabels(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if strings.EqualFold(h, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (s *Server) handleCreateIssue(c *call) {
	var req struct {
		Title  string   `json:"title"`
		Body   string   `json:"body"`
		Labels []string `json:"labels"`
	}
	if !c.decode(&req) {
		return
	}
	if req.Title == "" {
		c.invalid("Validation Failed", apiError{Resource: "Issue", Field: "title", Code: "missing_field"})
		return
	}
	if errs := bodyTooLong(req.Body); errs != nil {
		errs[0].Resource = "Issue"
		c.invalid("Validation Failed", errs...)
		return
	}
	s.mu.Lock()
	is := s.addIssueLocked(c.repo, Issue{Title: req.Title, Body: req.Body, Labels: req.Labels, User: s.opts.AppSlug + "[bot]"})
	body := s.issueJSON(c.repo, is)
	s.mu.Unlock()
	c.w.Header().Set("Location", body["url"].(string))
	c.json(http.StatusCreated, body)
}

func (s *Server) handleGetIssue(c *call) {
	s.mu.Lock()
	is := c.issueOfRequest()
	var body map[string]any
	if is != nil {
		body = s.issueJSON(c.repo, is)
	}
	s.mu.Unlock()
	if !c.requireIssuePerm(is != nil && is.pull != nil, "read") {
		return
	}
	if is == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

func (s *Server) handleUpdateIssue(c *call) {
	var req struct {
		Title       *string   `json:"title"`
		Body        *string   `json:"body"`
		State       *string   `json:"state"`
		StateReason *string   `json:"state_reason"`
		Labels      *[]string `json:"labels"`
	}
	if !c.decode(&req) {
		return
	}
	s.mu.Lock()
	is := c.issueOfRequest()
	isPR := is != nil && is.pull != nil
	s.mu.Unlock()
	if !c.requireIssuePerm(isPR, "write") {
		return
	}
	if is == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	if req.State != nil && *req.State != "open" && *req.State != "closed" {
		c.invalid("Validation Failed", apiError{Resource: "Issue", Field: "state", Code: "invalid"})
		return
	}
	if req.Body != nil {
		if errs := bodyTooLong(*req.Body); errs != nil {
			errs[0].Resource = "Issue"
			c.invalid("Validation Failed", errs...)
			return
		}
	}
	s.mu.Lock()
	now := s.now()
	if req.Title != nil {
		is.Title = *req.Title
	}
	if req.Body != nil {
		is.Body = *req.Body
	}
	if req.State != nil && *req.State != is.State {
		is.State = *req.State
		if is.State == "closed" {
			is.closedAt = now
			is.StateReason = "completed"
		} else {
			is.StateReason = "reopened"
		}
	}
	if req.StateReason != nil {
		is.StateReason = *req.StateReason
	}
	if req.Labels != nil {
		is.Labels = cloneStrings(*req.Labels)
		s.ensureLabelsLocked(c.repo, is.Labels)
	}
	is.UpdatedAt = now
	body := s.issueJSON(c.repo, is)
	s.mu.Unlock()
	c.json(http.StatusOK, body)
}

func (s *Server) handleListComments(c *call) {
	s.mu.Lock()
	is := c.issueOfRequest()
	var items []any
	if is != nil {
		for _, cm := range s.commentsLocked(c.repo, is.Number) {
			items = append(items, s.commentJSON(c.repo, s.st.comments[cm.ID]))
		}
	}
	s.mu.Unlock()
	if !c.requireIssuePerm(is != nil && is.pull != nil, "read") {
		return
	}
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

func (s *Server) handleCreateComment(c *call) {
	var req struct {
		Body *string `json:"body"`
	}
	if !c.decode(&req) {
		return
	}
	s.mu.Lock()
	is := c.issueOfRequest()
	s.mu.Unlock()
	if !c.requireIssuePerm(is != nil && is.pull != nil, "write") {
		return
	}
	switch {
	case is == nil:
		c.fail(http.StatusNotFound, "Not Found")
		return
	case !c.validCommentBody("IssueComment", req.Body):
		return
	}
	s.mu.Lock()
	cm := s.addCommentLocked(c.repo, is.Number, s.opts.AppSlug+"[bot]", *req.Body)
	is.UpdatedAt = cm.CreatedAt
	body := s.commentJSON(c.repo, cm)
	s.mu.Unlock()
	c.w.Header().Set("Location", body["url"].(string))
	c.json(http.StatusCreated, body)
}

func (s *Server) handleGetComment(c *call) {
	s.mu.Lock()
	cm, _ := c.commentOfRequest()
	var body map[string]any
	if cm != nil {
		body = s.commentJSON(c.repo, cm)
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

func (s *Server) handleUpdateComment(c *call) {
	var req struct {
		Body *string `json:"body"`
	}
	if !c.decode(&req) {
		return
	}
	s.mu.Lock()
	cm, isPR := c.commentOfRequest()
	s.mu.Unlock()
	if !c.requireIssuePerm(isPR, "write") {
		return
	}
	switch {
	case cm == nil:
		c.fail(http.StatusNotFound, "Not Found")
		return
	case !c.validCommentBody("IssueComment", req.Body):
		return
	}
	s.mu.Lock()
	cm.Body = *req.Body
	cm.UpdatedAt = s.now()
	body := s.commentJSON(c.repo, cm)
	s.mu.Unlock()
	c.json(http.StatusOK, body)
}

func (s *Server) handleDeleteComment(c *call) {
	s.mu.Lock()
	cm, isPR := c.commentOfRequest()
	s.mu.Unlock()
	if !c.requireIssuePerm(isPR, "write") {
		return
	}
	if cm == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	s.mu.Lock()
	delete(s.st.comments, cm.ID)
	s.mu.Unlock()
	c.noContent()
}

func (s *Server) reactionJSON(r Reaction) map[string]any {
	return map[string]any{
		"id":         r.ID,
		"node_id":    nodeID("8:Reaction", r.ID),
		"user":       s.userJSON(r.User),
		"content":    r.Content,
		"created_at": ts(s.started),
	}
}

func (s *Server) handleListReactions(c *call) {
	s.mu.Lock()
	cm, _ := c.commentOfRequest()
	var items []any
	if cm != nil {
		for _, r := range s.st.reactions {
			if r.CommentID == cm.ID && (c.query("content") == "" || c.query("content") == r.Content) {
				items = append(items, s.reactionJSON(r))
			}
		}
	}
	s.mu.Unlock()
	if cm == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, nonNil(items[page.start:page.end]))
}

func (s *Server) handleCreateReaction(c *call) {
	var req struct {
		Content string `json:"content"`
	}
	if !c.decode(&req) {
		return
	}
	s.mu.Lock()
	cm, isPR := c.commentOfRequest()
	s.mu.Unlock()
	if !c.requireIssuePerm(isPR, "write") {
		return
	}
	if cm == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	valid := false
	for _, k := range reactionContents {
		valid = valid || k == req.Content
	}
	if !valid {
		c.invalid("Validation Failed", apiError{Resource: "Reaction", Field: "content", Code: "custom", Message: "content is not included in the list"})
		return
	}
	user := s.opts.AppSlug + "[bot]"
	s.mu.Lock()
	status := http.StatusCreated
	var reaction Reaction
	for _, r := range s.st.reactions {
		if r.CommentID == cm.ID && r.User == user && r.Content == req.Content {
			reaction, status = r, http.StatusOK
		}
	}
	if status == http.StatusCreated {
		reaction = Reaction{ID: s.st.newID(), CommentID: cm.ID, Content: req.Content, User: user}
		s.st.reactions = append(s.st.reactions, reaction)
	}
	body := s.reactionJSON(reaction)
	s.mu.Unlock()
	c.json(status, body)
}
