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
// internal/markdown's escaping. Rows found in a repository get a
// repository column, and their line links to the line.
func Markdown(w io.Writer, results []preflight.Result) error {
	return markdownTable(w, Locate(results), Options{})
}

func markdownTable(w io.Writer, rows []Located, opts Options) error {
	located := anyLocated(rows)
	site := markdown.SiteOf(opts.WebURL)
	var b strings.Builder
	if located {
		b.WriteString("| repository ")
	}
	b.WriteString("| file | job | verdict | publishes to | line | reason | fix |\n")
	if located {
		b.WriteString("| --- ")
	}
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range rows {
		line := " "
		if r.Line > 0 {
			line = fmt.Sprint(r.Line)
		}
		if located {
			if r.URL != "" {
				line = strings.ReplaceAll(site.Link(orWord(line, "file"), r.URL), "|", `\|`)
			}
			fmt.Fprintf(&b, "| %s ", markdown.CodeCell(r.Repository, 200))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n",
			markdown.CodeCell(r.File, 200), markdown.CodeCell(r.Job, 200), markdown.CodeCell(string(r.Verdict), 40),
			markdown.TextCell(publishesTo(r.Result), 200), line, markdown.TextCell(r.Reason, maxCell), markdown.TextCell(r.Fix, maxCell))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the audit: %w", err)
	}
	return nil
}

func orWord(s, fallback string) string {
	if s == " " || s == "" {
		return fallback
	}
	return s
}
