package githubfake

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of the Checks API.
const (
	maxCheckTextLength    = 65535
	maxAnnotationsPerCall = 50
	maxCheckActions       = 3
)

var (
	checkStatuses    = []string{"queued", "in_progress", "completed", "waiting", "requested", "pending"}
	checkConclusions = []string{"action_required", "cancelled", "failure", "neutral", "success", "skipped", "timed_out"}
	annotationLevels = []string{"notice", "warning", "failure"}
)

func (s *Server) checksRoutes(add addRoute) {
	const doc = docsRoot + "/checks/runs"
	read := needs("checks:read")
	write := needs("checks:write")
	add("POST", "/repos/{owner}/{repo}/check-runs", authInstallation, write, doc+"#create-a-check-run", s.handleCreateCheckRun)
	add("GET", "/repos/{owner}/{repo}/check-runs/{id}", authInstallation, read, doc+"#get-a-check-run", s.handleGetCheckRun)
	add("PATCH", "/repos/{owner}/{repo}/check-runs/{id}", authInstallation, write, doc+"#update-a-check-run", s.handleUpdateCheckRun)
	add("GET", "/repos/{owner}/{repo}/check-runs/{id}/annotations", authInstallation, read, doc+"#list-check-run-annotations", s.handleListAnnotations)
	add("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs", authInstallation, read, doc+"#list-check-runs-for-a-git-reference", s.handleListCheckRunsForRef)
}

type annotationRequest struct {
	Path            string `json:"path"`
	StartLine       *int   `json:"start_line"`
	EndLine         *int   `json:"end_line"`
	StartColumn     *int   `json:"start_column"`
	EndColumn       *int   `json:"end_column"`
	AnnotationLevel string `json:"annotation_level"`
	Message         string `json:"message"`
	Title           string `json:"title"`
	RawDetails      string `json:"raw_details"`
}

type checkOutputRequest struct {
	Title       *string             `json:"title"`
	Summary     *string             `json:"summary"`
	Text        *string             `json:"text"`
	Annotations []annotationRequest `json:"annotations"`
}

type checkActionRequest struct {
	Label       string `json:"label"`
	Description string `json:"description"`
	Identifier  string `json:"identifier"`
}

type checkRunRequest struct {
	Name        *string               `json:"name"`
	HeadSHA     *string               `json:"head_sha"`
	DetailsURL  *string               `json:"details_url"`
	ExternalID  *string               `json:"external_id"`
	Status      *string               `json:"status"`
	Conclusion  *string               `json:"conclusion"`
	StartedAt   *time.Time            `json:"started_at"`
	CompletedAt *time.Time            `json:"completed_at"`
	Output      *checkOutputRequest   `json:"output"`
	Actions     *[]checkActionRequest `json:"actions"`
}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func tooLong(field string, v *string, limit int) *apiError {
	if v == nil {
		return nil
	}
	if n := utf8.RuneCountInString(*v); n > limit {
		return &apiError{Resource: "CheckRun", Field: field, Code: "custom",
			Message: fmt.Sprintf("Only %d characters are allowed; %d were supplied.", limit, n)}
	}
	return nil
}

