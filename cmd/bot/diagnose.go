package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo/term"
	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghpayload"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
	"github.com/ghcr-doctor/ghcr-doctor/internal/version"
)

const diagnoseHelp = `Diagnose one GitHub Actions run against GitHub, without the App: download the
failed jobs' logs, find GitHub Packages errors, gather the facts (workflow file,
default workflow permissions, fork, pull requests) and print the report the App
would post.

The token comes from GITHUB_TOKEN or GH_TOKEN (e.g. GH_TOKEN=$(gh auth token)). It
needs to read the repository's Actions runs, job logs and contents; facts it cannot
read (the default workflow permissions need administration access) are reported as
unknown, with the permission that would make them readable, as in the App.

While logs download, standard error shows the bytes read per job: a live line on
a terminal, plain lines otherwise.

Formats:
  text      the report for a terminal (default)
  markdown  the comment the App would post: one for the run, a section per package
  json      one document:
            {"repository": "acme/app",
             "run": {"id", "attempt", "workflow", "path", "event", "head_sha",
                     "head_branch", "conclusion", "html_url", "pull_requests"},
             "jobs": [{"id", "name", "html_url", "findings", "error"}],
             "diagnoses": [{
               "package": {"registry", "owner", "name", "display"},
               "cause": {"id", "summary", "confidence", "evidence",
                         "fix": {"kind", "summary", "steps", "links": [{"text", "url"}],
                                 "diff", "role"}},
               "other_causes": [cause...],
               "checks": [{"name", "status", "detail"}],
               "unknowns": [{"what", "reason", "permission"}],
               "findings": [{"file", "kind", "registry", "owner", "package", "tool",
                             "step", "line", "text"}],
               "annotations": [{"path", "line", "level", "title", "message"}]}]}
            Arrays are never null. cause.id is one of missing_packages_write,
            restricted_default, fork_pull_request, dependabot, package_access,
            package_creation, namespace_mismatch, pat_credentials, app_token,
            no_login, uppercase_name, owner_not_found, read_access, undetermined;
            status is ok, failed or unknown; a finding's file is the job's name.

Exit status: 0 no GitHub Packages error found, 1 diagnoses printed, 2 error
(bad flag, no token, run not found, GitHub unreachable).`

// diagnoseFlags are the command's options.
type diagnoseFlags struct {
	repo    string
	run     int64
	attempt int
	apiURL  string
	webURL  string
	format  string
}

func newDiagnoseCmd() *cobra.Command {
	var f diagnoseFlags
	cmd := &cobra.Command{
		Use:   "diagnose --repo OWNER/NAME --run ID [--format text|markdown|json]",
		Short: "Diagnose a failed run with a token, without the App",
		Long:  diagnoseHelp,
		Example: `  GH_TOKEN=$(gh auth token) bot diagnose --repo acme/app --run 9876543210
  bot diagnose --repo acme/app --run 9876543210 --format json | jq '.diagnoses[].cause.id'
  bot diagnose --web-url https://ghe.example.com --api-url https://ghe.example.com/api/v3/ --repo acme/app --run 42`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDiagnose(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.repo, "repo", "", "the repository, OWNER/NAME (required)")
	fl.Int64Var(&f.run, "run", 0, "the workflow run's ID, as in .../actions/runs/ID (required)")
	fl.IntVar(&f.attempt, "attempt", 0, "the run attempt to diagnose (default: the latest)")
	fl.StringVar(&f.apiURL, "api-url", "https://api.github.com/", "GitHub's REST API (GitHub Enterprise Server: https://HOST/api/v3/)")
	fl.StringVar(&f.webURL, "web-url", "https://github.com", "GitHub's web address, for the report's links")
	fl.StringVar(&f.format, "format", "text", "output format: text, markdown or json")
	return cmd
}

var repoName = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

func usageError(format string, args ...any) error {
	return &exitCodeError{code: 2, err: fmt.Errorf(format, args...)}
}

func runDiagnose(cmd *cobra.Command, f diagnoseFlags) error {
	switch {
	case f.format != "text" && f.format != "markdown" && f.format != "json":
		return usageError("--format must be text, markdown or json, not %q", f.format)
	case f.repo == "":
		return usageError("--repo OWNER/NAME is required")
	case !repoName.MatchString(f.repo):
		return usageError("--repo must be OWNER/NAME, not %q", f.repo)
	case f.run <= 0:
		return usageError("--run ID is required (the number in the run's address, .../actions/runs/ID)")
	case f.attempt < 0:
		return usageError("--attempt must be positive")
	}
	token := firstEnv("GITHUB_TOKEN", "GH_TOKEN")
	if token == "" {
		return usageError("no token: set GITHUB_TOKEN or GH_TOKEN (for example GH_TOKEN=$(gh auth token))")
	}
	gh, err := tokenClient(f.apiURL, token)
	if err != nil {
		return usageError("--api-url: %v", err)
	}
	owner, name, _ := strings.Cut(f.repo, "/")
	ctx := cmd.Context()
	ev, err := fetchRunEvent(ctx, gh, owner, name, f.run, f.attempt)
	if err != nil {
		return &exitCodeError{code: 2, err: err}
	}
	stderr := cmd.ErrOrStderr()
	fmt.Fprintf(stderr, "Run %d of %s: workflow %q (%s), %s.\n", ev.Run.ID, f.repo, ev.Run.WorkflowName, ev.Run.Path, orWord(ev.Run.Conclusion, "not completed"))

	prog := newProgress(stderr, isTerminal(stderr))
	hosts, err := triage.RegistryHostsFor(f.webURL)
	if err != nil {
		return &exitCodeError{code: 2, err: err}
	}
	doc := &triage.Doctor{WebURL: f.webURL, Hosts: hosts}
	facts, ds, err := doc.Examine(ctx, &progressSource{FactSource: ghapi.New(gh), p: prog}, ev)
	prog.finish()
	if err != nil {
		return &exitCodeError{code: 2, err: fmt.Errorf("diagnosing run %d: %w", f.run, err)}
	}
	target := report.Target{Repo: facts.Repo, Run: facts.Run, WebURL: f.webURL}
	for _, j := range facts.Jobs {
		target.Jobs = append(target.Jobs, report.Job{Name: j.Name, HTMLURL: j.HTMLURL})
	}
	if err := printDiagnosis(cmd.OutOrStdout(), stderr, f.format, facts, ds, target); err != nil {
		return &exitCodeError{code: 2, err: err}
	}
	if len(ds) > 0 {
		return &exitCodeError{code: 1}
	}
	return nil
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(os.Getenv(n)); v != "" {
			return v
		}
	}
	return ""
}

