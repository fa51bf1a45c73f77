package render

import (
	"fmt"
	"io"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// Text prints one line per job:
//
//	FILE:LINE: JOB: VERDICT (HOSTS) REASON Fix: FIX
//
// LINE is left out when no line decides the verdict, the fix when there is none.
// A result found in a repository starts with it: "OWNER/NAME: FILE:LINE: …".
func Text(w io.Writer, results []preflight.Result, opts Options) error {
	return text(w, Locate(results), opts)
}

func text(w io.Writer, rows []Located, opts Options) error {
	clean := opts.Clean
	if clean == nil {
		clean = func(s string) string { return s }
	}
	for _, r := range rows {
		where := clean(r.File)
		if r.Repository != "" {
			where = clean(r.Repository) + ": " + where
		}
		if r.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, r.Line)
		}
		line := fmt.Sprintf("%s: %s: %s (%s) %s", where, clean(r.Job), r.Verdict, publishesTo(r.Result), clean(r.Reason))
		if r.Fix != "" && r.Verdict != preflight.OK && r.Verdict != preflight.NotPublishing {
			line += " Fix: " + clean(r.Fix)
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return fmt.Errorf("writing the audit: %w", err)
		}
	}
	return nil
}
