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

var located = []Located{
	{Repository: "acme/app", URL: "https://github.com/acme/app/blob/0123456789abcdef0123456789abcdef01234567/.github/workflows/release.yml#L8",
		Result: preflight.Result{File: ".github/workflows/release.yml", Job: "image", PublishesTo: []string{"ghcr.io"},
			Verdict: preflight.MissingPackagesWrite, Line: 8, Reason: "no packages: write", Fix: "Add packages: write."}},
	{Repository: "acme/evil", URL: "https://evil.example/x",
		Result: preflight.Result{File: ".github/workflows/r.yml", Job: "push", Verdict: preflight.Unknown, Reason: "hidden"}},
}

func TestLocatedRowsNameTheirRepositoryAndLine(t *testing.T) {
	outputs := map[string]string{}
	for _, f := range Formats {
		var b bytes.Buffer
		require.NoError(t, WriteLocated(&b, f, located, Options{WebURL: "https://github.com"}), f)
		outputs[f] = b.String()
	}

	var doc Report
	require.NoError(t, json.Unmarshal([]byte(outputs["json"]), &doc))
	require.Len(t, doc.Jobs, 2)
	assert.Equal(t, "acme/app", doc.Jobs[0].Repository)
	assert.Equal(t, located[0].URL, doc.Jobs[0].URL)

	rows, err := csv.NewReader(strings.NewReader(outputs["csv"])).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, append(append([]string(nil), CSVHeader...), "repository", "url"), rows[0])
	assert.Equal(t, []string{"acme/app", located[0].URL}, rows[1][len(CSVHeader):])

	assert.True(t, strings.HasPrefix(outputs["text"], "acme/app: .github/workflows/release.yml:8: image: missing_packages_write"), outputs["text"])

	md := strings.Split(strings.TrimSpace(outputs["markdown"]), "\n")
	require.Len(t, md, 4)
	assert.True(t, strings.HasPrefix(md[0], "| repository | file |"))
	assert.Contains(t, md[2], "| `acme/app` |")
	assert.Contains(t, md[2], "| [8]("+located[0].URL+") |", "the line links to the line")
	assert.Contains(t, md[3], "`https://evil.example/x`", "a link off the site shows as code")
	for _, l := range md[2:] {
		assert.Equal(t, 9, strings.Count(l, "|")-strings.Count(l, `\|`), "eight cells: %s", l)
	}
}

func TestLocalRowsKeepTheDocumentedColumns(t *testing.T) {
	var c, j bytes.Buffer
	require.NoError(t, WriteLocated(&c, "csv", Locate(results), Options{}))
	require.NoError(t, Write(&j, "json", results, Options{}))
	rows, err := csv.NewReader(&c).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, CSVHeader, rows[0])
	assert.NotContains(t, j.String(), `"repository"`)
	assert.NotContains(t, j.String(), `"url"`)
}
