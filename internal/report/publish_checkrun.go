package report

import (
	"context"
	"errors"
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

const statusCompleted = "completed"

// checkRunExternalID tells apart the check runs of two workflows on one commit.
func checkRunExternalID(t Target) string { return "wf:" + t.Run.Path }

// findCheckRun returns our check run for the workflow on the run's commit,
// or nil; it asks GitHub only when the ledger cannot rule one out.
func (p *Publisher) findCheckRun(ctx context.Context, t Target) (*CheckRun, error) {
	if !p.mayExist(ctx, ledgerCheckRun, checkRunKey(t)) {
		return nil, nil
	}
	runs, err := p.GH.ListCheckRuns(ctx, t.Repo.Owner, t.Repo.Name, t.Run.HeadSHA, CheckRunName)
	if err != nil {
		return nil, fmt.Errorf("listing check runs of %s: %w", t.Run.HeadSHA, err)
	}
	for i := range runs {
		if runs[i].Name == CheckRunName && runs[i].ExternalID == checkRunExternalID(t) {
			return &runs[i], nil
		}
	}
	return nil, nil
}

// publishCheckRun creates the check run, or updates ours when its content
// changed. Annotations go 50 per request; GitHub appends them on update, so
// an update re-sends them only when they changed.
func (p *Publisher) publishCheckRun(ctx context.Context, t Target, ds []diagnose.Diagnosis, res *PublishResult) error {
	if t.Run.HeadSHA == "" {
		return errors.New("writing check run: the run has no head commit")
	}
	rc := renderCheckRun(ds, t)
	existing, err := p.findCheckRun(ctx, t)
	if err != nil {
		return fmt.Errorf("writing check run: %w", err)
	}
	req := checkRunRequest(t, rc.output)
	annotations := rc.output.Annotations

	if existing == nil {
		if err := p.writing(ctx, ledgerCheckRun, checkRunKey(t)); err != nil {
			return fmt.Errorf("writing check run: %w", err)
		}
		first, rest := splitBatch(annotations)
		req.Output.Annotations = first
		id, err := p.GH.CreateCheckRun(ctx, t.Repo.Owner, t.Repo.Name, req)
		if err != nil {
			return fmt.Errorf("creating check run on %s: %w", t.Run.HeadSHA, err)
		}
		res.CheckRunID = id
		res.count(created)
		return p.appendAnnotations(ctx, t, id, rc.output, rest)
	}

	res.CheckRunID = existing.ID
	prev, ok := ParseMarker(existing.Summary)
	sameAnnotations := ok && prev.Annotations == rc.marker.Annotations
	if ok && prev.State == StateOpen && prev.Hash == rc.marker.Hash && sameAnnotations && existing.Conclusion == req.Conclusion {
		res.count(unchanged)
		return nil
	}
	var rest []diagnose.Annotation
	if !sameAnnotations {
		req.Output.Annotations, rest = splitBatch(annotations)
	}
	if err := p.GH.UpdateCheckRun(ctx, t.Repo.Owner, t.Repo.Name, existing.ID, req); err != nil {
		return fmt.Errorf("updating check run %d: %w", existing.ID, err)
	}
	res.count(updated)
	return p.appendAnnotations(ctx, t, existing.ID, rc.output, rest)
}

func checkRunRequest(t Target, out CheckRunOutput) CheckRunRequest {
	return CheckRunRequest{
		Name:       CheckRunName,
		HeadSHA:    t.Run.HeadSHA,
		ExternalID: checkRunExternalID(t),
		Status:     statusCompleted,
		Conclusion: conclusionFor(t, out.Conclusion),
		DetailsURL: t.Run.HTMLURL,
		Output:     &CheckRunRequestOutput{Title: out.Title, Summary: out.Summary, Text: out.Text},
		Actions:    out.Actions,
	}
}

// conclusionFor applies the repository's choice of conclusion to a
// diagnosed failure; other conclusions (success) are kept.
func conclusionFor(t Target, rendered string) string {
	if rendered == ConclusionAction {
		return t.conclusion()
	}
	return rendered
}

// appendAnnotations sends the remaining annotations in further updates. Each
// carries the check run's name: the adapter cannot leave the name out of an
// update, and GitHub refuses a blank one.
func (p *Publisher) appendAnnotations(ctx context.Context, t Target, id int64, out CheckRunOutput, rest []diagnose.Annotation) error {
	for len(rest) > 0 {
		var batch []diagnose.Annotation
		batch, rest = splitBatch(rest)
		req := CheckRunRequest{Name: CheckRunName, Output: &CheckRunRequestOutput{Title: out.Title, Summary: out.Summary, Text: out.Text, Annotations: batch}}
		if err := p.GH.UpdateCheckRun(ctx, t.Repo.Owner, t.Repo.Name, id, req); err != nil {
			return fmt.Errorf("adding annotations to check run %d: %w", id, err)
		}
	}
	return nil
}

func splitBatch(as []diagnose.Annotation) (batch, rest []diagnose.Annotation) {
	if len(as) <= maxAnnotationsPerRequest {
		return as, nil
	}
	return as[:maxAnnotationsPerRequest], as[maxAnnotationsPerRequest:]
}

// resolveCheckRun turns our check run for the workflow on this commit green.
func (p *Publisher) resolveCheckRun(ctx context.Context, t Target, res *PublishResult) error {
	if t.Run.HeadSHA == "" {
		return nil
	}
	existing, err := p.findCheckRun(ctx, t)
	if err != nil {
		return fmt.Errorf("resolving check run: %w", err)
	}
	if existing == nil {
		return nil
	}
	res.CheckRunID = existing.ID
	prev, ok := ParseMarker(existing.Summary)
	if existing.Conclusion == ConclusionSuccess || ok && prev.State == StateResolved {
		res.count(unchanged)
		return nil
	}
	rc := renderCheckRunResolved(t, prev)
	req := checkRunRequest(t, rc.output)
	req.Actions = []CheckRunAction{}
	if err := p.GH.UpdateCheckRun(ctx, t.Repo.Owner, t.Repo.Name, existing.ID, req); err != nil {
		return fmt.Errorf("resolving check run %d: %w", existing.ID, err)
	}
	res.count(updated)
	return nil
}
