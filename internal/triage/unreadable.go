package triage

import (
	"context"
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// unreadableLogs is the report of a run whose readable logs show no GitHub
// Packages error while some failed job's log stayed unreadable through
// every try: the bot cannot tell whether a push failed, and says so rather
// than staying silent. Before the last try it returns nothing, since the
// job is tried again first.
func (d *Doctor) unreadableLogs(ctx context.Context, g *Gatherer, facts *diagnose.Facts, ev RunEvent) []diagnose.Diagnosis {
	if !ev.FinalAttempt {
		return nil
	}
	dg, ok := unreadableLogsDiagnosis(facts)
	if !ok {
		return nil
	}
	g.FindPullRequests(ctx, facts)
	return []diagnose.Diagnosis{dg}
}

// unreadableLogsDiagnosis is an undetermined diagnosis naming each failed
// job whose log could not be read, and why; false when every log was read.
func unreadableLogsDiagnosis(facts *diagnose.Facts) (diagnose.Diagnosis, bool) {
	var (
		names    []string
		evidence []string
		unknowns []diagnose.Unknown
		checks   []diagnose.Check
		links    []diagnose.Link
	)
	for _, j := range facts.Jobs {
		if j.Scan != nil {
			continue
		}
		what := fmt.Sprintf("log of job %q", j.Name)
		names = append(names, fmt.Sprintf("%q", j.Name))
		evidence = append(evidence, fmt.Sprintf("The %s could not be read: %s.", what, j.Err.Reason))
		unknowns = append(unknowns, diagnose.Unknown{What: what, Reason: j.Err.Reason, Permission: j.Err.Permission})
		checks = append(checks, diagnose.Check{Name: "The " + what + " was read", Status: diagnose.CheckUnknown, Detail: j.Err.Reason})
		if j.HTMLURL != "" {
			links = append(links, diagnose.Link{Text: fmt.Sprintf("Job %q", j.Name), URL: j.HTMLURL})
		}
	}
	if len(names) == 0 {
		return diagnose.Diagnosis{}, false
	}
	jobs := "The log of job " + names[0] + " could not be read"
	if len(names) > 1 {
		jobs = "The logs of jobs " + strings.Join(names, ", ") + " could not be read"
	}
	cause := diagnose.Cause{
		ID:         diagnose.CauseUndetermined,
		Summary:    jobs + ", so ghcr-doctor cannot tell whether a GitHub Packages push or login failed in this run.",
		Confidence: diagnose.ConfidenceLow,
		Evidence:   evidence,
		Fix: diagnose.Fix{
			Kind:    diagnose.FixManual,
			Summary: "Look for a GitHub Packages error in the job's log, or comment `/ghcr recheck` to diagnose the run again once GitHub serves the log.",
			Links:   links,
			Role:    "write",
		},
	}
	return diagnose.Diagnosis{Causes: []diagnose.Cause{cause}, Checks: checks, Unknowns: unknowns}, true
}
