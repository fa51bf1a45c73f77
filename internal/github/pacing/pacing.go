// Package pacing holds each installation's requests to GitHub within
// GitHub's limits instead of running into them: content-creating requests
// (comments, issues, check runs, pull requests: POST and PUT) are spaced
// under the secondary limits of about 80 a minute and 500 an hour, a
// secondary-limit answer stops the installation's writes for its
// Retry-After and the refused write is sent again once, and the primary
// budget is tracked from every answer's X-RateLimit-Remaining and
// X-RateLimit-Reset so that no request is sent into an exhausted one.
//
// A request waits its turn in place when the wait is short (Limits.MaxWait);
// a longer one returns a *WaitError at once, which the queue takes as "put
// the job back for that long" (queue.Deferrer), so a paced installation
// never holds a worker for minutes.
//
// The pace is kept per process: replicas each keep their own, which stays
// under GitHub's limits as long as one installation's work is not spread
// over many replicas at once (the queue's per-installation share bounds it).
package pacing

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// Limits are the pace kept for each installation.
type Limits struct {
	// WritesPerMinute bounds content-creating requests in any minute: a
	// burst of WriteBurst goes at once, the rest are spaced evenly, one every
	// minute/(WritesPerMinute-WriteBurst), so no minute ever holds more.
	WritesPerMinute int
	WriteBurst      int
	// WritesPerHour bounds content-creating requests in any hour.
	WritesPerHour int
	// MaxWait is the longest a request waits in place; a longer wait is
	// returned as a *WaitError.
	MaxWait time.Duration
	// SecondaryWait is how long writes stop after a secondary-limit answer
	// that gives no Retry-After (GitHub says: at least a minute).
	SecondaryWait time.Duration
}

// GitHubLimits are GitHub's documented secondary limits for content
// creation, with a margin: 80 a minute, 500 an hour.
func GitHubLimits() Limits {
	return Limits{WritesPerMinute: 80, WriteBurst: 20, WritesPerHour: 500, MaxWait: 5 * time.Second, SecondaryWait: time.Minute}
}

// Observer is told what the pacer does, for metrics; it must be safe for
// concurrent use.
type Observer interface {
	// WritePaced is a content-creating request that waited its turn.
	WritePaced(installation int64, waited time.Duration)
	// Budget is the installation's primary budget left, from GitHub's answer.
	Budget(installation int64, remaining int)
}

// Clock is the time the pacer keeps; tests move a fake one.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends.
	Sleep(ctx context.Context, d time.Duration) error
}

// Pacer keeps the pace of every installation of this process.
type Pacer struct {
	limits Limits
	// interval is the spacing of writes beyond the burst; tolerance how far
	// ahead of it a burst may run (a generic cell rate algorithm).
	interval, tolerance time.Duration
	clock               Clock
	observer            Observer

	mu    sync.Mutex
	state map[int64]*installationPace
}

// installationPace is what the pacer knows of one installation.
type installationPace struct {
	// paceAt is the theoretical time of the next write at the even pace;
	// a write may go up to the tolerance before it.
	paceAt time.Time
	// writes are the times of the writes of the last hour, oldest first.
	writes []time.Time
	// writesBlockedUntil is set by a secondary-limit answer.
	writesBlockedUntil time.Time
	// budgetKnown says remaining and reset were read from an answer.
	budgetKnown bool
	remaining   int
	reset       time.Time
}

// New builds a pacer; a nil clock is the wall clock, a nil observer none.
func New(limits Limits, clock Clock, observer Observer) *Pacer {
	if clock == nil {
		clock = wallClock{}
	}
	if observer == nil {
		observer = noObserver{}
	}
	limits.WriteBurst = max(1, min(limits.WriteBurst, limits.WritesPerMinute-1))
	interval, tolerance := time.Duration(0), time.Duration(0)
	if limits.WritesPerMinute > 1 {
		interval = time.Minute / time.Duration(limits.WritesPerMinute-limits.WriteBurst)
		tolerance = time.Duration(limits.WriteBurst-1) * interval
	}
	if limits.SecondaryWait <= 0 {
		limits.SecondaryWait = time.Minute
	}
	return &Pacer{limits: limits, interval: interval, tolerance: tolerance, clock: clock, observer: observer, state: map[int64]*installationPace{}}
}