// validate checks a check run request like GitHub; existing is nil on create.
func (req *checkRunRequest) validate(existing *CheckRun) []apiError {
	var errs []apiError
	add := func(field, code, message string) {
		errs = append(errs, apiError{Resource: "CheckRun", Field: field, Code: code, Message: message})
	}
	switch {
	case existing == nil && (req.Name == nil || *req.Name == ""):
		add("name", "missing_field", "\"name\" wasn't supplied.")
	case existing != nil && req.Name != nil && *req.Name == "":
		// An update may leave the name out (it is kept) but never blank it.
		add("name", "invalid", "name cannot be blank")
	}
	if existing == nil {
		if req.HeadSHA == nil || *req.HeadSHA == "" {
			add("head_sha", "missing_field", "\"head_sha\" wasn't supplied.")
		}
	}
	if req.Status != nil && !oneOf(*req.Status, checkStatuses) {
		add("status", "invalid", fmt.Sprintf("%q is not a member of %s.", *req.Status, strings.Join(checkStatuses, ", ")))
	}
	if req.Conclusion != nil {
		switch {
		case *req.Conclusion == "stale":
			add("conclusion", "invalid", "You cannot change a check run conclusion to stale, only GitHub can set this.")
		case !oneOf(*req.Conclusion, checkConclusions):
			add("conclusion", "invalid", fmt.Sprintf("%q is not a member of %s.", *req.Conclusion, strings.Join(checkConclusions, ", ")))
		case req.Status != nil && *req.Status != "completed":
			add("conclusion", "invalid", "Conclusion can only be set when status is completed.")
		}
	}
	if req.Conclusion != nil && *req.Conclusion == "action_required" && (req.DetailsURL == nil || *req.DetailsURL == "") && (existing == nil || existing.DetailsURL == "") {
		// The conclusion shows the details URL as the button to act on.
		add("details_url", "missing_field", "\"details_url\" is required when the conclusion is action_required.")
	}
	if req.Status != nil && *req.Status == "completed" && req.Conclusion == nil && (existing == nil || existing.Conclusion == "") {
		add("conclusion", "missing_field", "Conclusion must be present when status is completed.")
	}
	if o := req.Output; o != nil {
		if o.Title == nil || *o.Title == "" {
			add("output.title", "missing_field", "\"title\" wasn't supplied.")
		}
		if o.Summary == nil || *o.Summary == "" {
			add("output.summary", "missing_field", "\"summary\" wasn't supplied.")
		}
		for field, v := range map[string]*string{"output.summary": o.Summary, "output.text": o.Text} {
			if e := tooLong(field, v, maxCheckTextLength); e != nil {
				errs = append(errs, *e)
			}
		}
		if n := len(o.Annotations); n > maxAnnotationsPerCall {
			add("output.annotations", "custom", fmt.Sprintf("Only %d elements are allowed; %d were supplied.", maxAnnotationsPerCall, n))
		}
		for i, a := range o.Annotations {
			errs = append(errs, a.validate(i)...)
		}
	}
	if req.Actions != nil {
		if n := len(*req.Actions); n > maxCheckActions {
			add("actions", "custom", fmt.Sprintf("Only %d elements are allowed; %d were supplied.", maxCheckActions, n))
		}
		for i, a := range *req.Actions {
			for _, lim := range []struct {
				field string
				value string
				max   int
			}{{"label", a.Label, 20}, {"identifier", a.Identifier, 20}, {"description", a.Description, 40}} {
				field := fmt.Sprintf("actions[%d].%s", i, lim.field)
				switch n := utf8.RuneCountInString(lim.value); {
				case n == 0:
					add(field, "missing_field", fmt.Sprintf("%q wasn't supplied.", lim.field))
				case n > lim.max:
					add(field, "custom", fmt.Sprintf("Only %d characters are allowed; %d were supplied.", lim.max, n))
				}
			}
		}
	}
	return errs
}

func (a annotationRequest) validate(i int) []apiError {
	var errs []apiError
	add := func(field, code, message string) {
		errs = append(errs, apiError{Resource: "CheckRun", Field: fmt.Sprintf("output.annotations[%d].%s", i, field), Code: code, Message: message})
	}
	if a.Path == "" {
		add("path", "missing_field", "\"path\" wasn't supplied.")
	}
	if a.StartLine == nil {
		add("start_line", "missing_field", "\"start_line\" wasn't supplied.")
	}
	if a.EndLine == nil {
		add("end_line", "missing_field", "\"end_line\" wasn't supplied.")
	}
	if a.Message == "" {
		add("message", "missing_field", "\"message\" wasn't supplied.")
	}
	if !oneOf(a.AnnotationLevel, annotationLevels) {
		add("annotation_level", "invalid", fmt.Sprintf("%q is not a member of notice, warning, failure.", a.AnnotationLevel))
	}
	if a.StartLine != nil && a.EndLine != nil {
		if *a.EndLine < *a.StartLine {
			add("end_line", "invalid", "end_line must not be before start_line.")
		}
		if (a.StartColumn != nil || a.EndColumn != nil) && *a.StartLine != *a.EndLine {
			add("start_column", "invalid", "start_column and end_column may only be given when start_line and end_line are equal.")
		}
	}
	return errs
}

