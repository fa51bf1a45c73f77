package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

// maxListedPerInput bounds the findings listed for one input (a log or a
// whole archive); the rest are counted and said to be left out. Findings
// are written as they are found, so nothing accumulates across an archive.
const maxListedPerInput = 10000

// findingWriter writes findings as they come: text blocks, or the one
// JSON document, streamed.
type findingWriter interface {
	write(f scan.Finding) error
	close() error
}

func newFindingWriter(w io.Writer, asJSON bool) findingWriter {
	if asJSON {
		return &jsonFindings{w: w}
	}
	return textFindings{w: w}
}

type textFindings struct{ w io.Writer }

func (t textFindings) write(f scan.Finding) error { return printFinding(t.w, f) }
func (t textFindings) close() error               { return nil }

// scanReport is the documented --json document; jsonFindings writes it
// one finding at a time.
type scanReport struct {
	Findings []scan.Finding `json:"findings"`
}

// jsonFindings streams scanReport as json.Encoder with a two-space indent
// would write it whole.
type jsonFindings struct {
	w io.Writer
	n int
}

func (j *jsonFindings) write(f scan.Finding) error {
	b, err := json.MarshalIndent(f, "    ", "  ")
	if err != nil {
		return fmt.Errorf("encoding a finding: %w", err)
	}
	sep := ",\n    "
	if j.n == 0 {
		sep = "{\n  \"findings\": [\n    "
	}
	j.n++
	if _, err := io.WriteString(j.w, sep); err != nil {
		return err
	}
	_, err = j.w.Write(b)
	return err
}

func (j *jsonFindings) close() error {
	end := "\n  ]\n}\n"
	if j.n == 0 {
		end = "{\n  \"findings\": []\n}\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// printFinding writes one finding as a text block, every part of it made
// safe for a terminal.
func printFinding(w io.Writer, f scan.Finding) error {
	target := f.Registry
	if f.Owner != "" {
		target += "/" + f.Owner
		if f.Package != "" {
			target += "/" + f.Package
		}
	}
	step := ""
	if f.Step != "" {
		step = fmt.Sprintf(", step %q", f.Step)
	}
	_, err := fmt.Fprintf(w, "%s:%d: %s %s (%s%s)\n    %s\n", terminalSafe(f.File), f.Line, terminalSafe(string(f.Kind)),
		terminalSafe(target), terminalSafe(f.Tool), terminalSafe(step), terminalSafe(strings.ReplaceAll(f.Text, "\n", " ")))
	return err
}
