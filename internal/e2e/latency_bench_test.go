package e2e

import (
	"cmp"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue/queuetest"
)

// Issue 13's conditions for the latency target.
const (
	callLatency  = 50 * time.Millisecond // added to every request to GitHub
	logRate      = 10_000_000            // bytes per second of log downloads
	latencyLogKB = 256                   // the failed job's log: ordinary build output, then the refusal
	// latencyInstallations share the runs in turn, so that none outpaces
	// the writes GitHub allows one installation (two runs a second from
	// one would be paced: see BenchmarkFairness's figures, not these).
	latencyInstallations = 20
)

// BenchmarkDeliveryToReport measures, one run at a time, the time from a
// failed run's webhook delivery to the last write of its report, with
// callLatency added to every GitHub request and logs served at logRate.
// Each iteration is the first failure of a new repository (a migration to
// GHCR) of one of latencyInstallations organisations, in turn: each
// installation's token is warm after its first run, nothing else is. Run it with -benchtime=200x; it reports p50, p99 and
// max. Sub-benchmarks: the queue on SQLite, and on PostgreSQL when
// DATABASE_URL (or the test suite's PostgreSQL variable) is set.
func BenchmarkDeliveryToReport(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchDeliveryToReport(b, nil) })
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv("DATABASE_URL")
		if base == "" {
			base = os.Getenv(queuetest.TestPostgresEnv)
		}
		if base == "" {
			b.Skip("DATABASE_URL not set: no PostgreSQL figures")
		}
		u := queuetest.FreshPostgresSchema(b, base)
		benchDeliveryToReport(b, func(c *config.Config) { c.Queue.PostgresURL = u })
	})
}

func benchDeliveryToReport(b *testing.B, tweak func(*config.Config)) {
	e := newEnvWith(b, allPermissions, tweak)
	e.fake.SetLatency(callLatency)
	e.fake.SetLogRate(logRate)
	log := paddedLog(budgetRun().log, latencyLogKB<<10)
	var took []time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		s := budgetRun()
		s.repo = fmt.Sprintf("service-%d", i)
		s.log = log
		inst := installID
		if k := i % latencyInstallations; k > 0 {
			s.owner, inst = fmt.Sprintf("org-%d", k), installID+int64(k)
			if i < latencyInstallations {
				e.fake.AddInstallation(inst, s.owner, "Organization", allPermissions)
			}
		}
		e.fake.AddRepo(githubfake.Repo{Owner: cmp.Or(s.owner, org), Name: s.repo, ID: 20000 + int64(i), OwnerType: "Organization", InstallationID: inst})
		payload := e.addRun(s)
		e.fake.ResetRequests()
		b.StartTimer()
		start := time.Now()
		e.deliver("workflow_run", payload)
		b.StopTimer()
		last, ok := lastWrite(e.fake.Requests())
		if !ok {
			b.Fatalf("run %d published nothing; log:\n%s", i, e.logs.String())
		}
		took = append(took, last.Sub(start))
	}
	p50, p99, max := percentile(took, 50), percentile(took, 99), percentile(took, 100)
	b.ReportMetric(float64(p50.Milliseconds()), "p50-ms")
	b.ReportMetric(float64(p99.Milliseconds()), "p99-ms")
	b.ReportMetric(float64(max.Milliseconds()), "max-ms")
	b.ReportMetric(0, "ns/op")
	b.Logf("%d runs, %v per call, logs at %d MB/s: p50 %v, p99 %v, max %v",
		len(took), callLatency, logRate/1_000_000, p50.Round(time.Millisecond), p99.Round(time.Millisecond), max.Round(time.Millisecond))
}

// lastWrite is when the last write of a report reached GitHub.
func lastWrite(reqs []githubfake.Request) (time.Time, bool) {
	var last time.Time
	for _, r := range reqs {
		if r.Method != http.MethodGet && r.Route != tokenRoute && r.Time.After(last) {
			last = r.Time
		}
	}
	return last, !last.IsZero()
}

// percentile is the p-th percentile of ds (nearest rank).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := (p*len(s) + 99) / 100
	if rank < 1 {
		rank = 1
	}
	return s[rank-1]
}

// paddedLog puts ordinary build output before a job log until it holds
// about size bytes, so the refusal is at the end.
func paddedLog(log string, size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size-len(log); i++ {
		fmt.Fprintf(&b, "2026-01-11T21:%02d:%02d.0000000Z #12 %d.%03d go: downloading github.com/acme/dep%d v1.%d.0\n", i/60%60, i%60, i/10, i%1000, i, i%40)
	}
	b.WriteString(log)
	return b.String()
}
