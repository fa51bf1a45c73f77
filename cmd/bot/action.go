package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/google/go-github/v60/github"
	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/action"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
)

const actionHelp = `Diagnose the failed jobs of a GitHub Actions run from inside GitHub Actions,
without the App: this is what the ghcr-doctor Action (action.yml) runs. Job logs
are readable once a job has finished, so run it in a later job (needs: and
if: failure()) or in a workflow triggered by workflow_run.

It reads what the runner sets:
  GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT  the run to diagnose
  GITHUB_EVENT_PATH      the event; when it has a workflow_run, that run is
                         diagnosed instead (a workflow on workflow_run)
  GITHUB_API_URL, GITHUB_SERVER_URL  GitHub's API and web addresses
  GITHUB_STEP_SUMMARY    the job summary: the report is added there
  GITHUB_OUTPUT          the outputs found (true/false), cause (an id, as in
                         bot diagnose --format json), fix (one line) and
                         report (the path of a file holding the report)
  RUNNER_TEMP            where the report file goes
and the inputs, as the runner passes them:
  INPUT_GITHUB-TOKEN     the token (else GITHUB_TOKEN); it needs actions: read
                         and contents: read
  INPUT_COMMENT          true: also post the report as the pull-request comment
                         the App posts, edited in place (needs pull-requests: write)
  INPUT_FAIL-ON-FINDING  true: exit 1 when a GitHub Packages error is found

Each refused package gets an error annotation on the workflow line that
matters, written to standard output as a workflow command.

Exit status: 0 after reporting, whatever was found; 1 when fail-on-finding is
true and an error was found; 2 when the step could not do its work (no token,
a token without actions: read, a fork's read-only token asked to comment).`

func newActionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "action",
		Short: "Diagnose the failed run from inside GitHub Actions (the Action's entry point)",
		Long:  actionHelp,
		Example: `  # in a job that runs after the failed one (the Action does this for you):
  bot action`,
		Args: cobra.NoArgs,
		RunE: runAction,
	}
}

func runAction(cmd *cobra.Command, _ []string) error {
	env, err := action.ReadEnv(os.Getenv)
	if err != nil {
		return &exitCodeError{code: 2, err: err}
	}
	gh, err := tokenClient(env.APIURL, env.Token)
	if err != nil {
		return &exitCodeError{code: 2, err: fmt.Errorf("GITHUB_API_URL: %w", err)}
	}
	stderr := cmd.ErrOrStderr()
	client := ghapi.New(gh)
	r := &action.Runner{
		Env:      env,
		GH:       client,
		Source:   &progressSource{FactSource: client, p: newProgress(stderr, false)},
		Commands: cmd.OutOrStdout(),
		Log:      stderr,
	}
	if env.Comment {
		r.Self = tokenLogin(cmd.Context(), gh)
	}
	out, err := r.Run(cmd.Context())
	if err != nil {
		var se *action.SetupError
		if errors.As(err, &se) {
			return &exitCodeError{code: 2, err: err}
		}
		return &exitCodeError{code: 2, err: fmt.Errorf("ghcr-doctor: %w", err)}
	}
	if env.FailOnFinding && out.Findings.Found() {
		fmt.Fprintln(stderr, "ghcr-doctor: a GitHub Packages error was found and fail-on-finding is true.")
		return &exitCodeError{code: 1}
	}
	return nil
}

// tokenLogin is the login of a person's token, so that the comment it
// wrote before is found again. A workflow or App token has no user to read
// (GitHub answers 403); its comments are found as a bot's.
func tokenLogin(ctx context.Context, gh *github.Client) string {
	u, _, err := gh.Users.Get(ctx, "")
	if err != nil {
		return ""
	}
	return u.GetLogin()
}
