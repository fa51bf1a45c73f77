package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// maxCell bounds the runes of one table cell.
const maxCell = 600

// Markdown prints a table, one row per job, every untrusted value through
// internal/markdown's escaping.
func Markdown(w io.Writer, results []preflight.Result) error {
	var b strings.Builder
	b.WriteString("| file | job | verdict | publishes to | line | reason | fix |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range results {
		line := " "
		if r.Line > 0 {
			line = fmt.Sprint(r.Line)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n",
			markdown.CodeCell(r.File, 200), markdown.CodeCell(r.Job, 200), markdown.CodeCell(string(r.Verdict), 40),
			markdown.TextCell(publishesTo(r), 200), line, markdown.TextCell(r.Reason, maxCell), markdown.TextCell(r.Fix, maxCell))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the audit: %w", err)
	}
	return nil
}
