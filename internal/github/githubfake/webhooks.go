package githubfake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// DeliveryResult is the outcome of sending one webhook.
type DeliveryResult struct {
	DeliveryID int64
	GUID       string
	// StatusCode is the target's answer, 0 when it could not be reached.
	StatusCode int
	Body       []byte
	Duration   time.Duration
}

// Sign returns the X-Hub-Signature-256 value of a body: "sha256=" and the hex HMAC-SHA256.
func Sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	_, _ = mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// signSHA1 returns the legacy X-Hub-Signature value of a body.
func signSHA1(secret, body []byte) string {
	mac := hmac.New(sha1.New, secret)
	_, _ = mac.Write(body)
	return "sha1=" + hex.EncodeToString(mac.Sum(nil))
}

// errNoWebhookTarget is returned when a delivery is asked for before a target is set.
var errNoWebhookTarget = errors.New("githubfake: no webhook target configured")

// Deliver sends a webhook to the configured target as GitHub does and records
// the delivery for the deliveries API. A target that cannot be reached yields
// an error and a recorded failed delivery.
func (s *Server) Deliver(ctx context.Context, event string, payload []byte) (DeliveryResult, error) {
	target, secret := s.webhookTarget()
	if target == "" {
		return DeliveryResult{}, errNoWebhookTarget
	}
	guid := newGUID()
	out := s.send(ctx, target, secret, event, guid, payload)
	d := s.recordDelivery(event, guid, payload, false, out)
	res := DeliveryResult{DeliveryID: d.ID, GUID: guid, StatusCode: out.statusCode, Body: out.body, Duration: out.duration}
	if out.err != nil {
		return res, fmt.Errorf("delivering %s webhook: %w", event, out.err)
	}
	return res, nil
}

// RecordFailedDelivery records a delivery of a webhook that never reached the
// app, as GitHub lists one when the app was down.
func (s *Server) RecordFailedDelivery(event string, payload []byte) DeliveryResult {
	guid := newGUID()
	out := sendOutcome{err: errors.New("failed to connect to host"), headers: s.webhookHeaders(event, guid, "", payload)}
	d := s.recordDelivery(event, guid, payload, false, out)
	return DeliveryResult{DeliveryID: d.ID, GUID: guid}
}

type sendOutcome struct {
	headers     map[string]string
	statusCode  int
	body        []byte
	respHeaders map[string]string
	duration    time.Duration
	err         error
}

func (s *Server) webhookHeaders(event, guid, secret string, payload []byte) map[string]string {
	h := map[string]string{
		"Accept":                                 "*/*",
		"Content-Type":                           "application/json",
		"User-Agent":                             "GitHub-Hookshot/fake",
		"X-GitHub-Event":                         event,
		"X-GitHub-Delivery":                      guid,
		"X-GitHub-Hook-ID":                       fmt.Sprint(s.hookID),
		"X-GitHub-Hook-Installation-Target-Type": "integration",
		"X-GitHub-Hook-Installation-Target-ID":   fmt.Sprint(s.opts.AppID),
	}
	if secret != "" {
		h["X-Hub-Signature"] = signSHA1([]byte(secret), payload)
		h["X-Hub-Signature-256"] = Sign([]byte(secret), payload)
	}
	return h
}

// send POSTs one webhook with GitHub's headers and timeout.
func (s *Server) send(ctx context.Context, target, secret, event, guid string, payload []byte) sendOutcome {
	out := sendOutcome{headers: s.webhookHeaders(event, guid, secret, payload)}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(payload))
	if err != nil {
		out.err = fmt.Errorf("building webhook request: %w", err)
		return out
	}
	for k, v := range out.headers {
		req.Header.Set(k, v)
	}
	client := &http.Client{Timeout: s.opts.WebhookTimeout}
	start := time.Now()
	resp, err := client.Do(req)
	out.duration = time.Since(start)
	if err != nil {
		out.err = err
		return out
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		out.err = fmt.Errorf("reading webhook response: %w", err)
	}
	out.statusCode, out.body = resp.StatusCode, body
	out.respHeaders = map[string]string{}
	for k := range resp.Header {
		out.respHeaders[k] = resp.Header.Get(k)
	}
	return out
}

