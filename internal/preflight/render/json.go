package render

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// Job is one job of the JSON and CSV outputs.
type Job struct {
	File        string `json:"file"`
	Job         string `json:"job"`
	PublishesTo string `json:"publishes_to"`
	Verdict     string `json:"verdict"`
	Line        int    `json:"line"`
	Reason      string `json:"reason"`
	Fix         string `json:"fix"`
	// Repository ("owner/name") and URL (a link to the line) are set by the
	// organisation and repository audits.
	Repository string `json:"repository,omitempty"`
	URL        string `json:"url,omitempty"`
}

// Report is the JSON document.
type Report struct {
	Jobs []Job `json:"jobs"`
}

// NewReport converts results to the documented rows; Jobs is never nil.
func NewReport(results []preflight.Result) Report { return newReport(Locate(results)) }

func newReport(rows []Located) Report {
	rep := Report{Jobs: make([]Job, 0, len(rows))}
	for _, r := range rows {
		rep.Jobs = append(rep.Jobs, Job{File: r.File, Job: r.Job, PublishesTo: publishesTo(r.Result),
			Verdict: string(r.Verdict), Line: r.Line, Reason: r.Reason, Fix: r.Fix, Repository: r.Repository, URL: r.URL})
	}
	return rep
}

// JSON prints the one JSON document.
func JSON(w io.Writer, results []preflight.Result) error { return jsonDocument(w, Locate(results)) }

func jsonDocument(w io.Writer, rows []Located) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(newReport(rows)); err != nil {
		return fmt.Errorf("encoding the audit: %w", err)
	}
	return nil
}
