package action

import (
	"context"
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// comment writes the App's report as the comment of each pull request of
// the run, through the App's own publisher: it finds the comment again by
// its hidden marker, whether the App or the Action wrote it, edits it
// when the diagnosis changed and writes nothing when it did not. Marked
// comments count as ours when a bot wrote them (github-actions[bot], the
// App, an App token) or the token's own person; someone else's comment
// with a copied marker is never taken over. A run without a pull request
// gets no comment (the App would open a tracking issue; the Action does
// not).
func (r *Runner) comment(ctx context.Context, f Findings) ([]int64, error) {
	if len(f.Diagnoses) == 0 {
		return nil, nil
	}
	if len(f.Target.Run.PullRequests) == 0 {
		fmt.Fprintln(r.Log, "ghcr-doctor: the run has no pull request to comment on.")
		return nil, nil
	}
	self := r.Self
	pub := &report.Publisher{GH: r.GH, Accept: func(c report.Comment) bool {
		return strings.EqualFold(c.UserType, "Bot") || (self != "" && strings.EqualFold(c.UserLogin, self))
	}}
	res, err := pub.Publish(ctx, f.Target, f.Diagnoses, report.Where{PullRequestComment: true})
	if err != nil {
		return res.Comments, explainComment(err, f.Target.Repo, f.Target.Run)
	}
	fmt.Fprintf(r.Log, "ghcr-doctor: pull-request comment: %d written, %d edited, %d unchanged.\n", res.Created, res.Updated, res.Unchanged)
	return res.Comments, nil
}
