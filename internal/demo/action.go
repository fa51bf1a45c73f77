package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/action"
	"github.com/ghcr-doctor/ghcr-doctor/internal/demo/term"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// The demo of the Action: the seed case (packages: write granted, the
// package's access list lacking the repository) diagnosed by the GitHub
// Action in a later job of the failed run, without the App.
const (
	ActionScenario = "action"
	ActionTitle    = "the seed case diagnosed by the GitHub Action, without the App: the run's summary page"
)

// actionPermissions are what the Action's job grants its token.
var actionPermissions = map[string]string{"actions": "read", "contents": "read", "metadata": "read"}

// ActionResult is what the Action reported in the demo.
type ActionResult struct {
	// Summary is the Markdown the step added to the job summary.
	Summary string
	// Outputs are the step's outputs.
	Outputs map[string]string
	// Duration is how long the demo took.
	Duration time.Duration
}

// RunAction plays the Action's demo: a simulated GitHub holds the failed
// run, and the Action's step runs in its ghcr-doctor job with the
// workflow's token (which acts as github-actions[bot]), then the story
// shows its log, its annotations, the run's summary page as the terminal
// renders it, and its outputs.
func RunAction(ctx context.Context, opts Options) (*ActionResult, error) {
	began := time.Now()
	if opts.Width == 0 {
		opts.Width = 100
	}
	s, ok := Find("package-access")
	if !ok {
		return nil, errors.New("the seed scenario is missing")
	}
	key, err := sharedKey()
	if err != nil {
		return nil, fmt.Errorf("making the simulated App's key: %w", err)
	}
	fake := githubfake.New(githubfake.Options{AppID: AppID, AppSlug: "github-actions", AppKey: key})
	defer fake.Close()
	fake.AddInstallation(InstallationID, Owner, "Organization", appPermissions)
	fake.AddRepo(githubfake.Repo{Owner: Owner, Name: Repo, ID: 1001, OwnerType: "Organization", InstallationID: InstallationID})
	w := &World{Fake: fake}
	w.setUp(s)
	fake.AddJob(Owner, Repo, RunID, githubfake.Job{ID: RunID*10 + 2, RunAttempt: 1, Name: "ghcr-doctor", Status: "in_progress"})

	dir, err := os.MkdirTemp("", "ghcr-doctor-action-demo-")
	if err != nil {
		return nil, fmt.Errorf("making the step's directory: %w", err)
	}
	defer os.RemoveAll(dir)
	r, err := actionRunner(ctx, fake, dir)
	if err != nil {
		return nil, err
	}
	var log, commands bytes.Buffer
	r.Log, r.Commands = &log, &commands

	p := &player{w: w, s: s, out: opts.Out, t: term.Options{Color: opts.Color, Width: opts.Width}, res: &PlayResult{}}
	p.actionIntro()
	p.failedRun()
	out, err := r.Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("the Action's step: %w", err)
	}
	res := &ActionResult{}
	if res.Summary, err = readString(r.Env.StepSummary); err != nil {
		return nil, err
	}
	raw, err := readString(r.Env.Output)
	if err != nil {
		return nil, err
	}
	res.Outputs = parseOutputs(raw)
	p.actionStep(log.String(), action.Annotations(out.Findings.Diagnoses, out.Findings.Target))
	p.section("The run's summary page")
	p.markdown(res.Summary)
	p.section("The step's outputs")
	for _, name := range []string{"found", "cause", "fix", "report"} {
		p.printf("    %s = %s\n", p.t.Bold(name), res.Outputs[name])
	}
	res.Duration = time.Since(began)
	return res, nil
}

// actionRunner is the Action's step as the runner would start it, with
// its files in dir and a token of the job.
func actionRunner(ctx context.Context, fake *githubfake.Server, dir string) (*action.Runner, error) {
	token, err := InstallationToken(ctx, fake, InstallationID, actionPermissions)
	if err != nil {
		return nil, err
	}
	env := action.Env{
		Repository: Owner + "/" + Repo, RunID: RunID, RunAttempt: 1, APIURL: fake.URL(), ServerURL: "https://github.com",
		StepSummary: filepath.Join(dir, "summary.md"), Output: filepath.Join(dir, "output"), RunnerTemp: dir, Token: token,
	}
	gh := github.NewClient(nil).WithAuthToken(token)
	if gh.BaseURL, err = url.Parse(fake.URL() + "/"); err != nil {
		return nil, err
	}
	return &action.Runner{Env: env, GH: ghapi.New(gh)}, nil
}

func (p *player) actionIntro() {
	p.printf("%s\n\n", p.t.Bold("ghcr-doctor demo: "+ActionScenario))
	p.printf("%s\n", p.s.Story)
	p.printf("\nThe repository has no ghcr-doctor App. Its workflow has a job that runs when the build failed:\n\n")
	for _, l := range splitLines(actionJob) {
		p.printf("    %s\n", l)
	}
	p.printf("\n%s\n", p.t.Dim("Everything below runs on this machine: a simulated GitHub, and the Action's step reading it\n"+
		"with the job's token. Nothing is sent to github.com."))
}

// actionJob is the job of examples/action/after-failure.yml.
const actionJob = `  ghcr-doctor:
    needs: build
    if: failure()
    runs-on: ubuntu-latest
    permissions:
      actions: read
      contents: read
    steps:
      - uses: ghcr-doctor/ghcr-doctor@v1`

// actionStep shows the step's log and its annotations as the run's page
// lists them.
func (p *player) actionStep(log string, annotations []action.Annotation) {
	p.section(`Job "ghcr-doctor", step "Run ghcr-doctor/ghcr-doctor@v1"`)
	for _, l := range splitLines(log) {
		p.printf("    %s\n", l)
	}
	p.printf("\n    %s\n", p.t.Bold("Annotations"))
	for _, a := range annotations {
		where := a.File
		if a.Line > 0 {
			where += fmt.Sprintf("#L%d", a.Line)
		}
		p.printf("    %s %s  %s\n", p.t.Bold(capitalize(a.Level)+":"), a.Title, p.t.Dim(where))
		for _, l := range splitLines(a.Message) {
			p.printf("        %s\n", l)
		}
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func readString(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading the step's file: %w", err)
	}
	return string(b), nil
}

// parseOutputs reads GITHUB_OUTPUT's name<<DELIMITER blocks.
func parseOutputs(raw string) map[string]string {
	out := map[string]string{}
	lines := splitLines(raw)
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			continue
		}
		var value []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			value = append(value, lines[i])
		}
		out[name] = strings.Join(value, "\n")
	}
	return out
}
