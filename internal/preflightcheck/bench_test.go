package preflightcheck

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// BenchmarkPullRequestCheck is the App's side of one pull request's check
// in a repository holding every workflow of the analysis's golden set:
// reading them, the analysis, the check run and the review, against an
// in-memory GitHub (no network), so it measures the work per check.
func BenchmarkPullRequestCheck(b *testing.B) {
	paths, err := filepath.Glob("../preflight/testdata/golden/*.yml")
	if err != nil || len(paths) == 0 {
		b.Fatalf("reading the golden workflows: %v", err)
	}
	files := map[string]string{}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files[Workflows+"/"+filepath.Base(p)] = string(src)
	}
	files[releasePath] = withoutWrite
	analyses := []struct {
		name    string
		analyze func(preflight.Input) ([]preflight.Result, error)
	}{
		{"with-analysis", preflight.Analyze},
		// The App's own work alone: reading, the check run, the review.
		{"app-only", func(preflight.Input) ([]preflight.Result, error) { return nil, nil }},
	}
	for _, a := range analyses {
		b.Run(a.name, func(b *testing.B) {
			gh := newMemGitHub(files)
			gh.changed = []ChangedFile{{Path: releasePath, Status: "modified", Patch: patchOf(withWrite, withoutWrite)}}
			c := &Checker{Clients: memClients{gh}, Analyze: a.analyze, BotLogin: "ghcr-doctor[bot]"}
			b.ReportMetric(float64(len(files)), "workflows")
			for range b.N {
				out, err := c.Handle(context.Background(), pullEvent(), false)
				if err != nil || out.Skipped != "" {
					b.Fatalf("check: %v %q", err, out.Skipped)
				}
			}
		})
	}
}
