package logarchive

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/heappeak"
	"github.com/ghcr-doctor/ghcr-doctor/internal/samples"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

// BenchmarkLargeArchive scans a run's log archive (zip) whose job log
// inflates to 1 GiB (BIGLOG_MB megabytes), the refusal at its very end,
// as `bot scan` does: each member is inflated as it is scanned, never held.
// It reports the heap in use at its peak, sampled every few milliseconds
// while scanning. Run it with -benchtime=1x.
func BenchmarkLargeArchive(b *testing.B) {
	size := int64(1 << 30)
	if mb, err := strconv.ParseInt(os.Getenv("BIGLOG_MB"), 10, 64); err == nil && mb > 0 {
		size = mb << 20
	}
	tail := "2026-01-11T22:59:59.2000000Z #13 ERROR: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package\n"
	path := filepath.Join(b.TempDir(), "logs.zip")
	writeArchive(b, path, size, tail)

	for range b.N {
		base := heappeak.InUse()
		peak := heappeak.Start(0)
		start := time.Now()
		src, err := OpenPath(path, nil)
		require.NoError(b, err)
		findings := 0
		for _, e := range src.Entries {
			rc, err := e.Open()
			require.NoError(b, err)
			res, err := scan.Scanner{}.Scan(rc)
			rc.Close()
			require.NoError(b, err)
			findings += len(res.Findings)
		}
		require.NoError(b, src.Close())
		took := time.Since(start)
		top := peak.Stop()
		require.Equal(b, 1, findings, "the refusal at the end of the member")
		b.ReportMetric(float64(size>>20), "log-MiB")
		b.ReportMetric(float64(top)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(base)/(1<<20), "heap-before-MiB")
		b.ReportMetric(float64(size)/(1<<20)/took.Seconds(), "MiB/s")
		b.Logf("%d MiB log in a zip archive: %v, peak heap in use %.1f MiB (%.1f MiB before)",
			size>>20, took.Round(time.Millisecond), float64(top)/(1<<20), float64(base)/(1<<20))
	}
}

// writeArchive writes a run's log archive holding one job log of size
// bytes, and a step file of it, as GitHub lays them out.
func writeArchive(b *testing.B, path string, size int64, tail string) {
	b.Helper()
	f, err := os.Create(path)
	require.NoError(b, err)
	defer f.Close()
	zw := zip.NewWriter(f)
	w, err := zw.Create("0_build.txt")
	require.NoError(b, err)
	_, err = io.Copy(w, samples.LargeLog(size, tail))
	require.NoError(b, err)
	w, err = zw.Create("build/3_Push.txt")
	require.NoError(b, err)
	_, err = io.WriteString(w, tail)
	require.NoError(b, err)
	require.NoError(b, zw.Close())
}
