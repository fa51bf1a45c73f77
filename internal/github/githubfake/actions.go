package githubfake

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

func (s *Server) actionsRoutes(add addRoute) {
	const runsDoc = docsRoot + "/actions/workflow-runs"
	const jobsDoc = docsRoot + "/actions/workflow-jobs"
	actionsRead := needs("actions:read")
	actionsWrite := needs("actions:write")
	add("GET", "/repos/{owner}/{repo}/actions/runs", authInstallation, actionsRead, runsDoc+"#list-workflow-runs-for-a-repository", s.handleListRuns)
	add("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}", authInstallation, actionsRead, runsDoc+"#get-a-workflow-run", s.handleGetRun)
	add("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt}", authInstallation, actionsRead, runsDoc+"#get-a-workflow-run-attempt", s.handleGetRun)
	add("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs", authInstallation, actionsRead, jobsDoc+"#list-jobs-for-a-workflow-run", s.handleListJobs)
	add("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt}/jobs", authInstallation, actionsRead, jobsDoc+"#list-jobs-for-a-workflow-run-attempt", s.handleListJobs)
	add("GET", "/repos/{owner}/{repo}/actions/jobs/{job_id}", authInstallation, actionsRead, jobsDoc+"#get-a-job-for-a-workflow-run", s.handleGetJob)
	add("GET", "/repos/{owner}/{repo}/actions/jobs/{job_id}/logs", authInstallation, actionsRead, jobsDoc+"#download-job-logs-for-a-workflow-run", s.handleJobLogs)
	add("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/logs", authInstallation, actionsRead, runsDoc+"#download-workflow-run-logs", s.handleRunLogs)
	add("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt}/logs", authInstallation, actionsRead, runsDoc+"#download-workflow-run-attempt-logs", s.handleRunLogs)
	add("POST", "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs", authInstallation, actionsWrite, runsDoc+"#re-run-failed-jobs-from-a-workflow-run", s.handleRerun("failed-jobs"))
	add("POST", "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun", authInstallation, actionsWrite, runsDoc+"#re-run-a-workflow", s.handleRerun("all"))
}

// runAttempt finds the run of the request, at the attempt in the path or its
// latest one; it answers 404 itself when there is none. Caller holds s.mu.
func (c *call) runAttempt() (*runState, *Run, bool) {
	runID, err := strconv.ParseInt(c.param("run_id"), 10, 64)
	r, found := c.repo.runs[runID]
	if err != nil || !found {
		return nil, nil, false
	}
	attempt := r.latest
	if v := c.param("attempt"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, nil, false
		}
		attempt = n
	}
	run, ok := r.attempts[attempt]
	return r, run, ok
}

func (s *Server) handleListRuns(c *call) {
	q := c.r.URL.Query()
	s.mu.Lock()
	var runs []*Run
	for _, r := range c.repo.runs {
		run := r.attempts[r.latest]
		switch {
		case q.Get("branch") != "" && run.HeadBranch != q.Get("branch"),
			q.Get("event") != "" && run.Event != q.Get("event"),
			q.Get("head_sha") != "" && run.HeadSHA != q.Get("head_sha"),
			q.Get("actor") != "" && !strings.EqualFold(run.Actor, q.Get("actor")),
			q.Get("status") != "" && run.Status != q.Get("status") && run.Conclusion != q.Get("status"):
			continue
		}
		runs = append(runs, run)
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].ID > runs[j].ID })
	items := make([]any, 0, len(runs))
	for _, run := range runs {
		items = append(items, s.runJSON(c.repo, run))
	}
	s.mu.Unlock()
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, map[string]any{"total_count": len(items), "workflow_runs": items[page.start:page.end]})
}