func (a annotationRequest) annotation() Annotation {
	return Annotation{Path: a.Path, StartLine: *a.StartLine, EndLine: *a.EndLine, StartColumn: a.StartColumn, EndColumn: a.EndColumn,
		AnnotationLevel: a.AnnotationLevel, Message: a.Message, Title: a.Title, RawDetails: a.RawDetails}
}

// invalidCheckRun answers 422 with GitHub's "Invalid request." message and the field errors.
func (c *call) invalidCheckRun(errs []apiError) {
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = "For '" + e.Field + "': " + e.Message
		if strings.HasSuffix(e.Message, "wasn't supplied.") {
			lines[i] = e.Message
		}
	}
	c.invalid("Invalid request.\n\n"+strings.Join(lines, "\n"), errs...)
}

// apply writes a validated request into a check run.
func (req *checkRunRequest) apply(cr *CheckRun, now time.Time) {
	if req.Name != nil {
		cr.Name = *req.Name
	}
	if req.DetailsURL != nil {
		cr.DetailsURL = *req.DetailsURL
	}
	if req.ExternalID != nil {
		cr.ExternalID = *req.ExternalID
	}
	if req.Status != nil {
		cr.Status = *req.Status
	}
	if req.Conclusion != nil {
		cr.Conclusion = *req.Conclusion
		cr.Status = "completed"
	}
	if req.StartedAt != nil {
		cr.StartedAt = *req.StartedAt
	}
	if cr.Status == "completed" {
		cr.CompletedAt = now
		if req.CompletedAt != nil {
			cr.CompletedAt = *req.CompletedAt
		}
	}
	if o := req.Output; o != nil {
		cr.Output.Title, cr.Output.Summary = *o.Title, *o.Summary
		if o.Text != nil {
			cr.Output.Text = *o.Text
		}
		for _, a := range o.Annotations {
			cr.Output.Annotations = append(cr.Output.Annotations, a.annotation())
		}
	}
	if req.Actions != nil {
		cr.Actions = cr.Actions[:0]
		for _, a := range *req.Actions {
			cr.Actions = append(cr.Actions, CheckRunAction(a))
		}
	}
}

func (s *Server) handleCreateCheckRun(c *call) {
	var req checkRunRequest
	if !c.decode(&req) {
		return
	}
	if errs := req.validate(nil); len(errs) > 0 {
		c.invalidCheckRun(errs)
		return
	}
	s.mu.Lock()
	commit := c.repo.commits[strings.ToLower(*req.HeadSHA)]
	var body map[string]any
	if commit != nil {
		now := s.now()
		cr := &checkRunState{CheckRun: CheckRun{ID: s.st.newID(), HeadSHA: commit.sha, Status: "queued", StartedAt: now}, repo: c.repo}
		req.apply(&cr.CheckRun, now)
		cr.updatedAt = now
		s.st.checkRuns[cr.ID] = cr
		body = s.checkRunJSON(cr)
	}
	s.mu.Unlock()
	if commit == nil {
		c.invalid("No commit found for SHA: " + *req.HeadSHA)
		return
	}
	c.json(http.StatusCreated, body)
}

// checkRunOfRequest finds the check run in the path within the repository. Caller holds s.mu.
func (c *call) checkRunOfRequest() *checkRunState {
	id, err := strconv.ParseInt(c.param("id"), 10, 64)
	if err != nil {
		return nil
	}
	cr := c.s.st.checkRuns[id]
	if cr == nil || cr.repo != c.repo {
		return nil
	}
	return cr
}

