package redelivery

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

// flaky fails its listings while down.
type flaky struct {
	down  bool
	calls int
}

func (f *flaky) List(context.Context, string) ([]Delivery, string, error) {
	f.calls++
	if f.down {
		return nil, "", errors.New("dial tcp: connection refused")
	}
	return nil, "", nil
}

func (f *flaky) Redeliver(context.Context, int64) error { return nil }

// TestScanBacksOffWhileGitHubIsUnreachable: a failed listing is not
// retried by the queue, and scans are skipped for a wait that doubles with
// each failure (capped), until a listing succeeds.
func TestScanBacksOffWhileGitHubIsUnreachable(t *testing.T) {
	start := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	now := start
	d := &flaky{down: true}
	s := &Scanner{Deliveries: d, Queue: &jobs{}, Window: time.Hour, Now: func() time.Time { return now },
		BackoffBase: time.Minute, BackoffMax: 4 * time.Minute}
	steps := []struct {
		at        time.Duration
		down      bool
		wantCalls int
		wantErr   bool
	}{
		{0, true, 1, true},                                // fails: wait 1m
		{30 * time.Second, true, 1, false},                // skipped
		{61 * time.Second, true, 2, true},                 // fails: wait 2m
		{2 * time.Minute, true, 2, false},                 // skipped
		{3*time.Minute + 2*time.Second, true, 3, true},    // fails: wait 4m
		{7*time.Minute + 3*time.Second, true, 4, true},    // fails: wait stays 4m (the cap)
		{11*time.Minute + 4*time.Second, false, 5, false}, // GitHub is back
		{11*time.Minute + 5*time.Second, false, 6, false}, // no more waiting
	}
	for _, st := range steps {
		now = start.Add(st.at)
		d.down = st.down
		err := s.Scan(context.Background(), queue.Job{})
		assert.Equal(t, st.wantCalls, d.calls, "at %s", st.at)
		if st.wantErr {
			assert.Error(t, err, "at %s", st.at)
			assert.True(t, queue.IsPermanent(err), "at %s: the queue does not retry it; the next period's scan does", st.at)
		} else {
			assert.NoError(t, err, "at %s", st.at)
		}
	}
}
