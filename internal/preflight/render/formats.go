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
}

// Write prints results in the named format.
func Write(w io.Writer, format string, results []preflight.Result, opts Options) error {
	switch format {
	case "text":
		return Text(w, results, opts)
	case "markdown":
		return Markdown(w, results)
	case "json":
		return JSON(w, results)
	case "csv":
		return CSV(w, results)
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