func (s *Server) handleGetCheckRun(c *call) {
	s.mu.Lock()
	cr := c.checkRunOfRequest()
	var body map[string]any
	if cr != nil {
		body = s.checkRunJSON(cr)
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

func (s *Server) handleUpdateCheckRun(c *call) {
	var req checkRunRequest
	if !c.decode(&req) {
		return
	}
	s.mu.Lock()
	cr := c.checkRunOfRequest()
	var errs []apiError
	var body map[string]any
	if cr != nil {
		if errs = req.validate(&cr.CheckRun); len(errs) == 0 {
			cr.updatedAt = s.now()
			req.apply(&cr.CheckRun, cr.updatedAt)
			body = s.checkRunJSON(cr)
		}
	}
	s.mu.Unlock()
	switch {
	case cr == nil:
		c.fail(http.StatusNotFound, "Not Found")
	case len(errs) > 0:
		c.invalidCheckRun(errs)
	default:
		c.json(http.StatusOK, body)
	}
}

func (s *Server) handleListAnnotations(c *call) {
	s.mu.Lock()
	cr := c.checkRunOfRequest()
	var items []any
	if cr != nil {
		for _, a := range cr.Output.Annotations {
			items = append(items, map[string]any{
				"path": a.Path, "start_line": a.StartLine, "end_line": a.EndLine,
				"start_column": a.StartColumn, "end_column": a.EndColumn,
				"annotation_level": a.AnnotationLevel, "message": a.Message,
				"title": nullable(a.Title), "raw_details": nullable(a.RawDetails),
				"blob_href": s.webURL("%s/blob/%s/%s", cr.repo.FullName(), cr.HeadSHA, a.Path),
			})
		}
	}
	s.mu.Unlock()
	if cr == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, nonNil(items[page.start:page.end]))
}

func (s *Server) handleListCheckRunsForRef(c *call) {
	q := c.r.URL.Query()
	filter := q.Get("filter")
	if filter == "" {
		filter = "latest"
	}
	s.mu.Lock()
	commit := c.repo.resolveRef(c.param("ref"))
	var list []*checkRunState
	if commit != nil {
		for _, cr := range s.st.checkRuns {
			if cr.repo != c.repo || cr.HeadSHA != commit.sha {
				continue
			}
			if name := q.Get("check_name"); name != "" && cr.Name != name {
				continue
			}
			if status := q.Get("status"); status != "" && cr.Status != status {
				continue
			}
			if appID := q.Get("app_id"); appID != "" && appID != strconv.FormatInt(s.opts.AppID, 10) {
				continue
			}
			list = append(list, cr)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID > list[j].ID })
	if filter == "latest" {
		seen := map[string]bool{}
		kept := list[:0]
		for _, cr := range list {
			if !seen[cr.Name] {
				seen[cr.Name] = true
				kept = append(kept, cr)
			}
		}
		list = kept
	}
	items := make([]any, 0, len(list))
	for _, cr := range list {
		items = append(items, s.checkRunJSON(cr))
	}
	s.mu.Unlock()
	if commit == nil {
		c.invalid("No commit found for SHA: " + c.param("ref"))
		return
	}
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, map[string]any{"total_count": len(items), "check_runs": items[page.start:page.end]})
}

// checkRunJSON renders a check run. Caller holds s.mu.
func (s *Server) checkRunJSON(cr *checkRunState) map[string]any {
	rs := cr.repo
	api := s.apiURL("repos/%s/check-runs/%d", rs.FullName(), cr.ID)
	prs := []any{}
	for _, is := range pullsSorted(rs, func(is *issueState) bool {
		return is.State == "open" && is.pull.HeadSHA == cr.HeadSHA && strings.EqualFold(is.pull.HeadRepoFullName, rs.FullName())
	}) {
		prs = append(prs, s.pullMinimalJSON(rs, is))
	}
	suiteID := stableID("check_suite", rs.FullName()+cr.HeadSHA)
	return map[string]any{
		"id":           cr.ID,
		"head_sha":     cr.HeadSHA,
		"node_id":      nodeID("8:CheckRun", cr.ID),
		"external_id":  cr.ExternalID,
		"url":          api,
		"html_url":     s.webURL("%s/runs/%d", rs.FullName(), cr.ID),
		"details_url":  nullable(cr.DetailsURL),
		"status":       cr.Status,
		"conclusion":   nullable(cr.Conclusion),
		"started_at":   ts(cr.StartedAt),
		"completed_at": ts(cr.CompletedAt),
		"output": map[string]any{
			"title":             nullable(cr.Output.Title),
			"summary":           nullable(cr.Output.Summary),
			"text":              nullable(cr.Output.Text),
			"annotations_count": len(cr.Output.Annotations),
			"annotations_url":   api + "/annotations",
		},
		"name":          cr.Name,
		"check_suite":   map[string]any{"id": suiteID},
		"app":           s.appJSON(),
		"pull_requests": prs,
	}
}
