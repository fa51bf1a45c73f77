package report_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// The App and the Action keep one comment per pull request and workflow,
// whichever of the two wrote it first; someone else's comment carrying a
// copied marker is never taken over.
func TestAppAndActionShareTheComment(t *testing.T) {
	anyBot := func(c report.Comment) bool { return c.UserType == "Bot" }
	tests := []struct {
		name       string
		firstBy    string
		firstType  string
		second     *report.Publisher
		wantShared bool
	}{
		{"the App finds the Action's comment", report.ActionsLogin, "Bot", &report.Publisher{BotLogin: "ghcr-doctor[bot]"}, true},
		{"the Action finds the App's comment", "ghcr-doctor[bot]", "Bot", &report.Publisher{Accept: anyBot}, true},
		{"the Action finds its own comment", report.ActionsLogin, "Bot", &report.Publisher{Accept: anyBot}, true},
		{"the App ignores another bot", "other-app[bot]", "Bot", &report.Publisher{BotLogin: "ghcr-doctor[bot]"}, false},
		{"the Action ignores a person's copied marker", "mallory", "User", &report.Publisher{Accept: anyBot}, false},
		{"the App ignores a person's copied marker", "mallory", "User", &report.Publisher{BotLogin: "ghcr-doctor[bot]"}, false},
		{"without the App's login a person's copied marker is still ignored", "mallory", "User", &report.Publisher{}, false},
		{"without the App's login the Action's comment is still shared", report.ActionsLogin, "Bot", &report.Publisher{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			gh := newFake()
			gh.author = tt.firstBy
			changed := missingWrite()
			changed.Causes[0].Confidence = diagnose.ConfidenceMedium
			_, err := (&report.Publisher{GH: gh, BotLogin: tt.firstBy}).Publish(ctx, prTarget(), []diagnose.Diagnosis{changed}, report.Where{PullRequestComment: true})
			require.NoError(t, err)
			gh.comments[7][0].UserType = tt.firstType

			gh.author = "second[bot]"
			tt.second.GH = gh
			res, err := tt.second.Publish(ctx, prTarget(), []diagnose.Diagnosis{missingWrite()}, report.Where{PullRequestComment: true})
			require.NoError(t, err)
			comments := gh.allComments(7)
			if !tt.wantShared {
				assert.Len(t, comments, 2, "a comment of its own")
				assert.Equal(t, 1, res.Created)
				return
			}
			require.Len(t, comments, 1, "one comment between them")
			assert.Equal(t, 1, res.Updated)
			assert.Contains(t, comments[0].Body, "(confidence: high)", "edited to the new diagnosis")
		})
	}
}
