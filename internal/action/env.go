package action

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Env is what the runner gives the step, read once.
type Env struct {
	// Repository is "owner/name" (GITHUB_REPOSITORY).
	Repository string
	// RunID and RunAttempt name the run to diagnose: the event's
	// workflow_run when the event has one, else the current run
	// (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT). RunAttempt 0 means the latest.
	RunID      int64
	RunAttempt int
	// FromEvent says the run came from the event's workflow_run.
	FromEvent bool
	// APIURL and ServerURL are GitHub's REST API and web addresses.
	APIURL    string
	ServerURL string
	// StepSummary and Output are the files GITHUB_STEP_SUMMARY and
	// GITHUB_OUTPUT name; "" when not set (outside Actions).
	StepSummary string
	Output      string
	// RunnerTemp is where the report file goes (RUNNER_TEMP).
	RunnerTemp string
	// Token is the github-token input, else GITHUB_TOKEN. Never printed.
	Token string
	// Comment posts the pull-request comment (input comment).
	Comment bool
	// FailOnFinding makes the step fail when it finds an error (input fail-on-finding).
	FailOnFinding bool
}

// SetupError is a problem with how the step was set up: a missing token, a
// variable the runner always sets, an input that is not a boolean. The
// step exits 2 with its message.
type SetupError struct{ Msg string }

func (e *SetupError) Error() string { return e.Msg }

func setupError(format string, args ...any) error {
	return &SetupError{Msg: fmt.Sprintf(format, args...)}
}

var repoName = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

// input reads an action input as the runner passes it: INPUT_ and the
// name in upper case, its hyphens kept (INPUT_GITHUB-TOKEN); the form with
// underscores is accepted too, for shells that cannot set the former.
func input(getenv func(string) string, name string) string {
	upper := strings.ToUpper(name)
	if v := strings.TrimSpace(getenv("INPUT_" + upper)); v != "" {
		return v
	}
	return strings.TrimSpace(getenv("INPUT_" + strings.ReplaceAll(upper, "-", "_")))
}

// boolInput reads a boolean input as actions/toolkit does: YAML 1.2's
// true, True, TRUE, false, False, FALSE; empty is false.
func boolInput(getenv func(string) string, name string) (bool, error) {
	switch v := input(getenv, name); v {
	case "", "false", "False", "FALSE":
		return false, nil
	case "true", "True", "TRUE":
		return true, nil
	default:
		return false, setupError("input %s must be true or false, not %q", name, v)
	}
}

// ReadEnv reads the step's environment through getenv (os.Getenv) and the
// event file it names.
func ReadEnv(getenv func(string) string) (Env, error) {
	e := Env{
		Repository:  strings.TrimSpace(getenv("GITHUB_REPOSITORY")),
		APIURL:      orDefault(getenv("GITHUB_API_URL"), "https://api.github.com"),
		ServerURL:   orDefault(getenv("GITHUB_SERVER_URL"), "https://github.com"),
		StepSummary: strings.TrimSpace(getenv("GITHUB_STEP_SUMMARY")),
		Output:      strings.TrimSpace(getenv("GITHUB_OUTPUT")),
		RunnerTemp:  strings.TrimSpace(getenv("RUNNER_TEMP")),
		Token:       input(getenv, "github-token"),
	}
	if e.Token == "" {
		e.Token = strings.TrimSpace(getenv("GITHUB_TOKEN"))
	}
	var err error
	if e.Comment, err = boolInput(getenv, "comment"); err != nil {
		return Env{}, err
	}
	if e.FailOnFinding, err = boolInput(getenv, "fail-on-finding"); err != nil {
		return Env{}, err
	}
	switch {
	case e.Repository == "":
		return Env{}, setupError("GITHUB_REPOSITORY is not set: bot action runs as a step of a GitHub Actions job (bot diagnose works anywhere)")
	case !repoName.MatchString(e.Repository):
		return Env{}, setupError("GITHUB_REPOSITORY must be OWNER/NAME, not %q", e.Repository)
	case e.Token == "":
		return Env{}, setupError("no token: the github-token input is empty and GITHUB_TOKEN is not set; " +
			"leave github-token at its default (${{ github.token }}) or pass a token with actions: read")
	}
	if err := e.readRun(getenv); err != nil {
		return Env{}, err
	}
	return e, nil
}

// readRun picks the run: the event's workflow_run, for a workflow that
// runs on workflow_run, else the current run.
func (e *Env) readRun(getenv func(string) string) error {
	if path := strings.TrimSpace(getenv("GITHUB_EVENT_PATH")); path != "" {
		id, attempt, ok, err := workflowRunOf(path)
		if err != nil {
			return err
		}
		if ok {
			e.RunID, e.RunAttempt, e.FromEvent = id, attempt, true
			return nil
		}
	}
	raw := strings.TrimSpace(getenv("GITHUB_RUN_ID"))
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return setupError("GITHUB_RUN_ID must be a run's ID, not %q", raw)
	}
	e.RunID = id
	if raw := strings.TrimSpace(getenv("GITHUB_RUN_ATTEMPT")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			return setupError("GITHUB_RUN_ATTEMPT must be a positive number, not %q", raw)
		}
		e.RunAttempt = n
	}
	return nil
}

// maxEventBytes bounds the event file read: GitHub caps webhook payloads
// at 25 MB.
const maxEventBytes = 25 << 20

// workflowRunOf reads the workflow_run of the event file: its ID and
// attempt, and whether the event has one.
func workflowRunOf(path string) (id int64, attempt int, ok bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, false, setupError("reading the event file GITHUB_EVENT_PATH names: %v", err)
	}
	defer f.Close()
	var ev struct {
		WorkflowRun *struct {
			ID         int64 `json:"id"`
			RunAttempt int   `json:"run_attempt"`
		} `json:"workflow_run"`
	}
	// A file cut at the limit fails to decode, rather than reading as less.
	dec := json.NewDecoder(io.LimitReader(f, maxEventBytes))
	if err := dec.Decode(&ev); err != nil {
		return 0, 0, false, setupError("reading the event file GITHUB_EVENT_PATH names: %v", err)
	}
	if ev.WorkflowRun == nil {
		return 0, 0, false, nil
	}
	if ev.WorkflowRun.ID <= 0 {
		return 0, 0, false, setupError("the event's workflow_run has no id")
	}
	return ev.WorkflowRun.ID, ev.WorkflowRun.RunAttempt, true, nil
}

func orDefault(s, fallback string) string {
	if s = strings.TrimSpace(s); s == "" {
		return fallback
	}
	return s
}
