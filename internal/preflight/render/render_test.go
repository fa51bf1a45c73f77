package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

var results = []preflight.Result{
	{File: ".github/workflows/a.yml", Job: "build", Verdict: preflight.NotPublishing, Reason: "Job build does not publish to GitHub Packages."},
	{File: ".github/workflows/a.yml", Job: "evil|<img src=x>@admin", PublishesTo: []string{"ghcr.io", "npm.pkg.github.com"},
		Verdict: preflight.MissingPackagesWrite, Line: 12, Reason: "=HYPERLINK(\"x\") [link](https://evil.example)", Fix: "Add packages: write."},
}

func TestJSONAndCSVCarryTheSameRows(t *testing.T) {
	var j, c bytes.Buffer
	require.NoError(t, Write(&j, "json", results, Options{}))
	require.NoError(t, Write(&c, "csv", results, Options{}))
	var doc Report
	require.NoError(t, json.Unmarshal(j.Bytes(), &doc))
	rows, err := csv.NewReader(&c).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, len(doc.Jobs)+1)
	assert.Equal(t, CSVHeader, rows[0])
	for i, job := range doc.Jobs {
		assert.Equal(t, job.Job, rows[i+1][1])
		assert.Equal(t, job.PublishesTo, rows[i+1][2])
	}
	assert.Equal(t, "none", doc.Jobs[0].PublishesTo)
	assert.Equal(t, "ghcr.io,npm.pkg.github.com", doc.Jobs[1].PublishesTo)
	assert.Equal(t, `'=HYPERLINK("x") [link](https://evil.example)`, rows[2][5], "a formula is defused")
}

func TestEmptyJSONHasAnArray(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, JSON(&b, nil))
	assert.JSONEq(t, `{"jobs":[]}`, b.String())
}

func TestMarkdownEscapesUntrustedText(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Markdown(&b, results))
	out := b.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4, "header, rule, one row per job")
	for _, l := range lines[2:] {
		assert.Equal(t, 8, strings.Count(l, "|")-strings.Count(l, `\|`), "seven cells: %s", l)
	}
	assert.Contains(t, out, "| `evil\\|<img src=x>@\u200badmin` |", "the job name is an inert code span, its mention broken")
	assert.NotContains(t, out, "](https://evil.example)", "no link from the reason")
	assert.Contains(t, out, `\[link\]`)
}

func TestTextIsOneLinePerJobAndCleaned(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Text(&b, results, Options{Clean: func(s string) string { return strings.ReplaceAll(s, "<", "?") }}))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	require.Len(t, lines, 2)
	assert.Equal(t, ".github/workflows/a.yml: build: not_publishing (none) Job build does not publish to GitHub Packages.", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], ".github/workflows/a.yml:12: evil|?img"), lines[1])
	assert.True(t, strings.HasSuffix(lines[1], "Fix: Add packages: write."), lines[1])
}

func TestUnknownFormat(t *testing.T) {
	assert.Error(t, Write(&bytes.Buffer{}, "xml", results, Options{}))
}
