package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ts = "2026-05-12T15:27:19.9454740Z "

// failingPushLog is a job log with one ghcr.io write denial printed twice
// (raw BuildKit output, then the action's ##[error] summary).
var failingPushLog = "\xef\xbb\xbf" + ts + "Current runner version: '2.334.0'\n" +
	ts + "##[group]GITHUB_TOKEN Permissions\n" +
	ts + "Contents: read\n" +
	ts + "Packages: read\n" +
	ts + "##[endgroup]\n" +
	ts + "##[group]Run docker/build-push-action@v6\n" +
	ts + "with:\n" +
	ts + "  tags: ghcr.io/acme/widget:1.0\n" +
	ts + "##[endgroup]\n" +
	ts + "#13 ERROR: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package\n" +
	ts + "##[error]buildx failed with: ERROR: failed to build: failed to solve: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package\n"

// pushStepLog is the same step alone, as a per-step file of an archive.
var pushStepLog = ts + "##[group]Run docker/build-push-action@v6\n" +
	ts + "##[endgroup]\n" +
	ts + "#13 ERROR: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package\n"

var cleanLog = ts + "##[group]Run go test ./...\n" + ts + "##[endgroup]\n" + ts + "ok  \tgithub.com/acme/widget\t0.1s\n"

type result struct {
	code           int
	stdout, stderr string
}

func runBot(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, data, 0o600))
	return p
}

func zipOf(t *testing.T, members ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		w, err := zw.Create(m[0])
		require.NoError(t, err)
		_, err = w.Write([]byte(m[1]))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestScanTextOutput(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "job.txt", []byte(failingPushLog))
	r := runBot(t, "", "scan", path)
	assert.Equal(t, 1, r.code)
	assert.Equal(t, path+":10: write_denied ghcr.io/acme/widget (buildx, step \"Run docker/build-push-action@v6\")\n"+
		"    #13 ERROR: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package\n", r.stdout)
	assert.Equal(t, "1 GitHub Packages permission error in 1 log\n", r.stderr)
}

func TestScanJSONOutput(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "job.txt", []byte(failingPushLog))
	r := runBot(t, "", "scan", "--json", path)
	require.Equal(t, 1, r.code, r.stderr)

	var doc map[string][]map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.Equal(t, map[string][]map[string]any{"findings": {{
		"file":          path,
		"kind":          "write_denied",
		"registry":      "ghcr.io",
		"registry_from": "line",
		"owner":         "acme",
		"package":       "widget",
		"tool":          "buildx",
		"step":          "Run docker/build-push-action@v6",
		"line":          float64(10),
		"text":          "#13 ERROR: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package",
	}}}, doc)

	clean := writeFile(t, dir, "clean.txt", []byte(cleanLog))
	r = runBot(t, "", "scan", "--json", clean)
	assert.Equal(t, 0, r.code)
	assert.JSONEq(t, `{"findings": []}`, r.stdout)
	assert.Equal(t, "no GitHub Packages permission errors found in 1 log\n", r.stderr)
}

func TestScanExitCodes(t *testing.T) {
	dir := t.TempDir()
	clean := writeFile(t, dir, "clean.txt", []byte(cleanLog))
	failing := writeFile(t, dir, "failing.txt", []byte(failingPushLog))
	corrupt := writeFile(t, dir, "corrupt.zip", []byte("PK\x03\x04 not a zip"))
	cases := []struct {
		name       string
		args       []string
		code       int
		stderrHas  string
		stdoutHave string
	}{
		{"clean", []string{"scan", clean}, 0, "no GitHub Packages permission errors", ""},
		{"findings", []string{"scan", failing}, 1, "1 GitHub Packages permission error in 1 log", "write_denied"},
		{"bad flag", []string{"scan", "--no-such-flag", clean}, 2, "unknown flag", ""},
		{"no file reads standard input", []string{"scan"}, 0, "no GitHub Packages permission errors", ""},
		{"unreadable file", []string{"scan", filepath.Join(dir, "missing.txt")}, 2, "missing.txt", ""},
		{"corrupt zip", []string{"scan", corrupt}, 2, "zip", ""},
		{"error wins over findings", []string{"scan", failing, filepath.Join(dir, "missing.txt")}, 2, "1 of 2 inputs could not be scanned", "write_denied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runBot(t, "", tc.args...)
			assert.Equal(t, tc.code, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.stderrHas)
			assert.Contains(t, r.stdout, tc.stdoutHave)
		})
	}
}

func TestScanUnreadableFileMessage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.txt")
	r := runBot(t, "", "scan", missing)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "error: "+missing+": opening log: open "+missing+": no such file or directory\n")
}

func TestScanZipArchive(t *testing.T) {
	dir := t.TempDir()
	archive := writeFile(t, dir, "logs.zip", zipOf(t,
		[2]string{"0_build.txt", failingPushLog},
		[2]string{"build/1_Set up job.txt", ts + "Current runner version: '2.334.0'\n"},
		[2]string{"build/3_Build and push.txt", pushStepLog},
		[2]string{"release/2_Push.txt", pushStepLog},
		[2]string{"release/5_Test.txt", cleanLog},
	))
	r := runBot(t, "", "scan", "--json", archive)
	require.Equal(t, 1, r.code, r.stderr)
	var doc scanReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	var files []string
	for _, f := range doc.Findings {
		files = append(files, f.File)
	}
	assert.Equal(t, []string{archive + "!0_build.txt", archive + "!release/2_Push.txt"}, files,
		"the job-level file stands for its steps; a job with only step files is read from them")
	assert.Equal(t, "2 GitHub Packages permission errors in 3 logs\n", r.stderr)
}

func TestScanStdinAndSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	clean := writeFile(t, dir, "clean.txt", []byte(cleanLog))
	failing := writeFile(t, dir, "failing.txt", []byte(failingPushLog))

	r := runBot(t, failingPushLog, "scan", "-")
	assert.Equal(t, 1, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "<stdin>:10: write_denied ghcr.io/acme/widget"), r.stdout)

	r = runBot(t, failingPushLog, "scan")
	assert.Equal(t, 1, r.code, "no file is standard input, as the usage says")
	assert.True(t, strings.HasPrefix(r.stdout, "<stdin>:10: write_denied ghcr.io/acme/widget"), r.stdout)

	r = runBot(t, string(zipOf(t, [2]string{"0_build.txt", failingPushLog})), "scan", "-")
	assert.Equal(t, 1, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "<stdin>!0_build.txt:10: write_denied"), r.stdout)

	r = runBot(t, "", "scan", clean, failing, failing)
	assert.Equal(t, 1, r.code)
	assert.Equal(t, 2, strings.Count(r.stdout, failing+":10: write_denied"), "the same error in two files counts twice")
	assert.Equal(t, "2 GitHub Packages permission errors in 3 logs\n", r.stderr)
}

func TestScanHelpDocumentsJSON(t *testing.T) {
	r := runBot(t, "", "scan", "--help")
	assert.Equal(t, 0, r.code)
	for _, field := range []string{`"findings"`, `"file"`, `"kind"`, `"registry"`, `"owner"`, `"package"`, `"tool"`, `"step"`, `"line"`, `"text"`, "Exit status"} {
		assert.Contains(t, r.stdout, field)
	}
}
