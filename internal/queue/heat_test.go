package queue

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestIntakeHeat(t *testing.T) {
	type step struct {
		after   time.Duration // since the previous step
		record  int
		holding bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"nothing stored", []step{{0, 0, false}}},
		{"a trickle never holds", []step{{0, 1, false}, {100 * time.Millisecond, 1, false}, {100 * time.Millisecond, 1, false}, {100 * time.Millisecond, 1, false}}},
		{"fewer than the count within the window", []step{{0, 4, false}}},
		{"the count within the window holds", []step{{0, 5, true}, {10 * time.Millisecond, 0, true}}},
		{"a moment of calm keeps the hold", []step{{0, 5, true}, {400 * time.Millisecond, 0, true}}},
		{"the calm passing without deliveries releases", []step{{0, 5, true}, {time.Second, 0, false}}},
		{"a trickle after the burst does not prolong it", []step{{0, 5, true}, {600 * time.Millisecond, 1, true}, {300 * time.Millisecond, 1, false}}},
		{"a burst is held at most the maximum", []step{
			{0, 5, true}, {400 * time.Millisecond, 5, true}, {400 * time.Millisecond, 5, true},
			{400 * time.Millisecond, 5, false}, {400 * time.Millisecond, 5, false},
		}},
		{"waves closer than the calm are one burst", []step{
			{0, 5, true}, {700 * time.Millisecond, 5, true}, {700 * time.Millisecond, 5, false},
		}},
		{"a new burst after the calm holds again", []step{
			{0, 5, true}, {400 * time.Millisecond, 5, true}, {400 * time.Millisecond, 5, true}, {400 * time.Millisecond, 5, false},
			{2 * time.Second, 5, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Unix(1_700_000_000, 0)
			h := newIntakeHeat(func() time.Time { return now }, 5, 500*time.Millisecond, 800*time.Millisecond, 1200*time.Millisecond)
			for i, s := range tt.steps {
				now = now.Add(s.after)
				h.record(s.record)
				assert.Equal(t, s.holding, h.holding(), "step %d", i)
			}
		})
	}
}

func TestNilIntakeHeatNeverHolds(t *testing.T) {
	var h *intakeHeat
	h.record(100)
	assert.False(t, h.holding())
}
