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
func Text(w io.Writer, results []preflight.Result, opts Options) error {
	clean := opts.Clean
	if clean == nil {
		clean = func(s string) string { return s }
	}
	for _, r := range results {
		where := clean(r.File)
		if r.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, r.Line)
		}
		line := fmt.Sprintf("%s: %s: %s (%s) %s", where, clean(r.Job), r.Verdict, publishesTo(r), clean(r.Reason))
		if r.Fix != "" && r.Verdict != preflight.OK && r.Verdict != preflight.NotPublishing {
			line += " Fix: " + clean(r.Fix)
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return fmt.Errorf("writing the audit: %w", err)
		}
	}
	return nil
}
