package queue

import (
	"sync"
	"time"
)

// Intake heat: GitHub gives a delivery 10 s for its answer, while a run's
// report may follow seconds later. During a burst of deliveries the
// process therefore gives the intake the cores and the database: the pump
// (intake.go) leaves stored deliveries where they are and workers wait
// before starting a job. A burst lasts while the intake is hot and for a
// moment of calm after (deliveries come in waves); it holds the pump and
// the workers for at most maxHold from its start, so a burst that never
// ends cannot starve the work.

const (
	// The intake is hot from defaultHotCount deliveries within
	// defaultHotWindow (200 a second).
	defaultHotCount  = 50
	defaultHotWindow = 250 * time.Millisecond
	// defaultCalm ends a burst: this long without the intake hot.
	defaultCalm = time.Second
	// defaultMaxHold bounds how long a burst holds the pump and workers:
	// no longer than GitHub lets a delivery wait for its answer.
	defaultMaxHold = 10 * time.Second
)

// intakeHeat tells whether deliveries arrive fast enough that the pump and
// the workers should yield to them.
type intakeHeat struct {
	mu      sync.Mutex
	now     func() time.Time
	window  time.Duration
	calm    time.Duration
	maxHold time.Duration
	// recent holds the times of the last len(recent) deliveries, a ring
	// whose oldest entry is at next: the intake is hot when that entry
	// is within window.
	recent []time.Time
	next   int
	// burstStart is when the current burst became hot; lastHot when it
	// was last seen hot.
	burstStart, lastHot time.Time
}

func newIntakeHeat(now func() time.Time, count int, window, calm, maxHold time.Duration) *intakeHeat {
	if now == nil {
		now = time.Now
	}
	return &intakeHeat{now: now, window: window, calm: calm, maxHold: maxHold, recent: make([]time.Time, max(1, count))}
}

// record counts n deliveries stored now.
func (h *intakeHeat) record(n int) {
	if h == nil || n <= 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	for range min(n, len(h.recent)) {
		h.recent[h.next] = now
		h.next = (h.next + 1) % len(h.recent)
	}
	if !h.hotLocked(now) {
		return
	}
	if h.burstStart.IsZero() || now.Sub(h.lastHot) >= h.calm {
		h.burstStart = now
	}
	h.lastHot = now
}

// holding reports whether the pump and the workers should wait now: a
// burst is under way (the intake was hot within the calm), and began less
// than maxHold ago.
func (h *intakeHeat) holding() bool {
	if h == nil {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.burstStart.IsZero() {
		return false
	}
	now := h.now()
	return now.Sub(h.lastHot) < h.calm && now.Sub(h.burstStart) < h.maxHold
}

func (h *intakeHeat) hotLocked(now time.Time) bool {
	oldest := h.recent[h.next]
	return !oldest.IsZero() && now.Sub(oldest) < h.window
}