// deliveryStatus is GitHub's description of a delivery's outcome.
func deliveryStatus(out sendOutcome) string {
	switch {
	case out.err != nil && strings.Contains(out.err.Error(), "Timeout"):
		return "timed out"
	case out.err != nil && out.statusCode == 0:
		return "failed to connect to host"
	case out.statusCode >= 200 && out.statusCode < 300:
		return "OK"
	default:
		return fmt.Sprintf("Invalid HTTP Response: %d", out.statusCode)
	}
}

// payloadFacts reads what the deliveries API shows about a payload.
func payloadFacts(payload []byte) (action string, installationID, repositoryID int64) {
	var p struct {
		Action       string `json:"action"`
		Installation *struct {
			ID int64 `json:"id"`
		} `json:"installation"`
		Repository *struct {
			ID int64 `json:"id"`
		} `json:"repository"`
	}
	if json.Unmarshal(payload, &p) != nil {
		return "", 0, 0
	}
	action = p.Action
	if p.Installation != nil {
		installationID = p.Installation.ID
	}
	if p.Repository != nil {
		repositoryID = p.Repository.ID
	}
	return action, installationID, repositoryID
}

func (s *Server) marshalPayload(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("githubfake: encoding webhook payload: %v", err))
	}
	return b
}

// RunPayload renders a run's latest attempt as the workflow_run object of webhooks and the REST API.
func (s *Server) RunPayload(owner, repo string, runID int64) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	r, ok := rs.runs[runID]
	if !ok {
		panic(fmt.Sprintf("githubfake: run %d of %s was not added", runID, rs.FullName()))
	}
	return s.runJSON(rs, r.attempts[r.latest])
}

// eventEnvelope adds repository, organization, installation and sender to a payload. Caller holds s.mu.
func (s *Server) eventEnvelope(rs *repoState, action, sender string, fields map[string]any) map[string]any {
	p := map[string]any{
		"action":       action,
		"repository":   s.repoJSON(rs, true),
		"installation": installationRefJSON(rs.InstallationID),
		"sender":       s.userJSON(sender),
	}
	if rs.OwnerType == "Organization" {
		p["organization"] = s.orgJSON(rs.Owner)
	}
	for k, v := range fields {
		p[k] = v
	}
	return p
}

// WorkflowRunEvent builds a complete workflow_run webhook body for a run's latest attempt.
func (s *Server) WorkflowRunEvent(action, owner, repo string, runID int64) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	r, ok := rs.runs[runID]
	if !ok {
		panic(fmt.Sprintf("githubfake: run %d of %s was not added", runID, rs.FullName()))
	}
	run := r.attempts[r.latest]
	sender := run.TriggeringActor
	if sender == "" {
		sender = rs.Owner
	}
	return s.marshalPayload(s.eventEnvelope(rs, action, sender, map[string]any{
		"workflow_run": s.runJSON(rs, run),
		"workflow":     s.workflowJSON(rs, run),
	}))
}

