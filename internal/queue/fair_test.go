package queue

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

func TestAdmissionPriority(t *testing.T) {
	tests := []struct {
		name string
		// before jobs of installation 1 were admitted, gap apart.
		before int
		gap    time.Duration
		// then one more of installation id.
		id   int64
		want int
	}{
		{"a first job goes first", 0, 0, 1, 1},
		{"the tenth job at once too", 9, 0, 1, 1},
		{"the eleventh at once waits behind quiet installations", 10, 0, 1, 2},
		{"the hundred-and-first goes third", 100, 0, 1, 3},
		{"beyond a thousand last", 1000, 0, 1, 4},
		{"another installation is not held back by a flood", 1000, 0, 2, 1},
		{"work of the App itself always first", 1000, 0, 0, 1},
		{"a steady trickle stays first", 100, 10 * time.Second, 1, 1},
		{"a flood fades: 50 a minute ago count as 25", 50, 0, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Unix(1_700_000_000, 0)
			a := newAdmission(func() time.Time { return now }, defaultAdmissionSpacing)
			for range tt.before {
				a.priority(1)
				now = now.Add(tt.gap)
			}
			assert.Equal(t, tt.want, a.priority(tt.id))
		})
	}
	t.Run("a minute later a flood counts half", func(t *testing.T) {
		now := time.Unix(1_700_000_000, 0)
		a := newAdmission(func() time.Time { return now }, defaultAdmissionSpacing)
		for range 15 {
			a.priority(1)
		}
		now = now.Add(admissionHalfLife)
		assert.Equal(t, 1, a.priority(1), "15 halved is 7.5, plus this one")
	})
}

func TestRateLimitSnoozesLeaveDeferralsOut(t *testing.T) {
	tests := []struct {
		metadata string
		want     int
	}{
		{``, 0},
		{`{}`, 0},
		{`{"snoozes": 3}`, 3},
		{`{"snoozes": 3, "output": {"deferrals": 2}}`, 1},
		{`{"snoozes": 12, "output": {"deferrals": 12}}`, 0},
		{`not json`, 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, rateLimitSnoozes([]byte(tt.metadata)), tt.metadata)
	}
}

// TestInstallationShare: an installation alone may use every worker but
// one, so another installation's job still gets a worker at once.
func TestInstallationShare(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			release := make(chan struct{})
			var mu sync.Mutex
			running, most := 0, 0
			quietRan := make(chan struct{})
			opts := fast()
			opts.InstallationShare = 1
			q := open(t, opts, map[string]Handler{
				"busy": func(ctx context.Context, _ Job) error {
					mu.Lock()
					running++
					most = max(most, running)
					mu.Unlock()
					defer func() { mu.Lock(); running--; mu.Unlock() }()
					select {
					case <-release:
					case <-ctx.Done():
						return ctx.Err()
					}
					return nil
				},
				"quiet": func(context.Context, Job) error { close(quietRan); return nil },
			}, nil)
			start(t, q)
			for i := range 6 {
				require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "busy", Key: "busy" + string(rune('a'+i)), Installation: 1}))
			}
			time.Sleep(300 * time.Millisecond)
			require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "quiet", Key: "quiet", Installation: 2}))
			select {
			case <-quietRan:
			case <-time.After(10 * time.Second):
				t.Fatal("the quiet installation's job did not run while the busy one's were held")
			}
			close(release)
			waitFor(t, q)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, opts.Workers-1, most, "the busy installation alone uses every worker but one")
		})
	}
}

// paced is a wait the App's own pacing asks for.
type paced struct{}

func (paced) Error() string           { return "paced" }
func (paced) DeferFor() time.Duration { return time.Millisecond }

// TestDeferralsAreNoRateLimitSnoozes: a job put back more often than
// maxSnoozes by the App's own pacing still has every rate-limit snooze
// GitHub may ask for, and no attempt is used.
func TestDeferralsAreNoRateLimitSnoozes(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			calls := 0
			m := &recordingMetrics{}
			q := open(t, fast(), map[string]Handler{"k": func(ctx context.Context, _ Job) error {
				mu.Lock()
				defer mu.Unlock()
				calls++
				switch {
				case calls <= maxSnoozes+2:
					return paced{}
				case calls == maxSnoozes+3:
					return &gherr.RateLimitError{Op: "creating a check run", Status: 403, Wait: time.Millisecond}
				}
				return nil
			}}, m)
			start(t, q)
			require.NoError(t, q.Enqueue(context.Background(), Job{Kind: "k", Key: "x", Installation: 3}))
			waitFor(t, q)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, maxSnoozes+4, calls)
			// The queue's events reach the metrics a moment after the job ends.
			assert.Eventually(t, func() bool { return m.count(OutcomeOK) == 1 }, 10*time.Second, 10*time.Millisecond)
			assert.Equal(t, maxSnoozes+3, m.count(OutcomeSnoozed), "every wait was a snooze")
			assert.Zero(t, m.count(OutcomeRetry), "no attempt was used")
		})
	}
}

