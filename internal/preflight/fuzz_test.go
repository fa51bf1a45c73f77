package preflight

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// FuzzAnalyze: Analyze never panics, and what it returns is consistent:
// one result per job in file order, a verdict from the list, the first
// problem's verdict as the job's, lines within the file, an edit only for
// missing_packages_write.
func FuzzAnalyze(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.yml"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "read")
		}
	}
	f.Add([]byte("on: push\njobs:\n  a:\n    uses: ./.github/workflows/a.yml\n"), "")
	f.Fuzz(func(t *testing.T, src []byte, def string) {
		in := Input{Path: "w.yml", Source: src, Settings: Settings{RepoDefault: def, Owner: "acme", Repo: "app"},
			Files: map[string][]byte{".github/workflows/a.yml": src, "package.json": []byte(`{"name":"@acme/x","publishConfig":{"registry":"https://npm.pkg.github.com"}}`)}}
		results, err := Analyze(in)
		if err != nil {
			return
		}
		wf, err := workflow.Parse(src)
		if err != nil || len(wf.Jobs) != len(results) {
			t.Fatalf("%d results for a file that parses with error %v", len(results), err)
		}
		for i, j := range wf.Jobs {
			if results[i].Job != j.ID || results[i].File != in.Path {
				t.Fatalf("result %d is job %s of %s, want job %s", i, results[i].Job, results[i].File, j.ID)
			}
		}
		lines := 1
		for _, c := range src {
			if c == '\n' {
				lines++
			}
		}
		for _, r := range results {
			if _, ok := precedence[r.Verdict]; !ok {
				t.Fatalf("job %s: verdict %q is not one of the list", r.Job, r.Verdict)
			}
			if r.Line < 0 || r.Line > lines {
				t.Fatalf("job %s: line %d outside the file's %d lines", r.Job, r.Line, lines)
			}
			if len(r.Problems) > 0 && r.Problems[0].Verdict != r.Verdict {
				t.Fatalf("job %s: verdict %s but first problem %s", r.Job, r.Verdict, r.Problems[0].Verdict)
			}
			if r.Edit != nil && r.Verdict != MissingPackagesWrite {
				t.Fatalf("job %s: an edit with verdict %s", r.Job, r.Verdict)
			}
			if (r.Verdict == OK || r.Verdict == NotPublishing) && len(r.Problems) > 0 {
				t.Fatalf("job %s: %s with problems", r.Job, r.Verdict)
			}
			if r.Verdict == NotPublishing && len(r.PublishesTo) > 0 {
				t.Fatalf("job %s: not publishing but publishes to %v", r.Job, r.PublishesTo)
			}
		}
	})
}