func (s *Server) handleGetRun(c *call) {
	s.mu.Lock()
	_, run, ok := c.runAttempt()
	var body map[string]any
	if ok {
		body = s.runJSON(c.repo, run)
	}
	s.mu.Unlock()
	if !ok {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

// jobsOf lists the jobs of a run, of one attempt or of all attempts, by ID. Caller holds s.mu.
func (s *Server) jobsOf(rs *repoState, runID int64, attempt int) []*jobState {
	var jobs []*jobState
	for _, j := range s.st.jobs {
		if j.repo == rs && j.runID == runID && (attempt == 0 || j.RunAttempt == attempt) {
			jobs = append(jobs, j)
		}
	}
	sort.Slice(jobs, func(i, k int) bool { return jobs[i].ID < jobs[k].ID })
	return jobs
}

func (s *Server) handleListJobs(c *call) {
	filter := c.query("filter")
	if filter == "" {
		filter = "latest"
	}
	if filter != "latest" && filter != "all" {
		c.invalid("Invalid request.\n\nfilter must be one of: latest, all.")
		return
	}
	s.mu.Lock()
	r, run, ok := c.runAttempt()
	var items []any
	if ok {
		attempt := run.Attempt
		if filter == "all" && c.param("attempt") == "" {
			attempt = 0
		}
		for _, j := range s.jobsOf(c.repo, run.ID, attempt) {
			items = append(items, s.jobJSON(c.repo, r.attempts[j.RunAttempt], j))
		}
	}
	s.mu.Unlock()
	if !ok {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, map[string]any{"total_count": len(items), "jobs": nonNil(items[page.start:page.end])})
}

// jobOfRequest finds the job in the path within the request's repository. Caller holds s.mu.
func (c *call) jobOfRequest() *jobState {
	id, err := strconv.ParseInt(c.param("job_id"), 10, 64)
	if err != nil {
		return nil
	}
	j := c.s.st.jobs[id]
	if j == nil || j.repo != c.repo {
		return nil
	}
	return j
}

func (s *Server) handleGetJob(c *call) {
	s.mu.Lock()
	j := c.jobOfRequest()
	var body map[string]any
	if j != nil {
		body = s.jobJSON(c.repo, c.repo.runs[j.runID].attempts[j.RunAttempt], j)
	}
	s.mu.Unlock()
	if j == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

// logsExpiredMessage is what GitHub says about logs past their retention.
const logsExpiredMessage = "The logs for this run have expired and are no longer available."

func (s *Server) handleRerun(kind string) func(*call) {
	return func(c *call) {
		s.mu.Lock()
		r, run, ok := c.runAttempt()
		completed := ok && run.Status == "completed"
		if completed {
			next := *run
			next.Attempt = r.latest + 1
			next.Status, next.Conclusion = "queued", ""
			next.CreatedAt = s.now()
			r.attempts[next.Attempt] = &next
			r.latest = next.Attempt
			c.repo.reruns = append(c.repo.reruns, Rerun{RunID: run.ID, Kind: kind})
		}
		s.mu.Unlock()
		switch {
		case !ok:
			c.fail(http.StatusNotFound, "Not Found")
		case !completed:
			c.fail(http.StatusForbidden, "This workflow run is not completed")
		default:
			c.json(http.StatusCreated, map[string]any{})
		}
	}
}

// runJSON renders a workflow run attempt as the REST API and webhooks show it. Caller holds s.mu.
func (s *Server) runJSON(rs *repoState, run *Run) map[string]any {
	api := s.apiURL("repos/%s/actions/runs/%d", rs.FullName(), run.ID)
	headRepo := s.repoRefJSON(run.HeadRepoFullName)
	prs := []any{}
	for _, n := range run.PullRequests {
		is := rs.issues[n]
		if is == nil || is.pull == nil || !strings.EqualFold(is.pull.HeadRepoFullName, rs.FullName()) {
			// GitHub leaves pull_requests empty for runs of pull requests from forks.
			continue
		}
		prs = append(prs, s.pullMinimalJSON(rs, is))
	}
	var previous any
	if run.Attempt > 1 {
		previous = api + "/attempts/" + strconv.Itoa(run.Attempt-1)
	}
	checkSuiteID := stableID("check_suite", strconv.FormatInt(run.ID, 10))
	displayTitle := run.DisplayTitle
	if displayTitle == "" {
		if c := rs.commits[run.HeadSHA]; c != nil {
			displayTitle = c.message
		}
	}
	return map[string]any{
		"id":                   run.ID,
		"name":                 run.Name,
		"node_id":              nodeID("11:WorkflowRun", run.ID),
		"check_suite_id":       checkSuiteID,
		"check_suite_node_id":  nodeID("10:CheckSuite", checkSuiteID),
		"head_branch":          run.HeadBranch,
		"head_sha":             run.HeadSHA,
		"path":                 run.Path,
		"display_title":        displayTitle,
		"run_number":           run.RunNumber,
		"event":                run.Event,
		"status":               run.Status,
		"conclusion":           nullable(run.Conclusion),
		"workflow_id":          run.WorkflowID,
		"url":                  api,
		"html_url":             s.webURL("%s/actions/runs/%d", rs.FullName(), run.ID),
		"pull_requests":        prs,
		"created_at":           ts(run.CreatedAt),
		"updated_at":           ts(run.CreatedAt),
		"run_started_at":       ts(run.CreatedAt),
		"actor":                s.userJSON(run.Actor),
		"triggering_actor":     s.userJSON(run.TriggeringActor),
		"run_attempt":          run.Attempt,
		"referenced_workflows": []any{},
		"jobs_url":             api + "/jobs",
		"logs_url":             api + "/logs",
		"check_suite_url":      s.apiURL("repos/%s/check-suites/%d", rs.FullName(), checkSuiteID),
		"artifacts_url":        api + "/artifacts",
		"cancel_url":           api + "/cancel",
		"rerun_url":            api + "/rerun",
		"previous_attempt_url": previous,
		"workflow_url":         s.apiURL("repos/%s/actions/workflows/%d", rs.FullName(), run.WorkflowID),
		"head_commit":          s.commitSummaryJSON(rs, run.HeadSHA),
		"repository":           s.repoJSON(rs, false),
		"head_repository":      headRepo,
		"head_repository_id":   headRepo["id"],
	}
}

// repoRefJSON renders a repository by full name, known or not (a fork outside the fake).
func (s *Server) repoRefJSON(fullName string) map[string]any {
	if rs := s.st.repoByFullName(fullName); rs != nil {
		return s.repoJSON(rs, false)
	}
	owner, name, _ := strings.Cut(fullName, "/")
	ghost := &repoState{Repo: Repo{Owner: owner, Name: name, ID: stableID("repo", fullName), Fork: true, OwnerType: "User"}}
	return s.repoJSON(ghost, false)
}

// workflowJSON renders the workflow of a run.
func (s *Server) workflowJSON(rs *repoState, run *Run) map[string]any {
	return map[string]any{
		"id":         run.WorkflowID,
		"node_id":    nodeID("8:Workflow", run.WorkflowID),
		"name":       run.Name,
		"path":       run.Path,
		"state":      "active",
		"created_at": ts(rs.createdAt),
		"updated_at": ts(rs.createdAt),
		"url":        s.apiURL("repos/%s/actions/workflows/%d", rs.FullName(), run.WorkflowID),
		"html_url":   s.webURL("%s/blob/%s/%s", rs.FullName(), rs.DefaultBranch, run.Path),
		"badge_url":  s.webURL("%s/workflows/%s/badge.svg", rs.FullName(), run.Name),
	}
}

// jobJSON renders a job. Caller holds s.mu.
func (s *Server) jobJSON(rs *repoState, run *Run, j *jobState) map[string]any {
	steps := make([]any, 0, len(j.Steps))
	for _, st := range j.Steps {
		steps = append(steps, map[string]any{
			"name":         st.Name,
			"status":       st.Status,
			"conclusion":   nullable(st.Conclusion),
			"number":       st.Number,
			"started_at":   ts(run.CreatedAt),
			"completed_at": ts(run.CreatedAt),
		})
	}
	return map[string]any{
		"id":                j.ID,
		"run_id":            j.runID,
		"run_url":           s.apiURL("repos/%s/actions/runs/%d", rs.FullName(), j.runID),
		"run_attempt":       j.RunAttempt,
		"node_id":           nodeID("8:CheckRun", j.ID),
		"head_sha":          run.HeadSHA,
		"head_branch":       run.HeadBranch,
		"url":               s.apiURL("repos/%s/actions/jobs/%d", rs.FullName(), j.ID),
		"html_url":          s.webURL("%s/actions/runs/%d/job/%d", rs.FullName(), j.runID, j.ID),
		"status":            j.Status,
		"conclusion":        nullable(j.Conclusion),
		"created_at":        ts(run.CreatedAt),
		"started_at":        ts(run.CreatedAt),
		"completed_at":      ts(run.CreatedAt),
		"name":              j.Name,
		"steps":             steps,
		"check_run_url":     s.apiURL("repos/%s/check-runs/%d", rs.FullName(), j.ID),
		"labels":            j.Labels,
		"runner_id":         1,
		"runner_name":       nullable(j.RunnerName),
		"runner_group_id":   1,
		"runner_group_name": "GitHub Actions",
		"workflow_name":     run.Name,
	}
}
