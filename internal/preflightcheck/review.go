package preflightcheck

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// markerPrefix starts the hidden first line of every preflight review
// comment; the key names the workflow file and job it is about.
const markerPrefix = "<!-- ghcr-doctor:preflight key="

// commentKey is a short hash of a workflow file and job: the comment's identity.
func commentKey(file, job string) string {
	sum := sha256.Sum256([]byte(file + "\x00" + job))
	return hex.EncodeToString(sum[:8])
}

func marker(key string) string { return markerPrefix + key + " -->" }

// keyOf returns the key of a body's marker, or "".
func keyOf(body string) string {
	rest, ok := strings.CutPrefix(body, markerPrefix)
	if !ok {
		return ""
	}
	key, _, ok := strings.Cut(rest, " -->")
	if !ok {
		return ""
	}
	return key
}

// wantedComment is a review comment the head of the pull request should have.
type wantedComment struct {
	NewReviewComment
	key string
}

// suggestions decides, for each finding, whether its fix can be a review
// comment: a missing packages: write with the editor's change, whose lines
// GitHub can show verbatim and lie in one hunk of the pull request's diff.
// It marks each finding's Suggestion and returns the comments to have.
func suggestions(findings []JobResult, sources map[string][]byte, patches map[string]string) []wantedComment {
	var out []wantedComment
	for i := range findings {
		f := &findings[i]
		if f.Verdict != preflight.MissingPackagesWrite || f.Edit == nil || !f.Edit.Changed {
			continue
		}
		c, ok := changeOf(sources[f.File], f.Edit.Out)
		if !ok {
			continue
		}
		block, err := markdown.Suggestion(c.Lines)
		if err != nil {
			continue // the annotation and the summary show the fix
		}
		patch, changed := patches[f.File]
		if !changed || !inOneHunk(patch, c.First(), c.Line) {
			f.Suggestion = OutsideDiff
			continue
		}
		f.Suggestion = Suggested
		key := commentKey(f.File, f.Job)
		out = append(out, wantedComment{key: key, NewReviewComment: NewReviewComment{
			Path: f.File, StartLine: c.StartLine, Line: c.Line, Body: commentBody(key, f.Result, block),
		}})
	}
	return out
}

func commentBody(key string, r preflight.Result, block string) string {
	var b strings.Builder
	b.WriteString(marker(key) + "\n")
	fmt.Fprintf(&b, "**ghcr-doctor preflight:** job %s would be refused by GitHub Packages.", markdown.Code(r.Job, maxNameRunes))
	if r.Reason != "" {
		b.WriteString(" " + markdown.Text(r.Reason, maxReasonRune))
	}
	b.WriteString("\n\nThe smallest change that fixes it (the one `/ghcr fix` would make):\n\n")
	b.WriteString(block)
	return b.String()
}

// reviewResult counts what syncing the review did.
type reviewResult struct {
	Created, Updated, Unchanged, Deleted int
	// Refused is set when GitHub refused the new comments.
	Refused bool
}

// own reports whether a review comment is one of the bot's preflight comments.
func (c *Checker) own(cm ReviewComment) bool {
	return keyOf(cm.Body) != "" && (c.BotLogin == "" || strings.EqualFold(cm.UserLogin, c.BotLogin))
}

// syncReview makes the pull request's preflight review comments the
// wanted ones: a comment still on the same lines is edited in place (or
// left alone when unchanged); one whose problem is gone, or whose lines
// moved or changed, is deleted; the comments left to post go in one review
// (event COMMENT). Only the bot's own comments are touched.
func (c *Checker) syncReview(ctx context.Context, gh GitHub, ev Event, want []wantedComment) (reviewResult, error) {
	var res reviewResult
	owner, repo := ev.Repo.Owner, ev.Repo.Name
	existing, err := gh.ListReviewComments(ctx, owner, repo, ev.Pull)
	if err != nil {
		return res, fmt.Errorf("listing review comments of pull request %d: %w", ev.Pull, err)
	}
	byKey := map[string]*wantedComment{}
	for i := range want {
		byKey[want[i].key] = &want[i]
	}
	kept := map[string]bool{}
	for _, ex := range existing {
		if !c.own(ex) {
			continue
		}
		key := keyOf(ex.Body)
		w, ok := byKey[key]
		if ok && !kept[key] && ex.Path == w.Path && ex.Line == w.Line && ex.StartLine == w.StartLine {
			kept[key] = true
			if ex.Body == w.Body {
				res.Unchanged++
				continue
			}
			if err := gh.EditReviewComment(ctx, owner, repo, ex.ID, w.Body); err != nil {
				return res, fmt.Errorf("editing review comment %d: %w", ex.ID, err)
			}
			res.Updated++
			continue
		}
		if err := gh.DeleteReviewComment(ctx, owner, repo, ex.ID); err != nil && !gherr.IsNotFound(err) {
			return res, fmt.Errorf("deleting review comment %d: %w", ex.ID, err)
		}
		res.Deleted++
	}
	var post []NewReviewComment
	for _, w := range want {
		if !kept[w.key] {
			post = append(post, w.NewReviewComment)
		}
	}
	if len(post) == 0 {
		return res, nil
	}
	body := "ghcr-doctor preflight: publishing jobs in this pull request would be refused by GitHub Packages. Each comment suggests the fix; see the `" + CheckRunName + "` check for every job."
	if err := gh.CreateReview(ctx, owner, repo, ev.Pull, ev.HeadSHA, body, post); err != nil {
		if gherr.IsTransient(err) {
			return res, fmt.Errorf("posting the review: %w", err)
		}
		// A refused review (the pull request moved on, or GitHub places the
		// lines otherwise) leaves the annotations to show the fix.
		zerolog.Ctx(ctx).Warn().Err(err).Int("comments", len(post)).Msg("GitHub refused the preflight review; the check run's annotations show the fix.")
		res.Refused = true
		return res, nil
	}
	res.Created += len(post)
	return res, nil
}
