package githubfake

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Review is a pull request review.
type Review struct {
	ID       int64
	Pull     int
	User     string
	Body     string
	State    string // COMMENTED, APPROVED, CHANGES_REQUESTED or PENDING
	CommitID string
}

// ReviewComment is a comment on the lines of a pull request's diff.
type ReviewComment struct {
	ID       int64
	ReviewID int64
	Pull     int
	User     string
	Path     string
	// StartLine is the first line of a multi-line comment, 0 for one line.
	StartLine int
	Line      int
	Side      string
	Body      string
	CommitID  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

type reviewState struct {
	Review
	repo *repoState
}

type reviewCommentState struct {
	ReviewComment
	repo *repoState
}

// reviewStore holds the reviews and review comments of every repository.
type reviewStore struct {
	reviews  map[int64]*reviewState
	comments map[int64]*reviewCommentState
}

func (rs *reviewStore) init() {
	if rs.reviews == nil {
		rs.reviews = map[int64]*reviewState{}
		rs.comments = map[int64]*reviewCommentState{}
	}
}

func (s *Server) reviewRoutes(add addRoute) {
	const reviewsDoc = docsRoot + "/pulls/reviews"
	const commentsDoc = docsRoot + "/pulls/comments"
	read := needs("pull_requests:read")
	write := needs("pull_requests:write")
	add("POST", "/repos/{owner}/{repo}/pulls/{number}/reviews", authInstallation, write, reviewsDoc+"#create-a-review-for-a-pull-request", s.handleCreateReview)
	add("GET", "/repos/{owner}/{repo}/pulls/{number}/reviews", authInstallation, read, reviewsDoc+"#list-reviews-for-a-pull-request", s.handleListReviews)
	add("GET", "/repos/{owner}/{repo}/pulls/{number}/comments", authInstallation, read, commentsDoc+"#list-review-comments-on-a-pull-request", s.handleListReviewComments)
	add("PATCH", "/repos/{owner}/{repo}/pulls/comments/{id}", authInstallation, write, commentsDoc+"#update-a-review-comment-for-a-pull-request", s.handleUpdateReviewComment)
	add("DELETE", "/repos/{owner}/{repo}/pulls/comments/{id}", authInstallation, write, commentsDoc+"#delete-a-review-comment-for-a-pull-request", s.handleDeleteReviewComment)
}

type reviewCommentRequest struct {
	Path      string `json:"path"`
	Position  *int   `json:"position"`
	Body      string `json:"body"`
	Line      *int   `json:"line"`
	Side      string `json:"side"`
	StartLine *int   `json:"start_line"`
	StartSide string `json:"start_side"`
}

type reviewRequest struct {
	CommitID string                 `json:"commit_id"`
	Body     string                 `json:"body"`
	Event    string                 `json:"event"`
	Comments []reviewCommentRequest `json:"comments"`
}

// reviewStates maps a review's event to the state it is stored with.
var reviewStates = map[string]string{"": "PENDING", "COMMENT": "COMMENTED", "APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}

func (s *Server) handleCreateReview(c *call) {
	var req reviewRequest
	if !c.decode(&req) {
		return
	}
	if _, ok := reviewStates[req.Event]; !ok {
		c.invalid("Unprocessable Entity", apiError{Resource: "PullRequestReview", Field: "event", Code: "invalid"})
		return
	}
	if (req.Event == "COMMENT" || req.Event == "REQUEST_CHANGES") && strings.TrimSpace(req.Body) == "" {
		c.invalid("Unprocessable Entity", apiError{Resource: "PullRequestReview", Field: "body", Code: "missing_field",
			Message: "Body is required when using COMMENT or REQUEST_CHANGES"})
		return
	}
	s.mu.Lock()
	body, problem, found := s.createReviewLocked(c.repo, c.param("number"), req)
	s.mu.Unlock()
	switch {
	case !found:
		c.fail(http.StatusNotFound, "Not Found")
	case problem != "":
		c.invalidReview(problem)
	default:
		c.json(http.StatusOK, body)
	}
}

// createReviewLocked stores a review and its comments, or says why GitHub
// would refuse them. Caller holds s.mu.
func (s *Server) createReviewLocked(rs *repoState, number string, req reviewRequest) (body map[string]any, problem string, found bool) {
	is := pullLocked(rs, number)
	if is == nil {
		return nil, "", false
	}
	if is.State != "open" {
		return nil, "Can not review a closed pull request", true
	}
	commitID := req.CommitID
	if commitID == "" {
		commitID = is.pull.HeadSHA
	}
	if len(commitID) != 40 || rs.resolveRef(commitID) == nil {
		return nil, "commit_id is not part of the pull request", true
	}
	changes := map[string]fileChange{}
	for _, fc := range pullChangesLocked(rs, is) {
		changes[fc.path] = fc
	}
	for _, cm := range req.Comments {
		if msg := validateReviewComment(cm, changes); msg != "" {
			return nil, msg, true
		}
	}
	state := reviewStates[req.Event]
	s.st.reviews.init()
	user := s.opts.AppSlug + "[bot]"
	rv := &reviewState{Review: Review{ID: s.st.newID(), Pull: is.pull.Number, User: user, Body: req.Body, State: state, CommitID: strings.ToLower(commitID)}, repo: rs}
	s.st.reviews.reviews[rv.ID] = rv
	now := s.now()
	for _, cm := range req.Comments {
		side := cm.Side
		if side == "" {
			side = "RIGHT"
		}
		rc := &reviewCommentState{ReviewComment: ReviewComment{ID: s.st.newID(), ReviewID: rv.ID, Pull: is.pull.Number, User: user,
			Path: cm.Path, Line: *cm.Line, Side: side, Body: cm.Body, CommitID: rv.CommitID, CreatedAt: now, UpdatedAt: now}, repo: rs}
		if cm.StartLine != nil {
			rc.StartLine = *cm.StartLine
		}
		s.st.reviews.comments[rc.ID] = rc
	}
	return s.reviewJSON(rs, rv), "", true
}

// invalidReview is a 422 with GitHub's plain "errors" list of messages,
// as the review endpoints answer.
func (c *call) invalidReview(detail string) {
	message := "Unprocessable Entity"
	doc := docsRoot
	if c.route != nil && c.route.doc != "" {
		doc = c.route.doc
	}
	c.json(http.StatusUnprocessableEntity, map[string]any{"message": message, "errors": []string{detail}, "documentation_url": doc})
}

// validateReviewComment checks a review comment like GitHub: it must be on
// a file of the diff, on the RIGHT side (the only side this simulation
// serves), on a line inside a hunk, and a multi-line comment's first line
// must be in the same hunk, before its last.
func validateReviewComment(cm reviewCommentRequest, changes map[string]fileChange) string {
	fc, ok := changes[cm.Path]
	switch {
	case strings.TrimSpace(cm.Body) == "":
		return "Body can't be blank"
	case cm.Position != nil:
		return "position is deprecated here: use line and side"
	case cm.Line == nil:
		return "Pull request review thread line must be part of the diff"
	case !ok:
		return "Path could not be resolved"
	case cm.Side != "" && cm.Side != "RIGHT":
		return fmt.Sprintf("side %q is not served by this simulation (only RIGHT)", cm.Side)
	}
	hs := rightHunks(fc.patch)
	h := hunkOf(hs, *cm.Line)
	if h < 0 {
		return "Pull request review thread line must be part of the diff"
	}
	if cm.StartLine != nil {
		if *cm.StartLine >= *cm.Line {
			return "Pull request review thread start line must precede the end line"
		}
		if hunkOf(hs, *cm.StartLine) != h {
			return "Pull request review thread start line must be part of the same hunk as the line"
		}
		if cm.StartSide != "" && cm.StartSide != "RIGHT" {
			return "start_side must match side"
		}
	}
	return ""
}

func (s *Server) reviewJSON(rs *repoState, rv *reviewState) map[string]any {
	pull := s.apiURL("repos/%s/pulls/%d", rs.FullName(), rv.Pull)
	html := s.webURL("%s/pull/%d#pullrequestreview-%d", rs.FullName(), rv.Pull, rv.ID)
	return map[string]any{
		"id":                 rv.ID,
		"node_id":            nodeID("17:PullRequestReview", rv.ID),
		"user":               s.userJSON(rv.User),
		"body":               rv.Body,
		"state":              rv.State,
		"html_url":           html,
		"pull_request_url":   pull,
		"author_association": "NONE",
		"submitted_at":       ts(s.now()),
		"commit_id":          rv.CommitID,
		"_links":             map[string]any{"html": map[string]any{"href": html}, "pull_request": map[string]any{"href": pull}},
	}
}

func (s *Server) handleListReviews(c *call) {
	s.mu.Lock()
	is := pullLocked(c.repo, c.param("number"))
	var items []any
	if is != nil {
		for _, rv := range s.reviewsLocked(c.repo, is.pull.Number) {
			items = append(items, s.reviewJSON(c.repo, rv))
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

func (s *Server) reviewsLocked(rs *repoState, pull int) []*reviewState {
	var out []*reviewState
	for _, rv := range s.st.reviews.reviews {
		if rv.repo == rs && rv.Pull == pull {
			out = append(out, rv)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Server) reviewCommentsLocked(rs *repoState, pull int) []*reviewCommentState {
	var out []*reviewCommentState
	for _, rc := range s.st.reviews.comments {
		if rc.repo == rs && rc.Pull == pull {
			out = append(out, rc)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// currentLines places a comment on the pull request's head: where the
// lines it was written on are unchanged, at the same numbers; otherwise it
// is outdated (no line), as GitHub shows a comment whose lines changed.
func currentLines(rs *repoState, is *issueState, rc *reviewCommentState) (start, line int, ok bool) {
	then, now := rs.commits[rc.CommitID], rs.commits[strings.ToLower(is.pull.HeadSHA)]
	if then == nil || now == nil {
		return 0, 0, false
	}
	first := rc.Line
	if rc.StartLine > 0 {
		first = rc.StartLine
	}
	a, b := splitFileLines(then.files[rc.Path]), splitFileLines(now.files[rc.Path])
	if rc.Line > len(a) || rc.Line > len(b) {
		return 0, 0, false
	}
	for n := first; n <= rc.Line; n++ {
		if a[n-1] != b[n-1] {
			return 0, 0, false
		}
	}
	return rc.StartLine, rc.Line, true
}

func splitFileLines(content []byte) []string {
	if len(content) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(content), "\n"), "\n")
}

func (s *Server) reviewCommentJSON(rs *repoState, is *issueState, rc *reviewCommentState) map[string]any {
	api := s.apiURL("repos/%s/pulls/comments/%d", rs.FullName(), rc.ID)
	html := s.webURL("%s/pull/%d#discussion_r%d", rs.FullName(), rc.Pull, rc.ID)
	pull := s.apiURL("repos/%s/pulls/%d", rs.FullName(), rc.Pull)
	origStart := any(nil)
	if rc.StartLine > 0 {
		origStart = rc.StartLine
	}
	var line, startLine, startSide any
	if st, l, ok := currentLines(rs, is, rc); ok {
		line = l
		if st > 0 {
			startLine, startSide = st, rc.Side
		}
	}
	return map[string]any{
		"url":                    api,
		"id":                     rc.ID,
		"node_id":                nodeID("24:PullRequestReviewComment", rc.ID),
		"pull_request_review_id": rc.ReviewID,
		"diff_hunk":              "",
		"path":                   rc.Path,
		"commit_id":              strings.ToLower(is.pull.HeadSHA),
		"original_commit_id":     rc.CommitID,
		"user":                   s.userJSON(rc.User),
		"body":                   rc.Body,
		"created_at":             ts(rc.CreatedAt),
		"updated_at":             ts(rc.UpdatedAt),
		"html_url":               html,
		"pull_request_url":       pull,
		"author_association":     "NONE",
		"start_line":             startLine,
		"original_start_line":    origStart,
		"start_side":             startSide,
		"line":                   line,
		"original_line":          rc.Line,
		"side":                   rc.Side,
		"subject_type":           "line",
		"_links": map[string]any{
			"self": map[string]any{"href": api}, "html": map[string]any{"href": html}, "pull_request": map[string]any{"href": pull},
		},
	}
}

func (s *Server) handleListReviewComments(c *call) {
	s.mu.Lock()
	is := pullLocked(c.repo, c.param("number"))
	var items []any
	if is != nil {
		for _, rc := range s.reviewCommentsLocked(c.repo, is.pull.Number) {
			items = append(items, s.reviewCommentJSON(c.repo, is, rc))
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

// reviewCommentOfRequest finds the review comment the path names, in the
// path's repository. Caller holds s.mu.
func (c *call) reviewCommentOfRequest() *reviewCommentState {
	id, ok := c.intParam("id")
	if !ok {
		return nil
	}
	rc := c.s.st.reviews.comments[id]
	if rc == nil || rc.repo != c.repo {
		return nil
	}
	return rc
}

func (s *Server) handleUpdateReviewComment(c *call) {
	var req struct {
		Body *string `json:"body"`
	}
	if !c.decode(&req) {
		return
	}
	if req.Body != nil && strings.TrimSpace(*req.Body) == "" {
		c.invalid("Validation Failed", apiError{Resource: "PullRequestReviewComment", Field: "body", Code: "missing_field"})
		return
	}
	if !c.validCommentBody("PullRequestReviewComment", req.Body) {
		return
	}
	s.mu.Lock()
	rc := c.reviewCommentOfRequest()
	var body map[string]any
	if rc != nil {
		rc.Body = *req.Body
		rc.UpdatedAt = s.now()
		body = s.reviewCommentJSON(c.repo, c.repo.issues[rc.Pull], rc)
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

func (s *Server) handleDeleteReviewComment(c *call) {
	s.mu.Lock()
	rc := c.reviewCommentOfRequest()
	if rc != nil {
		delete(s.st.reviews.comments, rc.ID)
	}
	s.mu.Unlock()
	if rc == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.noContent()
}

// Reviews lists the reviews of a pull request, oldest first.
func (s *Server) Reviews(owner, repo string, pull int) []Review {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	var out []Review
	for _, rv := range s.reviewsLocked(rs, pull) {
		out = append(out, rv.Review)
	}
	return out
}

// ReviewComments lists the review comments of a pull request, oldest
// first, each placed on the pull request's head as GitHub shows it: Line
// and StartLine are 0 when the comment is outdated.
func (s *Server) ReviewComments(owner, repo string, pull int) []ReviewComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	is := rs.issues[pull]
	var out []ReviewComment
	for _, rc := range s.reviewCommentsLocked(rs, pull) {
		cm := rc.ReviewComment
		if is != nil && is.pull != nil {
			start, line, ok := currentLines(rs, is, rc)
			if !ok {
				start, line = 0, 0
			}
			cm.StartLine, cm.Line = start, line
		}
		out = append(out, cm)
	}
	return out
}
