package commands

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

func marker(run int64, wf, state string) string {
	return report.Marker{Key: "0123456789abcdef", Workflow: wf, Package: "ghcr.io/acme/app", State: state, Hash: "fedcba9876543210", Run: run}.String() + "\nbody"
}

func TestRunsFromDiagnoses(t *testing.T) {
	const bot = "ghcr-doctor[bot]"
	pr := CommentSource{Issue: 12, IsPR: true, IssueURL: "https://github.com/acme/app/pull/12"}
	comment := func(id int64, user, body string) report.Comment {
		return report.Comment{ID: id, UserLogin: user, UserType: "Bot", Body: body}
	}
	tests := []struct {
		name     string
		src      CommentSource
		comments []report.Comment
		bot      string
		want     []int64
		url      string
	}{
		{name: "the bot's comment", src: pr, bot: bot, comments: []report.Comment{comment(5, bot, marker(7001, "a.yml", report.StateOpen))},
			want: []int64{7001}, url: "https://github.com/acme/app/pull/12#issuecomment-5"},
		{name: "a copied marker by someone else is ignored", src: pr, bot: bot,
			comments: []report.Comment{{ID: 6, UserLogin: "mallory", UserType: "User", Body: marker(9999, "a.yml", report.StateOpen)}}},
		{name: "an unknown bot login accepts no one", src: pr,
			comments: []report.Comment{comment(5, "other[bot]", marker(7001, "a.yml", report.StateOpen)),
				{ID: 6, UserLogin: "mallory", UserType: "User", Body: marker(9999, "b.yml", report.StateOpen)}}},
		{name: "latest run per workflow, newest first", src: pr, bot: bot, comments: []report.Comment{
			comment(1, bot, marker(7001, "a.yml", report.StateOpen)),
			comment(2, bot, marker(7005, "a.yml", report.StateOpen)),
			comment(3, bot, marker(7003, "b.yml", report.StateOpen)),
		}, want: []int64{7005, 7003}},
		{name: "open reports before resolved ones", src: pr, bot: bot, comments: []report.Comment{
			comment(1, bot, marker(7009, "a.yml", report.StateResolved)),
			comment(2, bot, marker(7003, "b.yml", report.StateOpen)),
		}, want: []int64{7003}},
		{name: "only resolved reports", src: pr, bot: bot, comments: []report.Comment{comment(1, bot, marker(7009, "a.yml", report.StateResolved))},
			want: []int64{7009}},
		{name: "at most three workflows", src: pr, bot: bot, comments: []report.Comment{
			comment(1, bot, marker(1, "a.yml", report.StateOpen)), comment(2, bot, marker(2, "b.yml", report.StateOpen)),
			comment(3, bot, marker(3, "c.yml", report.StateOpen)), comment(4, bot, marker(4, "d.yml", report.StateOpen)),
		}, want: []int64{4, 3, 2}},
		{name: "tracking issue body", bot: bot,
			src:  CommentSource{Issue: 3, IssueURL: "https://github.com/acme/app/issues/3", IssueAuthor: Sender{Login: bot, Type: "Bot"}, IssueBody: marker(7001, "a.yml", report.StateOpen)},
			want: []int64{7001}, url: "https://github.com/acme/app/issues/3"},
		{name: "an issue someone else wrote", bot: bot,
			src: CommentSource{Issue: 3, IssueAuthor: Sender{Login: "mallory", Type: "User"}, IssueBody: marker(7001, "a.yml", report.StateOpen)}},
		{name: "no markers", src: pr, bot: bot, comments: []report.Comment{comment(1, bot, "just a reply")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refs := runsFromDiagnoses(tt.src, tt.comments, tt.bot)
			var ids []int64
			for _, r := range refs {
				ids = append(ids, r.ID)
			}
			assert.Equal(t, tt.want, ids)
			if tt.url != "" {
				require.NotEmpty(t, refs)
				assert.Equal(t, tt.url, refs[0].DiagnosisURL)
			}
		})
	}
}

type runsGitHub struct {
	memGitHub
	runs []diagnose.Run
	err  error
}

func (r *runsGitHub) ListRunsForCommit(context.Context, string, string, string) ([]diagnose.Run, error) {
	return r.runs, r.err
}

func TestRunFromCheckRun(t *testing.T) {
	ctx := context.Background()
	gh := &runsGitHub{runs: []diagnose.Run{{ID: 5, Path: "a.yml"}, {ID: 9, Path: "b.yml"}, {ID: 7, Path: "a.yml"}}}
	tests := []struct {
		name string
		cr   CheckRunSource
		want int64
	}{
		{"marker", CheckRunSource{ExternalID: "wf:a.yml", Summary: marker(42, "a.yml", report.StateOpen), DetailsURL: "https://github.com/acme/app/actions/runs/43"}, 42},
		{"marker of another workflow is not trusted", CheckRunSource{ExternalID: "wf:a.yml", Summary: marker(42, "b.yml", report.StateOpen), DetailsURL: "https://github.com/acme/app/actions/runs/43"}, 43},
		{"details URL", CheckRunSource{ExternalID: "wf:a.yml", DetailsURL: "https://github.com/acme/app/actions/runs/43/job/1"}, 43},
		{"latest run of the workflow on the commit", CheckRunSource{ExternalID: "wf:a.yml", HeadSHA: "abc"}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, err := runFromCheckRun(ctx, gh, "acme", "app", tt.cr)
			require.NoError(t, err)
			assert.Equal(t, tt.want, ref.ID)
		})
	}
	_, err := runFromCheckRun(ctx, gh, "acme", "app", CheckRunSource{ExternalID: "wf:c.yml", HeadSHA: "abc"})
	assert.Error(t, err)
	failing := &runsGitHub{err: errors.New("boom")}
	_, err = runFromCheckRun(ctx, failing, "acme", "app", CheckRunSource{ExternalID: "wf:c.yml", HeadSHA: "abc"})
	assert.ErrorContains(t, err, "boom")
}

func TestMissingPermissions(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		fallback []string
		want     []string
		ok       bool
	}{
		{"all of the first set", &gherr.PermissionError{Accepted: "contents=write,workflows=write"}, nil, []string{"contents:write", "workflows:write"}, true},
		{"alternatives: the first", &gherr.PermissionError{Accepted: "pull_requests=write; issues=write"}, nil, []string{"pull_requests:write"}, true},
		{"no header: the fallback", &gherr.PermissionError{}, []string{"actions:write"}, []string{"actions:write"}, true},
		{"not a permission error", errors.New("boom"), []string{"actions:write"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := missingPermissions(tt.err, tt.fallback...)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
	assert.Contains(t, grantSentence([]string{"workflows:write"}), "Repository permissions → Workflows → Read and write")
	assert.Contains(t, grantSentence([]string{"members:read"}), "Organization permissions → Members → Read-only")
}

func TestButtonCommand(t *testing.T) {
	c, ok := ButtonCommand(report.ActionFixID)
	assert.True(t, ok)
	assert.Equal(t, VerbFix, c.Verb)
	c, ok = ButtonCommand(report.ActionRecheckID)
	assert.True(t, ok)
	assert.Equal(t, VerbRecheck, c.Verb)
	_, ok = ButtonCommand("other")
	assert.False(t, ok)
}