// IssueCommentEvent builds an issue_comment webhook body. The issue or pull
// request and the comment are created in the fake when they do not exist yet
// (commentID 0 picks a new ID), so the app can act on them; an existing
// comment takes the given body.
func (s *Server) IssueCommentEvent(owner, repo string, issue int, commentID int64, user, body, action string, isPR bool) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	is := rs.issues[issue]
	if is == nil {
		if isPR {
			branch := fmt.Sprintf("patch-%d", issue)
			is = s.addPullLocked(rs, Pull{Number: issue, Title: "Pull request " + fmt.Sprint(issue), HeadRef: branch, BaseRef: rs.DefaultBranch,
				HeadSHA: rs.branches[rs.DefaultBranch], HeadRepoFullName: rs.FullName(), User: user})
		} else {
			is = s.addIssueLocked(rs, Issue{Number: issue, Title: "Issue " + fmt.Sprint(issue), User: user})
		}
	}
	cm := s.st.comments[commentID]
	switch {
	case cm == nil:
		now := s.now()
		if commentID == 0 {
			commentID = s.st.newID()
		}
		cm = &commentState{Comment: Comment{ID: commentID, Issue: issue, Body: body, User: user, CreatedAt: now, UpdatedAt: now}, repo: rs}
		s.st.comments[commentID] = cm
	case cm.Body != body:
		cm.Body = body
		cm.UpdatedAt = s.now()
	}
	fields := map[string]any{
		"issue":   s.issueJSON(rs, is),
		"comment": s.commentJSON(rs, cm),
	}
	if action == "edited" {
		fields["changes"] = map[string]any{"body": map[string]any{"from": ""}}
	}
	return s.marshalPayload(s.eventEnvelope(rs, action, user, fields))
}

// CheckRunRequestedActionEvent builds the check_run webhook body sent when a
// user clicks a requested action button of a check run.
func (s *Server) CheckRunRequestedActionEvent(owner, repo string, checkRunID int64, identifier, user string) []byte {
	return s.checkRunEvent(owner, repo, checkRunID, "requested_action", identifier, user)
}

// CheckRunRerequestedEvent builds the check_run webhook body sent when a
// user clicks the check run's "Re-run" (action rerequested, without
// requested_action).
func (s *Server) CheckRunRerequestedEvent(owner, repo string, checkRunID int64, user string) []byte {
	return s.checkRunEvent(owner, repo, checkRunID, "rerequested", "", user)
}

func (s *Server) checkRunEvent(owner, repo string, checkRunID int64, action, identifier, user string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.mustRepoLocked(owner, repo)
	cr := s.st.checkRuns[checkRunID]
	if cr == nil || cr.repo != rs {
		panic(fmt.Sprintf("githubfake: check run %d of %s does not exist", checkRunID, rs.FullName()))
	}
	checkRun := s.checkRunJSON(cr)
	suite := checkRun["check_suite"].(map[string]any)
	suite["head_sha"] = cr.HeadSHA
	suite["head_branch"] = nil
	for b, sha := range rs.branches {
		if sha == cr.HeadSHA {
			suite["head_branch"] = b
		}
	}
	suite["status"] = cr.Status
	suite["conclusion"] = nullable(cr.Conclusion)
	suite["app"] = checkRun["app"]
	suite["pull_requests"] = checkRun["pull_requests"]
	suite["url"] = s.apiURL("repos/%s/check-suites/%d", rs.FullName(), suite["id"])
	suite["node_id"] = nodeID("10:CheckSuite", suite["id"].(int64))
	suite["created_at"] = ts(cr.StartedAt)
	suite["updated_at"] = ts(s.suiteUpdatedLocked(rs, cr.HeadSHA))
	suite["after"] = cr.HeadSHA
	suite["before"] = strings.Repeat("0", 40)
	if c := rs.commits[cr.HeadSHA]; c != nil && c.parent != "" {
		suite["before"] = c.parent
	}
	fields := map[string]any{"check_run": checkRun}
	if action == "requested_action" {
		fields["requested_action"] = map[string]any{"identifier": identifier}
	}
	return s.marshalPayload(s.eventEnvelope(rs, action, user, fields))
}

// suiteUpdatedLocked is the updated_at of the check suite of a commit: the
// latest write to any of its check runs. Caller holds s.mu.
func (s *Server) suiteUpdatedLocked(rs *repoState, headSHA string) time.Time {
	var latest time.Time
	for _, cr := range s.st.checkRuns {
		if cr.repo == rs && cr.HeadSHA == headSHA && cr.updatedAt.After(latest) {
			latest = cr.updatedAt
		}
	}
	return latest
}
