package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/riverqueue/river"
)

// Fairness between installations. River runs jobs in priority order, then
// oldest first, and has no limit per key; an organisation that delivers
// two thousand failed runs at once would otherwise have every worker, and
// everyone else would wait for its backlog. Two rules keep it to its part:
//
//  1. At intake, a job's priority comes from how much its installation
//     queued lately (admission): the first jobs of a quiet installation go
//     ahead of a busy one's backlog. An installation that queues faster
//     than one job every AdmissionSpacing, about the pace GitHub lets one
//     installation write its reports, has the jobs beyond a burst spread
//     out at that pace (a frontier per installation, as a leaky bucket):
//     they become due when their writes could go, instead of holding
//     workers that would wait for them. One that stays under the pace is
//     never delayed, however many jobs it queues in an hour. Each process
//     counts what it admitted; with replicas behind a load balancer each
//     sees a like share, so the counts stay close.
//  2. At dispatch, a job whose installation already has its share of the
//     workers running (counted in the database, so across every replica)
//     is put back for a moment instead of taking another worker (a
//     deferral, which costs no attempt and is not counted as a rate-limit
//     snooze) when another installation's job is waiting, or when it would
//     take this process's last idle worker: an installation alone uses
//     every worker but one.

// admissionHalfLife is how fast an installation's recent count fades.
const admissionHalfLife = time.Minute

// admissionFree is how many jobs an installation may queue at once and
// have due at once; Options.AdmissionSpacing spreads the ones beyond: a
// run's report takes two or three writes, and GitHub lets an installation
// write about one a second once its burst is spent.
const (
	admissionFree           = 10
	defaultAdmissionSpacing = 2 * time.Second
	// admissionMaxDelay bounds the spreading: beyond it the pacing of the
	// writes and the share of the workers keep the order.
	admissionMaxDelay = time.Hour
)

// admission gives each job its River priority (1 first, 4 last) from how
// many jobs its installation queued lately.
type admission struct {
	mu     sync.Mutex
	now    func() time.Time
	scores map[int64]*recentCount
	calls  int
	// spacing is the time between an installation's jobs beyond its
	// first ones; zero due them all at once.
	spacing time.Duration
}

type recentCount struct {
	n  float64
	at time.Time
	// next is the installation's frontier: when its next job would be
	// due if it had no burst left (see admit).
	next time.Time
}

func newAdmission(now func() time.Time, spacing time.Duration) *admission {
	if now == nil {
		now = time.Now
	}
	return &admission{now: now, scores: map[int64]*recentCount{}, spacing: spacing}
}

// admit counts a job of installation and returns its priority, up to 10
// recent jobs 1, up to 100 2, up to 1,000 3, beyond 4, and how long after
// now it is due (see Options.AdmissionSpacing): each job moves the
// installation's frontier one spacing on from itself or from now, whichever
// is later, and is due admissionFree-1 spacings before the frontier it
// found, or now. Work that is not an installation's (installation 0) is
// always 1, at once.
func (a *admission) admit(installation int64) (int, time.Duration) {
	p := a.priority(installation)
	if installation == 0 || a.spacing <= 0 {
		return p, 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	c := a.scores[installation]
	next := c.next
	if next.Before(now) {
		next = now
	}
	c.next = next.Add(a.spacing)
	due := next.Add(-time.Duration(admissionFree-1) * a.spacing)
	if !due.After(now) {
		return p, 0
	}
	return p, min(admissionMaxDelay, due.Sub(now))
}

// priority counts a job of installation and returns its priority.
func (a *admission) priority(installation int64) int {
	if installation == 0 {
		return 1
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	c := a.scores[installation]
	if c == nil {
		c = &recentCount{at: now}
		a.scores[installation] = c
	}
	c.n = decayed(c, now) + 1
	c.at = now
	a.calls++
	if a.calls%1024 == 0 {
		a.forgetQuiet(now)
	}
	switch {
	case c.n <= 10:
		return 1
	case c.n <= 100:
		return 2
	case c.n <= 1000:
		return 3
	}
	return 4
}

func decayed(c *recentCount, now time.Time) float64 {
	return c.n * math.Exp2(-now.Sub(c.at).Seconds()/admissionHalfLife.Seconds())
}

// forgetQuiet drops installations whose count has faded away and whose
// spread-out jobs are all due.
func (a *admission) forgetQuiet(now time.Time) {
	for id, c := range a.scores {
		if decayed(c, now) < 0.01 && !c.next.After(now) {
			delete(a.scores, id)
		}
	}
}

// runningCounter counts the running jobs of an installation, across every
// process on the database.
type runningCounter interface {
	runningFor(ctx context.Context, installation int64) (int, error)
	// othersWaiting reports whether a job of another installation is due
	// and waiting for a worker.
	othersWaiting(ctx context.Context, installation int64) (bool, error)
}

// fairDeferral is how long a job waits when its installation has its share
// of the workers; jittered so deferred jobs do not come back together.
func fairDeferral() time.Duration {
	return time.Second + rand.N(time.Second)
}

// deferrals is how often the job was deferred so far, from the output it
// recorded (see recordDeferral).
func deferrals(metadata []byte) int {
	var m struct {
		Output struct {
			Deferrals int `json:"deferrals"`
		} `json:"output"`
	}
	if len(metadata) == 0 || json.Unmarshal(metadata, &m) != nil {
		return 0
	}
	return m.Output.Deferrals
}

// deferJob puts the job back for wait without using an attempt. River
// counts every snooze in the job's metadata; the deferrals are recorded
// beside it so that only snoozes for GitHub's own rate limits count
// towards maxSnoozes.
func deferJob(ctx context.Context, metadata []byte, wait time.Duration) error {
	if err := river.RecordOutput(ctx, map[string]int{"deferrals": deferrals(metadata) + 1}); err != nil {
		return fmt.Errorf("recording a deferral: %w", err)
	}
	return river.JobSnooze(wait)
}

// rateLimitSnoozes is how often the job was snoozed for a GitHub rate limit.
func rateLimitSnoozes(metadata []byte) int {
	return max(0, snoozes(metadata)-deferrals(metadata))
}
