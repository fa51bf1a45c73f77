package audit

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// Finding is the verdict on one job, with the repository and commit it was read at.
type Finding struct {
	// Repository is "owner/name".
	Repository string `json:"repository"`
	// Commit is the default branch's head the file was read at.
	Commit string `json:"commit"`
	// URL links to the line that decides the verdict (or the file).
	URL string `json:"url"`
	preflight.Result
}

// RepoOutcome says what the audit did with one repository.
type RepoOutcome struct {
	Repository string `json:"repository"`
	// Workflows counts the workflow files read.
	Workflows int `json:"workflows"`
	// Skipped says why the repository was not read ("archived", "fork").
	Skipped string `json:"skipped,omitempty"`
	// Error says what failed while reading it.
	Error string `json:"error,omitempty"`
}

// Report is an audit's outcome.
type Report struct {
	// Scope names what was audited ("organisation acme", "acme/app").
	Scope string `json:"scope"`
	// Findings are the jobs that publish, or may: every verdict but not_publishing.
	Findings []Finding     `json:"findings"`
	Repos    []RepoOutcome `json:"repositories"`
	// Reads counts the calls made through the Source.
	Reads int `json:"reads"`
}

// AtRisk are the findings whose verdict means the job would be refused.
func (r Report) AtRisk() []Finding {
	return r.filter(func(v preflight.Verdict) bool { return v.AtRisk() })
}

// Unknown are the findings that could not be decided.
func (r Report) Unknown() []Finding {
	return r.filter(func(v preflight.Verdict) bool { return v == preflight.Unknown })
}

// Results are the findings as preflight results, in the same order.
func (r Report) Results() []preflight.Result {
	out := make([]preflight.Result, len(r.Findings))
	for i, f := range r.Findings {
		out[i] = f.Result
	}
	return out
}

func (r Report) filter(keep func(preflight.Verdict) bool) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if keep(f.Verdict) {
			out = append(out, f)
		}
	}
	return out
}

// Failed lists the repositories that could not be read, with why.
func (r Report) Failed() []RepoOutcome {
	var out []RepoOutcome
	for _, o := range r.Repos {
		if o.Error != "" {
			out = append(out, o)
		}
	}
	return out
}

// lineURL links to a line of a file at a commit on GitHub's web site.
func lineURL(webURL, repository, commit, path string, line int) string {
	u := fmt.Sprintf("%s/%s/blob/%s/%s", strings.TrimSuffix(webURL, "/"), repository, commit, escapePath(path))
	if line > 0 {
		u += fmt.Sprintf("#L%d", line)
	}
	return u
}

// escapePath escapes each segment of a path for a URL.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}