func orWord(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// bearer adds the token to every request to GitHub's API.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// tokenClient is a go-github client for the API at apiURL with the token.
func tokenClient(apiURL, token string) (*github.Client, error) {
	return clientFor(apiURL, bearer{token: token, next: http.DefaultTransport})
}

// clientFor is a go-github client for the API at apiURL over rt, which
// adds the credentials.
func clientFor(apiURL string, rt http.RoundTripper) (*github.Client, error) {
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) address", apiURL)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	gh := github.NewClient(&http.Client{Transport: rt})
	gh.BaseURL = u
	gh.UserAgent = "ghcr-doctor/" + version.Version
	return gh, nil
}

// fetchRunEvent reads the run (GET /repos/{owner}/{repo}/actions/runs/{id},
// or one attempt of it) and builds the event the App would have queued.
func fetchRunEvent(ctx context.Context, gh *github.Client, owner, name string, runID int64, attempt int) (triage.RunEvent, error) {
	path := fmt.Sprintf("repos/%s/%s/actions/runs/%d", url.PathEscape(owner), url.PathEscape(name), runID)
	if attempt > 0 {
		path += fmt.Sprintf("/attempts/%d", attempt)
	}
	req, err := gh.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		return triage.RunEvent{}, err
	}
	var raw json.RawMessage
	resp, err := gh.Do(ctx, req, &raw)
	if err != nil {
		return triage.RunEvent{}, runError(resp, err, owner+"/"+name, runID, attempt)
	}
	run, err := ghpayload.DecodeRun(raw, 0)
	if err != nil {
		return triage.RunEvent{}, fmt.Errorf("run %d: %w", runID, err)
	}
	var repo struct {
		Repository *github.Repository `json:"repository"`
	}
	if err := json.Unmarshal(raw, &repo); err != nil {
		return triage.RunEvent{}, fmt.Errorf("decoding run %d: %w", runID, err)
	}
	ev := triage.RunEvent{Repo: ghpayload.RepoOf(repo.Repository), Run: run}
	ev.Repo.Owner = orWord(ev.Repo.Owner, owner)
	ev.Repo.Name = orWord(ev.Repo.Name, name)
	return ev, nil
}

func runError(resp *github.Response, err error, repo string, runID int64, attempt int) error {
	what := fmt.Sprintf("run %d", runID)
	if attempt > 0 {
		what = fmt.Sprintf("attempt %d of run %d", attempt, runID)
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	switch status {
	case http.StatusNotFound:
		return fmt.Errorf("%s not found in %s (or the token cannot see the repository)", what, repo)
	case http.StatusUnauthorized:
		return errors.New("GitHub refused the token (401): check GITHUB_TOKEN or GH_TOKEN")
	case http.StatusForbidden:
		return fmt.Errorf("the token may not read %s of %s (403): %w", what, repo, err)
	}
	return fmt.Errorf("reading %s of %s: %w", what, repo, err)
}

// printDiagnosis writes the report in the chosen format.
func printDiagnosis(stdout, stderr io.Writer, format string, facts *diagnose.Facts, ds []diagnose.Diagnosis, t report.Target) error {
	switch format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(newDiagnoseDocument(facts, ds)); err != nil {
			return fmt.Errorf("writing JSON: %w", err)
		}
		return nil
	case "markdown":
		if len(ds) == 0 {
			fmt.Fprintln(stderr, noErrorLine(facts))
			return nil
		}
		fmt.Fprint(stdout, withoutMarker(report.RenderComment(ds, t)))
		return nil
	}
	if len(ds) == 0 {
		fmt.Fprintln(stdout, noErrorLine(facts))
		return nil
	}
	opts := term.Options{Color: isTerminal(stdout) && os.Getenv("NO_COLOR") == "", Width: 100}
	fmt.Fprint(stdout, term.Render(report.RenderComment(ds, t), opts))
	return nil
}

func noErrorLine(facts *diagnose.Facts) string {
	failed := len(facts.Jobs)
	return fmt.Sprintf("No GitHub Packages error found in the %d failed %s of run %d.", failed, plural(failed, "job", "jobs"), facts.Run.ID)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// withoutMarker drops the hidden marker line the App uses to find its own
// comments again; it means nothing outside the App.
func withoutMarker(body string) string {
	if strings.HasPrefix(body, "<!--") {
		if _, rest, ok := strings.Cut(body, "-->\n"); ok {
			return rest
		}
	}
	return body
}
