package action

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

const wf = ".github/workflows/release.yml"

func diagnosis(pkg string, marks ...diagnose.Annotation) diagnose.Diagnosis {
	return diagnose.Diagnosis{
		Package:  diagnose.PackageRef{Registry: "ghcr.io", Owner: "acme", Name: pkg},
		Findings: []scan.Finding{{File: "build", Kind: scan.KindWriteDenied}},
		Causes: []diagnose.Cause{{ID: diagnose.CauseMissingPackagesWrite, Summary: "No `packages: write`.",
			Fix: diagnose.Fix{Summary: "Add `packages: write`."}}},
		Annotations: marks,
	}
}

func TestAnnotations(t *testing.T) {
	target := report.Target{Run: diagnose.Run{Path: wf}}
	const msg = "No `packages: write`.\nFix: Add `packages: write`."
	tests := []struct {
		name   string
		ds     []diagnose.Diagnosis
		target report.Target
		want   []Annotation
	}{
		{"the error goes on the failing line; the other marks keep their level",
			[]diagnose.Diagnosis{diagnosis("app",
				diagnose.Annotation{Path: "./" + wf, Line: 22, Level: "notice", Title: "image ghcr.io/acme/app", Message: "m1"},
				diagnose.Annotation{Line: 9, Level: "failure", Title: "permissions: without packages: write", Message: "m2"})},
			target,
			[]Annotation{
				{Level: "error", File: wf, Line: 9, Title: "ghcr-doctor: cannot push ghcr.io/acme/app", Message: msg},
				{Level: "notice", File: wf, Line: 22, Title: "image ghcr.io/acme/app", Message: "m1"},
			}},
		{"without a failing line, on the first marked line",
			[]diagnose.Diagnosis{diagnosis("app", diagnose.Annotation{Path: wf, Line: 22, Level: "notice", Title: "image"})},
			target,
			[]Annotation{{Level: "error", File: wf, Line: 22, Title: "ghcr-doctor: cannot push ghcr.io/acme/app", Message: msg}}},
		{"without marks, on the workflow file",
			[]diagnose.Diagnosis{diagnosis("app")}, target,
			[]Annotation{{Level: "error", File: wf, Title: "ghcr-doctor: cannot push ghcr.io/acme/app", Message: msg}}},
		{"without a workflow file, on the run",
			[]diagnose.Diagnosis{diagnosis("app")}, report.Target{},
			[]Annotation{{Level: "error", Title: "ghcr-doctor: cannot push ghcr.io/acme/app", Message: msg}}},
		{"a log that could not be read is a warning",
			[]diagnose.Diagnosis{{Causes: []diagnose.Cause{{ID: diagnose.CauseUndetermined, Summary: "The log of job \"build\" could not be read."}}}},
			target,
			[]Annotation{{Level: "warning", File: wf, Title: "ghcr-doctor", Message: "The log of job \"build\" could not be read."}}},
		{"one error per package",
			[]diagnose.Diagnosis{diagnosis("api"), diagnosis("web")}, target,
			[]Annotation{
				{Level: "error", File: wf, Title: "ghcr-doctor: cannot push ghcr.io/acme/api", Message: msg},
				{Level: "error", File: wf, Title: "ghcr-doctor: cannot push ghcr.io/acme/web", Message: msg},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Annotations(tt.ds, tt.target))
		})
	}
}

func TestAnnotationsOfUntrustedTextStayOnOneCommandLine(t *testing.T) {
	d := diagnosis("app", diagnose.Annotation{Path: wf, Line: 3, Level: "warning", Title: "a"},
		diagnose.Annotation{Path: wf, Line: 4, Level: "warning", Title: "x\n::add-mask::y @octocat",
			Message: "token ghp_0123456789abcdefghijklmnopqrstuvwxyz\r\n::stop-commands::z"})
	d.Causes[0].Summary = "refused\n::error::forged"
	got := Annotations([]diagnose.Diagnosis{d}, report.Target{Run: diagnose.Run{Path: wf}})
	require.Len(t, got, 2)
	w := got[1]
	assert.Equal(t, "x ::add-mask::y @\u200boctocat", w.Title)
	assert.Equal(t, "token *** ::stop-commands::z", w.Message)
	for _, a := range got {
		line := a.Command()
		assert.NotContains(t, line, "\n")
		assert.NotContains(t, line, "\r")
		assert.True(t, strings.HasPrefix(line, "::"+a.Level+" file="), "one command, starting the line: %s", line)
	}
	assert.Equal(t, "refused ::error::forged\nFix: Add `packages: write`.", got[0].Message)
}

func TestAnnotationsAtMostTenPerLevel(t *testing.T) {
	var ds []diagnose.Diagnosis
	for i := range 15 {
		ds = append(ds, diagnosis(fmt.Sprintf("p%d", i), diagnose.Annotation{Path: wf, Line: i + 1, Level: "notice", Title: "n"},
			diagnose.Annotation{Path: wf, Line: i + 100, Level: "notice", Title: "n"}))
	}
	count := map[string]int{}
	for _, a := range Annotations(ds, report.Target{}) {
		count[a.Level]++
	}
	assert.Equal(t, map[string]int{"error": 10, "notice": 10}, count)
}
