package preflight

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goldenCase is one workflow of testdata/golden with its expectations,
// read from its header comments:
//
//	# want: JOB=VERDICT@LINE JOB=VERDICT ...   (the line is optional)
//	# settings: owner=acme repo=widget default=read org=read
//
// A directory named like the file without .yml holds the repository files
// the case needs (package.json, .goreleaser.yaml, called workflows), by path.
type goldenCase struct {
	name     string
	input    Input
	want     map[string]string // job → verdict
	wantLine map[string]int    // job → line, when given
	jobs     []string          // jobs in want order
}

func loadGolden(t testing.TB) []goldenCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "golden", "*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	var out []goldenCase
	for _, p := range paths {
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		c := goldenCase{name: filepath.Base(p), want: map[string]string{}, wantLine: map[string]int{}}
		c.input = Input{Path: ".github/workflows/" + c.name, Source: src, Settings: Settings{RepoDefault: "read"}}
		for _, line := range strings.Split(string(src), "\n") {
			if v, ok := strings.CutPrefix(line, "# want:"); ok {
				for _, f := range strings.Fields(v) {
					job, verdict, ok := strings.Cut(f, "=")
					require.True(t, ok, "%s: want entry %q", p, f)
					if v, l, ok := strings.Cut(verdict, "@"); ok {
						n, err := strconv.Atoi(l)
						require.NoError(t, err, "%s: line of %q", p, f)
						verdict, c.wantLine[job] = v, n
					}
					c.want[job] = verdict
					c.jobs = append(c.jobs, job)
				}
			}
			if v, ok := strings.CutPrefix(line, "# settings:"); ok {
				for _, f := range strings.Fields(v) {
					k, val, _ := strings.Cut(f, "=")
					switch k {
					case "owner":
						c.input.Settings.Owner = val
					case "repo":
						c.input.Settings.Repo = val
					case "default":
						c.input.Settings.RepoDefault = val
					case "org":
						c.input.Settings.OrgDefault = val
					default:
						t.Fatalf("%s: unknown setting %q", p, k)
					}
				}
			}
		}
		require.NotEmpty(t, c.want, "%s has no # want: line", p)
		c.input.Files = readCaseFiles(t, strings.TrimSuffix(p, ".yml"))
		out = append(out, c)
	}
	return out
}

// readCaseFiles reads a case's directory of repository files, by path.
func readCaseFiles(t testing.TB, dir string) map[string][]byte {
	files := map[string][]byte{}
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, rerr := os.ReadFile(path)
		require.NoError(t, rerr)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	return files
}

func TestGolden(t *testing.T) {
	cases := loadGolden(t)
	assert.GreaterOrEqual(t, len(cases), 45, "the golden set has at least 45 workflows")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			results, err := Analyze(c.input)
			require.NoError(t, err)
			got := map[string]Result{}
			var ids []string
			for _, r := range results {
				got[r.Job] = r
				ids = append(ids, r.Job)
			}
			want := append([]string(nil), c.jobs...)
			sort.Strings(want)
			sort.Strings(ids)
			require.Equal(t, want, ids, "every job has an expected verdict")
			for _, job := range c.jobs {
				r := got[job]
				assert.Equal(t, c.want[job], string(r.Verdict), "job %s: %s", job, describe(r))
				if l, ok := c.wantLine[job]; ok {
					assert.Equal(t, l, r.Line, "job %s line: %s", job, describe(r))
				}
				assert.Equal(t, c.input.Path, r.File)
			}
		})
	}
}

// TestGoldenCleanCasesRaiseNoAlarm: no job that the golden set expects to
// be safe (ok, not_publishing, pat_login or unknown) is reported at risk.
func TestGoldenCleanCasesRaiseNoAlarm(t *testing.T) {
	clean, alarms := 0, 0
	for _, c := range loadGolden(t) {
		results, err := Analyze(c.input)
		require.NoError(t, err)
		for _, r := range results {
			if Verdict(c.want[r.Job]).AtRisk() {
				continue
			}
			clean++
			if r.Verdict.AtRisk() {
				alarms++
				t.Errorf("%s job %s: false alarm %s", c.name, r.Job, describe(r))
			}
		}
	}
	assert.Greater(t, clean, 30, "the golden set has clean jobs")
	assert.Zero(t, alarms)
}

func describe(r Result) string {
	return fmt.Sprintf("%s@%d: %s | fix: %s", r.Verdict, r.Line, r.Reason, r.Fix)
}
