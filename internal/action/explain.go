package action

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// permissionsHint is the permissions block the Action needs.
const permissionsHint = "give the job that runs ghcr-doctor `permissions: {actions: read, contents: read}` " +
	"(and `pull-requests: write` for comment: true)"

// explainRead turns a failure to read the run or its jobs into what the
// person setting up the step must do: grant actions: read, fix the token,
// or check the run's name.
func explainRead(err error, what, repo string) error {
	if pe, ok := gherr.AsPermission(err); ok {
		perm := tokenPermission(pe)
		if perm == "" {
			perm = "actions: read"
		}
		return fmt.Errorf("the token may not read %s of %s: GitHub answered 403 (%s), it needs %s; %s",
			what, repo, pe.Message, perm, permissionsHint)
	}
	var se *gherr.StatusError
	if errors.As(err, &se) && se.Status == http.StatusUnauthorized {
		return fmt.Errorf("GitHub refused the token (401) reading %s of %s: the github-token input must be a valid token "+
			"(its default, ${{ github.token }}, is)", what, repo)
	}
	if gherr.IsNotFound(err) {
		return fmt.Errorf("%s not found in %s (or the token cannot see the repository): %w", what, repo, err)
	}
	return fmt.Errorf("reading %s of %s: %w", what, repo, err)
}

// explainComment says why the comment could not be written; a run from a
// fork gets a read-only token whatever the workflow asks for.
func explainComment(err error, repo diagnose.Repo, run diagnose.Run) error {
	pe, ok := gherr.AsPermission(err)
	if !ok {
		return fmt.Errorf("writing the pull-request comment: %w", err)
	}
	if run.IsFork(repo) && run.IsPullRequestEvent() {
		return fmt.Errorf("the token may not comment on the pull request (GitHub answered 403: %s): the run comes from "+
			"the fork %s, and GitHub gives runs of pull requests from forks a read-only token whatever the workflow asks for; "+
			"run ghcr-doctor from a workflow triggered by workflow_run instead, which gets this repository's token",
			pe.Message, run.HeadRepo)
	}
	perm := tokenPermission(pe)
	if perm == "" {
		perm = "pull-requests: write"
	}
	return fmt.Errorf("the token may not comment on the pull request (GitHub answered 403: %s): it needs %s; "+
		"add it to the job's permissions, or leave comment at false", pe.Message, perm)
}

// tokenPermission names the first permission GitHub accepts, as a
// workflow's permissions block spells it ("actions=read" is "actions: read").
func tokenPermission(pe *gherr.PermissionError) string {
	p := pe.Permission()
	if p == "" {
		return ""
	}
	name, level, _ := strings.Cut(p, ":")
	return strings.ReplaceAll(name, "_", "-") + ": " + level
}
