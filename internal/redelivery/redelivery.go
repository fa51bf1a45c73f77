// Package redelivery finds webhook deliveries that never reached the bot
// (it was down, or answered with an error) and asks GitHub to send them
// again, once per delivery, as GitHub's documentation recommends: GitHub
// never redelivers on its own.
package redelivery

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

// Job kinds.
const (
	KindScan      = "scan_deliveries"
	KindRedeliver = "redeliver"
)

// Delivery is one attempt GitHub made to deliver a webhook.
type Delivery struct {
	ID          int64
	GUID        string
	DeliveredAt time.Time
	// OK is true when the bot answered with a 2xx.
	OK         bool
	Redelivery bool
	Event      string
}

// Deliveries is the app's webhook delivery log (it needs the app's JWT).
type Deliveries interface {
	// List returns one page, newest first, and the cursor of the next ("" at the end).
	List(ctx context.Context, cursor string) ([]Delivery, string, error)
	Redeliver(ctx context.Context, deliveryID int64) error
}

// Scanner decides which deliveries to redeliver.
type Scanner struct {
	Deliveries Deliveries
	Queue      queue.Enqueuer
	// Window is how far back to look; it must stay below the queue's job
	// retention, which is what makes "once per GUID" hold.
	Window time.Duration
	// Settle skips deliveries younger than this, which may still be in flight.
	Settle time.Duration
	Now    func() time.Time
	// BackoffBase and BackoffMax bound the wait after a failed listing
	// (GitHub unreachable, or refusing): scans are skipped until it has
	// passed, and it doubles with each failure. 1 minute and 1 hour when zero.
	BackoffBase, BackoffMax time.Duration

	mu       sync.Mutex
	failures int
	retryAt  time.Time
}

// skip reports whether a scan at now falls in the back-off after failures.
func (s *Scanner) skip(now time.Time) (bool, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return now.Before(s.retryAt), s.retryAt
}

// failed records a failed listing and returns when to try again.
func (s *Scanner) failed(now time.Time) time.Time {
	base, max := s.BackoffBase, s.BackoffMax
	if base <= 0 {
		base = time.Minute
	}
	if max <= 0 {
		max = time.Hour
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	wait := base
	for i := 0; i < s.failures && wait < max; i++ {
		wait *= 2
	}
	s.failures++
	s.retryAt = now.Add(min(wait, max))
	return s.retryAt
}

func (s *Scanner) succeeded() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures, s.retryAt = 0, time.Time{}
}

// redeliverArgs is the payload of a KindRedeliver job.
type redeliverArgs struct {
	DeliveryID int64  `json:"delivery_id"`
	GUID       string `json:"guid"`
	Event      string `json:"event"`
}

// Scan pages through recent deliveries and queues one redelivery for every
// GUID that has no successful delivery. Jobs are unique by GUID. While
// listing fails, the scan is not retried (the next period's scan looks back
// over the same window) and scans back off, so an unreachable GitHub does
// not pile up retrying jobs.
func (s *Scanner) Scan(ctx context.Context, _ queue.Job) error {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	if skip, until := s.skip(now); skip {
		zerolog.Ctx(ctx).Debug().Time("retry_at", until).Msg("Not looking for missed webhook deliveries yet: listing them failed, backing off.")
		return nil
	}
	oldest := now.Add(-s.Window)
	type guidState struct {
		ok     bool
		latest Delivery
	}
	byGUID := map[string]*guidState{}
	var order []string
	cursor := ""
	for page := 0; page < 100; page++ {
		items, next, err := s.Deliveries.List(ctx, cursor)
		if err != nil {
			until := s.failed(now)
			return queue.Permanent(fmt.Errorf("listing webhook deliveries (next try after %s): %w", until.UTC().Format(time.RFC3339), err))
		}
		done := false
		for _, d := range items {
			if d.DeliveredAt.Before(oldest) {
				done = true
				continue
			}
			st, ok := byGUID[d.GUID]
			if !ok {
				st = &guidState{latest: d}
				byGUID[d.GUID] = st
				order = append(order, d.GUID)
			}
			st.ok = st.ok || d.OK
		}
		if done || next == "" {
			break
		}
		cursor = next
	}
	s.succeeded()
	queued := 0
	for _, guid := range order {
		st := byGUID[guid]
		if st.ok || now.Sub(st.latest.DeliveredAt) < s.Settle {
			continue
		}
		job, err := queue.NewJob(KindRedeliver, "redeliver:"+guid, guid,
			redeliverArgs{DeliveryID: st.latest.ID, GUID: guid, Event: st.latest.Event})
		if err != nil {
			return err
		}
		if err := s.Queue.Enqueue(ctx, job); err != nil {
			return fmt.Errorf("queueing redelivery of %s: %w", guid, err)
		}
		queued++
	}
	zerolog.Ctx(ctx).Info().Int("guids", len(order)).Int("queued", queued).Msg("Looked for missed webhook deliveries.")
	return nil
}

// Redeliver is the KindRedeliver job: ask GitHub to send the delivery again.
func Redeliver(d Deliveries) queue.Handler {
	return func(ctx context.Context, job queue.Job) error {
		var args redeliverArgs
		if err := unmarshal(job.Payload, &args); err != nil {
			return queue.Permanent(fmt.Errorf("decoding redelivery job: %w", err))
		}
		if err := d.Redeliver(ctx, args.DeliveryID); err != nil {
			return fmt.Errorf("redelivering %s (%d): %w", args.GUID, args.DeliveryID, err)
		}
		zerolog.Ctx(ctx).Info().Str("guid", args.GUID).Str("event", args.Event).Msg("Asked GitHub to redeliver a missed webhook.")
		return nil
	}
}

// ScanJob is the periodic job that runs Scan; its key names the period,
// so each period's scan runs once across replicas.
func ScanJob(every time.Duration) func(now time.Time) queue.Job {
	return func(now time.Time) queue.Job {
		slot := now.Truncate(every).Unix()
		return queue.Job{Kind: KindScan, Key: fmt.Sprintf("%s:%d", KindScan, slot), Payload: []byte("{}")}
	}
}
