package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// Formats are the names Write accepts.
var Formats = []string{"text", "markdown", "json", "csv"}

// Options tune the output.
type Options struct {
	// Clean makes untrusted text (file and job names, reasons that quote the
	// workflow) safe for where text output goes, a terminal most often; nil
	// keeps it as it is. Markdown, JSON and CSV have their own escaping.
	Clean func(string) string
	// WebURL is the GitHub that the Markdown's links may go to
	// ("https://github.com" when empty); other addresses show as code.
	WebURL string
}

// Write prints results in the named format.
func Write(w io.Writer, format string, results []preflight.Result, opts Options) error {
	return write(w, format, Locate(results), opts)
}

func write(w io.Writer, format string, rows []Located, opts Options) error {
	switch format {
	case "text":
		return text(w, rows, opts)
	case "markdown":
		return markdownTable(w, rows, opts)
	case "json":
		return jsonDocument(w, rows)
	case "csv":
		return csvRows(w, rows)
	}
	return fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// publishesTo is the publishes_to field: the hosts, or "none".
func publishesTo(r preflight.Result) string {
	if len(r.PublishesTo) == 0 {
		return "none"
	}
	return strings.Join(r.PublishesTo, ",")
}