func TestAdmissionSpreadsAFloodInTime(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	a := newAdmission(func() time.Time { return now }, defaultAdmissionSpacing)
	var delays []time.Duration
	for range 14 {
		_, d := a.admit(1)
		delays = append(delays, d)
	}
	for i, d := range delays[:admissionFree] {
		assert.Zero(t, d, "job %d of a burst is due at once", i+1)
	}
	assert.Equal(t, []time.Duration{2 * time.Second, 4 * time.Second, 6 * time.Second, 8 * time.Second}, delays[admissionFree:])
	_, d := a.admit(2)
	assert.Zero(t, d, "another installation's job is due at once")
	_, d = a.admit(0)
	assert.Zero(t, d, "the App's own work is due at once")
	for range 5000 {
		_, d = a.admit(3)
	}
	assert.Equal(t, admissionMaxDelay, d, "the spreading is bounded")
}

// TestAdmissionDelaysOnlyWhatOutpacesTheSpacing: an installation that
// queues a job every few seconds for an hour is never delayed; one that
// queues faster than the spacing is held to it once its burst is spent,
// and a pause gives the burst back.
func TestAdmissionDelaysOnlyWhatOutpacesTheSpacing(t *testing.T) {
	tests := []struct {
		name      string
		every     time.Duration
		jobs      int
		wantLast  time.Duration
		wantDelay bool
	}{
		{"one every 3 s for an hour", 3 * time.Second, 1200, 0, false},
		{"one every 2 s, the spacing itself", 2 * time.Second, 1800, 0, false},
		{"two a second for a minute", 500 * time.Millisecond, 120, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Unix(1_700_000_000, 0)
			a := newAdmission(func() time.Time { return now }, defaultAdmissionSpacing)
			delayed := 0
			var last time.Duration
			for range tt.jobs {
				_, last = a.admit(1)
				if last > 0 {
					delayed++
				}
				now = now.Add(tt.every)
			}
			assert.Equal(t, tt.wantDelay, delayed > 0, "%d of %d jobs delayed", delayed, tt.jobs)
			if tt.wantDelay {
				// Each job is due one spacing after the one before: the
				// last of 120 queued in 60 s is due 120*2 s - 9*2 s after
				// the first, 60 s of which have passed.
				assert.Equal(t, time.Duration(tt.jobs-admissionFree)*defaultAdmissionSpacing-time.Duration(tt.jobs-1)*tt.every, last)
			}
		})
	}

	now := time.Unix(1_700_000_000, 0)
	a := newAdmission(func() time.Time { return now }, defaultAdmissionSpacing)
	for range 30 {
		a.admit(1)
	}
	now = now.Add(time.Hour)
	for i := range admissionFree {
		_, d := a.admit(1)
		assert.Zero(t, d, "after a quiet hour, job %d of a new burst is due at once", i+1)
	}
}

// countsFor is a runningCounter with fixed answers.
type countsFor struct {
	running int
	others  bool
	err     error
}

func (c countsFor) runningFor(context.Context, int64) (int, error) { return c.running, c.err }
func (c countsFor) othersWaiting(context.Context, int64) (bool, error) {
	return c.others, c.err
}

// TestOverShare: beyond its share an installation waits only while another
// installation's job waits or when it would take the process's last idle
// worker; a failed count never stops the work.
func TestOverShare(t *testing.T) {
	tests := []struct {
		name   string
		counts countsFor
		busy   int64
		want   bool
	}{
		{"within its share", countsFor{running: 2}, 2, false},
		{"beyond, alone, workers idle", countsFor{running: 3}, 3, false},
		{"beyond, alone, the last idle worker", countsFor{running: 4}, 4, true},
		{"beyond, others waiting", countsFor{running: 3, others: true}, 3, true},
		{"the count fails", countsFor{running: 9, others: true, err: errors.New("database gone")}, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &worker{running: tt.counts, share: 2, workers: 4}
			got := w.overShare(context.Background(), zerolog.Nop(), Job{Installation: 7}, tt.busy)
			assert.Equal(t, tt.want, got)
		})
	}
	w := &worker{running: countsFor{running: 9, others: true}, share: 2, workers: 4}
	assert.False(t, w.overShare(context.Background(), zerolog.Nop(), Job{}, 4), "jobs of no installation are never held")
}

// TestFillKeepsNone: "none" (a negative spacing or window) survives filling
// the options twice, as opening PostgreSQL does.
func TestFillKeepsNone(t *testing.T) {
	o := Options{AdmissionSpacing: -1, BatchWindow: -1}
	o.fill()
	o.fill()
	assert.Negative(t, o.AdmissionSpacing)
	assert.Negative(t, o.BatchWindow)
	a := newAdmission(nil, o.AdmissionSpacing)
	var due time.Duration
	for range 50 {
		_, due = a.admit(7)
	}
	assert.Zero(t, due, "no spacing: the fiftieth job is due at once")
	d := Options{}
	d.fill()
	d.fill()
	assert.Equal(t, defaultAdmissionSpacing, d.AdmissionSpacing)
	assert.Equal(t, defaultBatchWindow, d.BatchWindow)
}