// WaitError is a request the pacer did not send because its turn is
// further away than Limits.MaxWait. It unwraps to a gherr.RateLimitError,
// so whoever sees GitHub's rate limits sees this one the same way.
type WaitError struct {
	Installation int64
	Wait         time.Duration
	// Reason names the limit: "writes per minute", "writes per hour",
	// "secondary rate limit", "primary rate limit".
	Reason string
}

func (e *WaitError) Error() string {
	return fmt.Sprintf("installation %d: %s reached, next turn in %s", e.Installation, e.Reason, e.Wait.Round(time.Second))
}

// DeferFor is how long the job should wait (queue.Deferrer).
func (e *WaitError) DeferFor() time.Duration { return e.Wait }

// Unwrap presents the wait as a rate limit.
func (e *WaitError) Unwrap() error {
	return &gherr.RateLimitError{Op: "pacing requests to GitHub", Status: http.StatusTooManyRequests, Wait: e.Wait, Err: fmt.Errorf("%s", e.Reason)}
}

// reserve takes the request's turn: it returns how long to wait before
// sending, or a *WaitError when that is longer than MaxWait (then nothing
// is reserved).
func (p *Pacer) reserve(installation int64, write bool) (time.Duration, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.state[installation]
	if st == nil {
		st = &installationPace{}
		p.state[installation] = st
	}
	now := p.clock.Now()
	at, reason := now, ""
	later := func(t time.Time, why string) {
		if t.After(at) {
			at, reason = t, why
		}
	}
	if st.budgetKnown && st.remaining <= 0 {
		if st.reset.After(now) {
			later(st.reset, "primary rate limit")
		} else {
			st.budgetKnown = false // the window has reset; the next answer tells
		}
	}
	if write {
		later(st.writesBlockedUntil, "secondary rate limit")
		later(st.paceAt.Add(-p.tolerance), "writes per minute")
		st.writes = dropOlder(st.writes, now.Add(-time.Hour))
		if n := p.limits.WritesPerHour; n > 0 && len(st.writes) >= n {
			later(st.writes[len(st.writes)-n].Add(time.Hour), "writes per hour")
		}
	}
	wait := at.Sub(now)
	if wait > p.limits.MaxWait {
		return 0, &WaitError{Installation: installation, Wait: wait, Reason: reason}
	}
	if write {
		st.paceAt = maxTime(st.paceAt, at).Add(p.interval)
		st.writes = append(st.writes, at)
	}
	if st.budgetKnown {
		st.remaining-- // the answer will say exactly
	}
	return wait, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// dropOlder drops the times before cutoff from the front of ts.
func dropOlder(ts []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ts) && ts[i].Before(cutoff) {
		i++
	}
	if i == 0 {
		return ts
	}
	return append(ts[:0], ts[i:]...)
}

// observe reads the primary budget from an answer and, for a write that
// hit a secondary limit, stops the installation's writes for its wait.
func (p *Pacer) observe(installation int64, resp *http.Response, secondaryWait time.Duration, limited bool) {
	remaining, reset, ok := primaryBudget(resp.Header)
	p.mu.Lock()
	st := p.state[installation]
	if st == nil {
		st = &installationPace{}
		p.state[installation] = st
	}
	if ok {
		st.budgetKnown, st.remaining, st.reset = true, remaining, reset
	}
	if limited {
		until := p.clock.Now().Add(secondaryWait)
		if until.After(st.writesBlockedUntil) {
			st.writesBlockedUntil = until
		}
	}
	p.mu.Unlock()
	if ok {
		p.observer.Budget(installation, remaining)
	}
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type noObserver struct{}

func (noObserver) WritePaced(int64, time.Duration) {}
func (noObserver) Budget(int64, int)               {}
