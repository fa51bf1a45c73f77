package e2e

import (
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/heappeak"
	"github.com/ghcr-doctor/ghcr-doctor/internal/samples"
)

// bigLogBytes is the size of the generated job log: 1 GiB, or BIGLOG_MB
// megabytes.
func bigLogBytes() int64 {
	if mb, err := strconv.ParseInt(os.Getenv("BIGLOG_MB"), 10, 64); err == nil && mb > 0 {
		return mb << 20
	}
	return 1 << 30
}

// BenchmarkBigJobLog diagnoses a failed job whose log is bigLogBytes of
// ordinary build output with the refused push at its very end, served by
// the simulated GitHub through the 302 and its signed URL as it is
// generated, never held. While the bot reads it, the heap in use is
// sampled every few milliseconds; the peak is what the diagnosis path,
// the simulated GitHub and the test together hold, and shows the log is
// streamed (a log held whole would need its size). Run it with
// -benchtime=1x.
func BenchmarkBigJobLog(b *testing.B) {
	size := bigLogBytes()
	e := newEnvWith(b, allPermissions, func(c *config.Config) {
		c.Worker.MaxLogBytes = size + 1<<20
		c.Worker.HTTPTimeout = 10 * time.Minute
	})
	for i := range b.N {
		s := budgetRun()
		s.runID = 8000 + int64(i)
		s.log = "2026-01-11T21:14:07.1234567Z a lint job that failed for its own reasons\n"
		payload := e.addRun(s)
		e.fake.AddJob(org, repoName, s.runID, githubfake.Job{ID: s.runID*10 + 5, Name: "push", Conclusion: "failure",
			LogStream: func() io.Reader { return samples.LargeLog(size, budgetRun().log) }, LogSize: size})

		base := heappeak.InUse()
		peak := heappeak.Start(0)
		start := time.Now()
		e.deliver("workflow_run", payload)
		took := time.Since(start)
		top := peak.Stop()
		require.NotEmpty(b, e.markerComments(s.pr), "the refusal at the end of the log was found; log:\n%s", e.logs.String())
		b.ReportMetric(float64(size>>20), "log-MiB")
		b.ReportMetric(float64(top)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(base)/(1<<20), "heap-before-MiB")
		b.ReportMetric(float64(size)/(1<<20)/took.Seconds(), "MiB/s")
		b.Logf("%d MiB log through the redirect: %v, peak heap in use %.1f MiB (%.1f MiB before)",
			size>>20, took.Round(time.Millisecond), float64(top)/(1<<20), float64(base)/(1<<20))
	}
}
