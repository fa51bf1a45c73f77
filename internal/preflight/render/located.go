package render

import (
	"io"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// Located is a result with where it was found: the repository
// ("owner/name") and a link to the line that decides it, as the
// organisation and repository audits report them; both are empty for
// local files.
type Located struct {
	Repository string
	URL        string
	preflight.Result
}

// Locate wraps results that belong to no repository.
func Locate(results []preflight.Result) []Located {
	out := make([]Located, len(results))
	for i, r := range results {
		out[i] = Located{Result: r}
	}
	return out
}

// anyLocated reports whether a row names its repository: the outputs then
// gain a repository column (and the JSON and CSV a url).
func anyLocated(rows []Located) bool {
	for _, r := range rows {
		if r.Repository != "" || r.URL != "" {
			return true
		}
	}
	return false
}

// WriteLocated prints located results in the named format: Write's
// outputs, each row with its repository and link when they are known.
func WriteLocated(w io.Writer, format string, rows []Located, opts Options) error {
	return write(w, format, rows, opts)
}
