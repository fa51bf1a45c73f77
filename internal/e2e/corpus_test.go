package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

// corpusEnv names a directory of labelled CI log excerpts that overrides
// the default, ../shared/corpus next to the module's root.
const corpusEnv = "GHCR_DOCTOR_CORPUS"

// corpusEntry is one labelled excerpt of labels.json.
type corpusEntry struct {
	File string `json:"file"`
	// Expected is "negative" or the label of a positive.
	Expected string `json:"expected"`
}

// corpusBatch is how many runs are delivered before waiting for the bot
// to finish them.
const corpusBatch = 20

// TestCorpusExcerptsMakeAtMostOneComment runs every excerpt of the corpus
// of real CI log excerpts through the real server, each embedded in the
// log of a failed run of its own pull request. Whatever the scanner
// detects, a run it finds something in gets exactly one comment and a run
// it finds nothing in gets none; a negative excerpt gets none.
func TestCorpusExcerptsMakeAtMostOneComment(t *testing.T) {
	dir := corpusDir(t)
	entries := readCorpusLabels(t, dir)
	// Hundreds of runs of one installation in a few minutes: GitHub's
	// limits on content creation would spread them over hours, so the
	// simulated GitHub and the bot's pacing are lifted for this one.
	e := newEnvWith(t, allPermissions, func(c *config.Config) { c.Worker.WritesPerMinute = -1 })
	e.fake.SetWriteLimits(-1, -1)

	runs := make([]corpusRun, len(entries))
	for i, entry := range entries {
		excerpt, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(entry.File)))
		require.NoError(t, err)
		runs[i] = corpusRun{entry: entry, id: int64(80001 + i), pr: 1001 + i, log: corpusJobLog(string(excerpt))}
		scan, err := scan.ScanLog(strings.NewReader(runs[i].log))
		require.NoError(t, err, "scanning %s", entry.File)
		runs[i].findings = len(scan.Findings)
	}
	for start := 0; start < len(runs); start += corpusBatch {
		for _, run := range runs[start:min(start+corpusBatch, len(runs))] {
			res, err := e.fake.Deliver(context.Background(), "workflow_run", e.addCorpusRun(run))
			require.NoError(t, err)
			require.Equal(t, 202, res.StatusCode, string(res.Body))
		}
		require.NoError(t, e.srv.WaitIdle())
	}

	detected := 0
	for _, run := range runs {
		t.Run(run.entry.File, func(t *testing.T) {
			comments := e.fake.Comments(org, repoName, run.pr)
			if run.entry.Expected == "negative" {
				assert.Empty(t, comments, "a negative excerpt gets no comment (the scanner found %d)", run.findings)
			}
			if run.findings == 0 {
				assert.Empty(t, comments, "nothing found, nothing posted")
				return
			}
			detected++
			assert.Len(t, comments, 1, "exactly one comment for %d findings", run.findings)
		})
	}
	t.Logf("%d of %d excerpts detected", detected, len(runs))
}

// corpusRun is one excerpt's run.
type corpusRun struct {
	entry    corpusEntry
	id       int64
	pr       int
	log      string
	findings int
}

// addCorpusRun stores a failed pull-request run whose one job's log is the
// excerpt's, on a commit of its own, and returns its workflow_run event.
func (e *env) addCorpusRun(run corpusRun) []byte {
	e.t.Helper()
	sha := fmt.Sprintf("%040x", run.id)
	branch := fmt.Sprintf("corpus-%d", run.pr)
	e.fake.SetFile(org, repoName, sha, workflowPath, []byte(wfSeed))
	e.fake.AddPull(org, repoName, githubfake.Pull{Number: run.pr, Title: "Change", HeadSHA: sha, HeadRef: branch, BaseRef: "main", User: "octocat"})
	e.fake.AddRun(org, repoName, githubfake.Run{ID: run.id, Attempt: 1, Name: "Release", Path: workflowPath, HeadSHA: sha,
		HeadBranch: branch, Event: "pull_request", Conclusion: "failure", Actor: "octocat", PullRequests: []int{run.pr}, WorkflowID: 55})
	e.fake.AddJob(org, repoName, run.id, githubfake.Job{ID: run.id * 10, RunAttempt: 1, Name: "build", Conclusion: "failure", Log: []byte(run.log)})
	return e.fake.WorkflowRunEvent("completed", org, repoName, run.id)
}

var actionsTimestamp = regexp.MustCompile(`^\x{feff}?[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z `)

// corpusJobLog embeds an excerpt in a job log as GitHub writes it: the set
// up of the job, a checkout, then a shell step whose output the excerpt
// is, each line with its timestamp (excerpts copied from a raw log keep
// their own), and the step's failure.
func corpusJobLog(excerpt string) string {
	var b strings.Builder
	ts := time.Date(2026, 5, 12, 15, 27, 0, 0, time.UTC)
	n := 0
	line := func(s string) {
		n++
		if actionsTimestamp.MatchString(s) {
			b.WriteString(s + "\n")
			return
		}
		fmt.Fprintf(&b, "%s %s\n", ts.Add(time.Duration(n)*17*time.Millisecond).Format("2006-01-02T15:04:05.0000000Z"), s)
	}
	b.WriteString("\ufeff")
	for _, l := range []string{
		"Current runner version: '2.331.0'",
		"##[group]Operating System", "Ubuntu", "24.04.3", "LTS", "##[endgroup]",
		"##[group]GITHUB_TOKEN Permissions", "Contents: read", "Metadata: read", "Packages: write", "##[endgroup]",
		"Secret source: Actions",
		"Complete job name: build",
		"##[group]Run actions/checkout@v4", "with:", "  repository: acme/app", "  token: ***", "##[endgroup]",
		"Syncing repository: acme/app",
		"##[group]Run ./ci/publish.sh", "./ci/publish.sh", "shell: /usr/bin/bash -e {0}", "##[endgroup]",
	} {
		line(l)
	}
	for _, l := range strings.Split(strings.TrimRight(strings.ReplaceAll(excerpt, "\r\n", "\n"), "\n"), "\n") {
		line(l)
	}
	line("##[error]Process completed with exit code 1.")
	line("Post job cleanup.")
	line("Cleaning up orphan processes")
	return b.String()
}

// corpusDir is the corpus: $GHCR_DOCTOR_CORPUS when set (which must then
// exist), else ../shared/corpus next to the module's root, found by
// walking up from the test's directory to go.mod; the test is skipped
// when that does not exist.
func corpusDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv(corpusEnv); dir != "" {
		_, err := os.Stat(filepath.Join(dir, "labels.json"))
		require.NoError(t, err, "%s names a directory without labels.json", corpusEnv)
		return dir
	}
	root, err := moduleRoot()
	require.NoError(t, err)
	dir := filepath.Join(root, "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(dir, "labels.json")); err != nil {
		t.Skipf("no corpus at %s (set %s to run this test)", dir, corpusEnv)
	}
	return dir
}

// moduleRoot is the nearest directory at or above the working directory
// that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory")
		}
		dir = parent
	}
}

func readCorpusLabels(t *testing.T, dir string) []corpusEntry {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	require.NoError(t, err)
	var entries []corpusEntry
	require.NoError(t, json.Unmarshal(raw, &entries), "reading labels.json")
	require.NotEmpty(t, entries, "labels.json lists no excerpt")
	return entries
}
