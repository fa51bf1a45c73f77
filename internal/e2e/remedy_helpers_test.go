package e2e

import (
	"strconv"
	"strings"

	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

const (
	botLogin        = "ghcr-doctor[bot]"
	fixBranch       = "ghcr-doctor/packages-write/release-build"
	lowercaseBranch = "ghcr-doctor/lowercase/release-build"
	configPath      = ".github/ghcr-doctor.yml"
	optIn           = "fix:\n  allow_settings_changes: true\n"
)

// fixPermissions is what the App needs to apply fixes: the diagnosis's
// permissions plus Contents, Pull requests and Workflows write for the
// pull requests, Administration write for repository settings,
// Organization administration write for organisation settings, Actions
// write for re-runs and Members read for organisation owners.
var fixPermissions = map[string]string{
	"actions": "write", "checks": "write", "contents": "write", "issues": "write", "pull_requests": "write",
	"metadata": "read", "administration": "write", "organization_administration": "write", "workflows": "write",
	"members": "read",
}

func without(perms map[string]string, names ...string) map[string]string {
	out := map[string]string{}
	for k, v := range perms {
		out[k] = v
	}
	for _, n := range names {
		delete(out, n)
	}
	return out
}

// Scenarios of the fix paths; the workflow file is on the default branch too.
func missingWriteScenario() scenario {
	return scenario{workflow: wfJobPermsWithoutPackages, pr: 12, event: "pull_request",
		log: jobLog(permsNoPackages, "docker/build-push-action@v6", buildxDenied("installation not allowed to Write organization package")...)}
}

func restrictedDefaultScenario() scenario {
	return scenario{workflow: wfNoPermissions, repoPerm: "read",
		log: jobLog(permsRead, "docker/build-push-action@v6", buildxDenied("installation not allowed to Write organization package")...)}
}

func orgCapScenario() scenario {
	return scenario{workflow: wfNoPermissions, repoPerm: "write", orgPerm: "read",
		log: jobLog(nil, "docker/build-push-action@v6", buildxDenied("permission_denied: write_package")...)}
}

func uppercaseScenario() scenario {
	return scenario{workflow: wfUppercase,
		log: jobLog(permsWrite, "docker build -t ghcr.io/${{ github.repository }}:latest .",
			`ERROR: invalid tag "ghcr.io/Acme/App:latest": repository name must be lowercase`,
			"##[error]Process completed with exit code 1.")}
}

func forkScenario() scenario {
	return scenario{workflow: wfNoPermissions, event: "pull_request", pr: 31, headRepo: "contributor/app", actor: "contributor",
		log: jobLog(permsRead, "docker/build-push-action@v6", buildxDenied("installation not allowed to Write organization package")...)}
}

// diagnosed puts the scenario's workflow on the default branch, delivers
// the failed run and returns the number of the pull request or tracking
// issue that holds the diagnosis.
func (e *env) diagnosed(s scenario) int {
	e.t.Helper()
	e.fake.SetFile(org, repoName, "main", workflowPath, []byte(s.workflow))
	e.deliver("workflow_run", e.addRun(s))
	if s.pr != 0 {
		require.Len(e.t, e.markerComments(s.pr), 1, "one diagnosis comment; log:\n%s", e.logs.String())
		return s.pr
	}
	for _, is := range e.fake.Issues(org, repoName) {
		if !is.IsPR {
			return is.Number
		}
	}
	e.t.Fatalf("no tracking issue; log:\n%s", e.logs.String())
	return 0
}

// command posts a new comment as user and delivers the issue_comment
// event; it returns the comment's id.
func (e *env) command(issue int, user, body string) int64 {
	e.t.Helper()
	isPR := false
	for _, is := range e.fake.Issues(org, repoName) {
		if is.Number == issue {
			isPR = is.IsPR
		}
	}
	payload := e.fake.IssueCommentEvent(org, repoName, issue, 0, user, body, "created", isPR)
	var id int64
	for _, c := range e.fake.Comments(org, repoName, issue) {
		if c.User == user && c.Body == body && c.ID > id {
			id = c.ID
		}
	}
	e.deliver("issue_comment", payload)
	return id
}

// markerComments are the bot's diagnosis comments on an issue.
func (e *env) markerComments(issue int) []githubfake.Comment {
	var out []githubfake.Comment
	for _, c := range e.fake.Comments(org, repoName, issue) {
		if _, ok := report.ParseMarker(c.Body); ok && c.User == botLogin {
			out = append(out, c)
		}
	}
	return out
}

// replies are the bot's comments without a marker: its answers to commands.
func (e *env) replies(issue int) []githubfake.Comment {
	var out []githubfake.Comment
	for _, c := range e.fake.Comments(org, repoName, issue) {
		if _, ok := report.ParseMarker(c.Body); !ok && c.User == botLogin {
			out = append(out, c)
		}
	}
	return out
}

// lastReply is the bot's one reply, failing unless there is exactly one.
func (e *env) onlyReply(issue int) string {
	e.t.Helper()
	rs := e.replies(issue)
	require.Len(e.t, rs, 1, "one reply on #%d; log:\n%s", issue, e.logs.String())
	return rs[0].Body
}

func (e *env) botBranches() []string {
	var out []string
	for b := range e.fake.Branches(org, repoName) {
		if strings.HasPrefix(b, "ghcr-doctor/") {
			out = append(out, b)
		}
	}
	return out
}

// botPulls are the pull requests the bot opened.
func (e *env) botPulls() []githubfake.Pull {
	var out []githubfake.Pull
	for _, p := range e.fake.Pulls(org, repoName) {
		if p.User == botLogin {
			out = append(out, p)
		}
	}
	return out
}

// writesSince lists the non-GET requests after the first n requests, as
// "METHOD path", leaving out token requests.
func (e *env) writesSince(n int) []string {
	var out []string
	for _, r := range e.fake.Requests()[n:] {
		if r.Method != "GET" && !strings.HasPrefix(r.Path, "/app/installations/") {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func (e *env) reacted(commentID int64) bool {
	for _, r := range e.fake.Reactions(commentID) {
		if r.Content == "eyes" && r.User == botLogin {
			return true
		}
	}
	return false
}

// auditLines are the audit records in the server log.
func (e *env) auditLines() []string {
	var out []string
	for _, l := range strings.Split(e.logs.String(), "\n") {
		if strings.Contains(l, `"audit":"command"`) {
			out = append(out, l)
		}
	}
	return out
}

func githubfakeRepo(name string) githubfake.Repo {
	return githubfake.Repo{Owner: org, Name: name, OwnerType: "Organization", InstallationID: installID}
}

func githubfakeIssue(title string) githubfake.Issue {
	return githubfake.Issue{Title: title, User: "someone"}
}

func itoa(n int) string { return strconv.Itoa(n) }
