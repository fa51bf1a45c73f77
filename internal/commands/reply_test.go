package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
	"github.com/stretchr/testify/assert"
)

func TestRenderReply(t *testing.T) {
	req := Request{Sender: Sender{Login: "maya"}}
	run := diagnose.Run{ID: 7, Path: planPath, HTMLURL: "https://github.com/acme/app/actions/runs/7", Attempt: 2}
	tests := []struct {
		name    string
		secs    []section
		dropped int
		want    []string
		notWant []string
	}{
		{name: "help", secs: []section{{Command: Command{Verb: VerbHelp, Text: "/ghcr help"}}},
			want: []string{"| `/ghcr fix --settings` |", "organisation owner", "case-insensitive", "@maya"}},
		{name: "unknown command gets help", secs: []section{{Command: Command{Verb: VerbHelp, Text: "/ghcr frob", Problem: "unknown command"}}},
			want: []string{"did not understand", "unknown command", "`/ghcr retry`"}},
		{name: "refusal", secs: []section{{Command: Command{Verb: VerbFix, Text: "/ghcr fix"},
			Note: refusal(Sender{Login: "rita"}, Subject{Role: RoleRead}, Decision{Needs: NeedsWrite}, "acme")}},
			want: []string{"**write** role", "@rita has the read role", "Nothing was changed"}},
		{name: "no role at all", secs: []section{{Command: Command{Verb: VerbFix, Text: "/ghcr fix"},
			Note: refusal(Sender{Login: "x"}, Subject{}, Decision{Needs: NeedsWrite}, "acme")}},
			want: []string{"@x has no role"}},
		{name: "results per run", secs: []section{{Command: Command{Verb: VerbFix, DryRun: true, Text: "/ghcr fix --dry-run"}, DryRun: true,
			Runs: []runSection{{Run: run, Results: []StepResult{{Status: StatusPlanned, Message: "Would open.", Details: []string{"```diff\n+x\n```\n"},
				Step: Step{Package: diagnose.PackageRef{Registry: "ghcr.io", Owner: "acme", Name: "app"}}}}}}}},
			want: []string{"[Run #\u200b7](https://github.com/acme/app/actions/runs/7) of `release.yml` (attempt 2)", "📝 **Plan** · `ghcr.io/acme/app`", "```diff\n+x\n```", "Dry run: nothing was changed"}},
		{name: "dropped commands", secs: []section{{Command: Command{Verb: VerbHelp, Text: "/ghcr help"}}}, dropped: 2,
			want: []string{"2 more were ignored"}},
		{name: "untrusted command text stays code", secs: []section{{Command: Command{Verb: VerbHelp, Text: "/ghcr <img src=x> @everyone `x`", Problem: "unknown command"}}},
			want: []string{"`` /ghcr <img src=x> @\u200beveryone `x` ``"}, notWant: []string{"@everyone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req
			r.Dropped = tt.dropped
			body := renderReply(markdown.SiteOf(""), r, tt.secs)
			for _, w := range tt.want {
				assert.Contains(t, body, w)
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, body, w)
			}
		})
	}
}

// TestUntrustedWorkflowTextIsSanitised: job ids and paths come from the
// repository; they must not mention anyone or inject HTML in replies or
// pull requests.
func TestUntrustedWorkflowTextIsSanitised(t *testing.T) {
	const evil = "build@everyone<img src=x onerror=alert(1)>"
	gh := newMemGitHub(nil)
	step := Step{Kind: StepWorkflowPR, Path: ".github/workflows/@org/team.yml", JobID: evil, CauseSummary: "Token ghp_abcdefghijklmnopqrstuvwxyz0123 for @someone <b>"}
	a := applier(gh)
	a.Requester = "evil @team"
	body := a.pullBody(step, workflowEditFor("x"))
	assert.Contains(t, body, "`"+evil+"`", "the job id is shown as code, where HTML is inert")
	assert.Equal(t, 1, strings.Count(body, "<img"), "and nowhere else")
	assert.NotContains(t, body, "<b>")
	assert.NotContains(t, body, "@someone")
	assert.NotContains(t, body, "ghp_abcdefghijklmnopqrstuvwxyz0123")
	assert.NotContains(t, body, "@team")
	res := a.Apply(context.Background(), step, false)
	assert.Contains(t, res.Message, "`.github/workflows/@\u200borg/team.yml`")
	assert.Equal(t, "ci: grant packages: write to job build@everyone<img src=x onerror=alert(1)> in team.yml", pullTitle(step))
	assert.Equal(t, "`evil @\u200bteam`", mention("evil @team"))
	assert.Equal(t, "@maya", mention("maya"))
	assert.False(t, strings.Contains(siteOf("").Link("x", "javascript:alert(1)"), "]("))
	assert.Equal(t, "[#\u200b12](https://github.com/acme/app/pull/12)", siteOf("").Link("#12", "https://github.com/acme/app/pull/12"))
}

func workflowEditFor(s string) workflow.Edit {
	return workflow.Edit{Diff: "@@ -1 +1 @@\n-" + s + "\n+" + s + "y\n", Changed: true}
}
