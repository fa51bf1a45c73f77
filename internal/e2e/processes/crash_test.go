package processes

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue/queuetest"
)

// TestCrashSafetySQLite kills the single-process bot with SIGKILL while jobs
// are in flight; after a restart on the same data directory every accepted
// event is diagnosed and posted exactly once.
func TestCrashSafetySQLite(t *testing.T) {
	const runs = 40
	w := newWorld(t, runs)
	// Slow log downloads keep jobs in flight when the kill comes.
	w.fake.InjectFault(githubfake.Fault{Method: "GET", PathPattern: "/_signed/", Times: 1000, Delay: 150 * time.Millisecond})
	dir := t.TempDir()
	queueYAML := fmt.Sprintf("  data_dir: %s\n  poll_interval: 50ms\n  retry_base: 100ms\n  redelivery_interval: -1s\n", dir)

	b := startBot(t, w, dir, queueYAML)
	accepted := 0
	for i, id := range w.runs {
		if b.send(w.fake.WorkflowRunEvent("completed", org, repoName, id), fmt.Sprintf("guid-%d", i)) {
			accepted++
		}
	}
	require.Equal(t, runs, accepted, "every delivery is accepted (stored) before the answer")
	// Let some work finish, then crash mid-flight.
	require.Eventually(t, func() bool { crs, _ := w.counts(); return len(crs) >= 3 }, 30*time.Second, 20*time.Millisecond)
	b.kill()
	before, _ := w.counts()
	t.Logf("killed with %d of %d runs reported", len(before), runs)
	assert.Less(t, len(before), runs, "the kill came while jobs were in flight")

	b2 := startBot(t, w, dir, queueYAML)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	w.waitReported(ctx)
	// Redelivering every event after the restart changes nothing.
	for i, id := range w.runs {
		b2.send(w.fake.WorkflowRunEvent("completed", org, repoName, id), fmt.Sprintf("guid-%d", i))
	}
	time.Sleep(time.Second)
	lost, doubled := w.lostAndDoubled()
	t.Logf("SQLite crash test: %d events accepted, %d lost, %d doubled", accepted, lost, doubled)
	assert.Zero(t, lost, "events lost; bot log:\n%s", b2.logs())
	assert.Zero(t, doubled, "events doubled")
}

// TestTwoReplicasPostgres spreads a few hundred deliveries over two
// replicas on one PostgreSQL database and kills one midway: every run is
// reported exactly once.
func TestTwoReplicasPostgres(t *testing.T) {
	url := queuetest.PostgresURL(t)
	if url == "" {
		t.Skip("no PostgreSQL")
	}
	url = queuetest.FreshPostgresSchema(t, url)
	const runs = 200
	w := newWorld(t, runs)
	w.fake.InjectFault(githubfake.Fault{Method: "GET", PathPattern: "/_signed/", Times: 10000, Delay: 20 * time.Millisecond})
	dir := t.TempDir()
	queueYAML := fmt.Sprintf("  postgres_url: %q\n  poll_interval: 100ms\n  retry_base: 100ms\n  job_timeout: 5s\n  rescue_after: 6s\n  redelivery_interval: -1s\n", url)
	a := startBot(t, w, dir, queueYAML)
	b := startBot(t, w, dir, queueYAML)

	accepted := 0
	killed := false
	for i, id := range w.runs {
		payload := w.fake.WorkflowRunEvent("completed", org, repoName, id)
		guid := fmt.Sprintf("guid-%d", i)
		target := a
		if i%2 == 1 || killed {
			target = b
		}
		if target.send(payload, guid) {
			accepted++
		} else if b.send(payload, guid) { // GitHub would redeliver; the live replica takes it
			accepted++
		}
		if i == runs/2 {
			a.kill()
			killed = true
			t.Logf("killed replica A after %d deliveries", i+1)
		}
	}
	require.Equal(t, runs, accepted)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	w.waitReported(ctx)
	time.Sleep(time.Second)
	lost, doubled := w.lostAndDoubled()
	t.Logf("PostgreSQL replica test: %d events accepted, %d lost, %d doubled", accepted, lost, doubled)
	assert.Zero(t, lost, "events lost; replica B log:\n%s", b.logs())
	assert.Zero(t, doubled, "events doubled")
}

// TestGracefulShutdown sends SIGTERM while jobs run: the process stops
// taking work, exits within its shutdown period, and the jobs it did not
// finish are done after a restart, each once.
func TestGracefulShutdown(t *testing.T) {
	const runs = 20
	w := newWorld(t, runs)
	w.fake.InjectFault(githubfake.Fault{Method: "GET", PathPattern: "/_signed/", Times: 1000, Delay: 300 * time.Millisecond})
	dir := t.TempDir()
	queueYAML := fmt.Sprintf("  data_dir: %s\n  poll_interval: 50ms\n  retry_base: 100ms\n  redelivery_interval: -1s\n", dir)
	b := startBot(t, w, dir, queueYAML)
	for i, id := range w.runs {
		require.True(t, b.send(w.fake.WorkflowRunEvent("completed", org, repoName, id), fmt.Sprintf("guid-%d", i)))
	}
	require.Eventually(t, func() bool { crs, _ := w.counts(); return len(crs) >= 1 }, 30*time.Second, 20*time.Millisecond)
	atTerm, _ := w.counts()
	start := time.Now()
	require.NoError(t, b.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-b.waitErr:
		assert.NoError(t, err, "clean exit; log:\n%s", b.logs())
	case <-time.After(15 * time.Second):
		t.Fatalf("did not exit after SIGTERM:\n%s", b.logs())
	}
	took := time.Since(start)
	atExit, _ := w.counts()
	t.Logf("exited %v after SIGTERM (shutdown period 5s); %d runs reported at SIGTERM, %d at exit",
		took.Round(time.Millisecond), len(atTerm), len(atExit))
	assert.Less(t, took, 7*time.Second)

	startBot(t, w, dir, queueYAML)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w.waitReported(ctx)
	lost, doubled := w.lostAndDoubled()
	assert.Zero(t, lost)
	assert.Zero(t, doubled)
}
