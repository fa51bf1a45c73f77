package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Group commit: webhooks arrive from many connections at once, and each
// must be stored before it is answered. One transaction per delivery makes
// the database's commit the bottleneck (SQLite has one writer); the
// batcher stores the deliveries waiting at that moment in one transaction
// and answers each when it has committed. Under no load a batch is one job
// and waits no longer than the window; under load batches grow by
// themselves, because jobs gather while the previous batch commits.
//
// Nothing is answered before it is stored, so nothing acknowledged is
// lost: a batch that fails answers every caller in it with ErrUnavailable
// (their webhooks get 503 and GitHub delivers them again), and a caller
// that gave up waiting may still find its job stored, which the job's
// unique key makes harmless when the delivery comes again.

const (
	// defaultBatchWindow is how long a batch waits for company once its
	// first job arrived; short next to a webhook's round trip.
	defaultBatchWindow = 2 * time.Millisecond
	// defaultBatchSize bounds one transaction.
	defaultBatchSize = 100
	// batchTimeout bounds one batch's transaction.
	batchTimeout = 10 * time.Second
)

// errBatcherClosed answers jobs enqueued after the queue began shutting down.
var errBatcherClosed = errors.New("the queue is shutting down")

// insertManyFunc stores jobs in one transaction and reports, per job,
// whether it was a duplicate of a stored one.
type insertManyFunc func(ctx context.Context, jobs []jobArgs) ([]bool, error)

// pendingInsert is one job waiting for its batch.
type pendingInsert struct {
	ctx  context.Context
	job  jobArgs
	done chan insertResult
}

type insertResult struct {
	duplicate bool
	err       error
}

// batcher gathers concurrent inserts into transactions.
type batcher struct {
	insert insertManyFunc
	window time.Duration
	size   int

	in     chan *pendingInsert
	mu     sync.RWMutex // guards closed against sends on in
	closed bool
	done   chan struct{}
}

func newBatcher(insert insertManyFunc, window time.Duration, size int) *batcher {
	if size <= 0 {
		size = defaultBatchSize
	}
	b := &batcher{insert: insert, window: window, size: size, in: make(chan *pendingInsert, size), done: make(chan struct{})}
	go b.loop()
	return b
}

// add stores job with the others waiting and reports whether it was a
// duplicate; it returns once the job's batch has committed or failed.
func (b *batcher) add(ctx context.Context, job jobArgs) (bool, error) {
	p := &pendingInsert{ctx: ctx, job: job, done: make(chan insertResult, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return false, errBatcherClosed
	}
	select {
	case b.in <- p:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return false, fmt.Errorf("waiting to store the job: %w", ctx.Err())
	}
	select {
	case r := <-p.done:
		return r.duplicate, r.err
	case <-ctx.Done():
		// The batch may still store it; the unique key keeps a second
		// delivery of the same webhook from running it twice.
		return false, fmt.Errorf("waiting for the job to be stored: %w", ctx.Err())
	}
}

// close stores what was already handed over, then stops; add fails from now on.
func (b *batcher) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.in)
	}
	b.mu.Unlock()
	<-b.done
}

func (b *batcher) loop() {
	defer close(b.done)
	for first := range b.in {
		batch := b.gather(first)
		b.commit(batch)
	}
}

// gather takes first, every job already waiting, and those arriving within
// the window, up to the batch size.
func (b *batcher) gather(first *pendingInsert) []*pendingInsert {
	batch := []*pendingInsert{first}
	var deadline <-chan time.Time
	if b.window > 0 {
		t := time.NewTimer(b.window)
		defer t.Stop()
		deadline = t.C
	}
	for len(batch) < b.size {
		select {
		case p, ok := <-b.in:
			if !ok {
				return batch
			}
			batch = append(batch, p)
			continue
		default:
		}
		if deadline == nil {
			return batch
		}
		select {
		case p, ok := <-b.in:
			if !ok {
				return batch
			}
			batch = append(batch, p)
		case <-deadline:
			return batch
		}
	}
	return batch
}

// commit stores the batch's live jobs in one transaction and answers each.
func (b *batcher) commit(batch []*pendingInsert) {
	live := batch[:0:0]
	for _, p := range batch {
		if err := p.ctx.Err(); err != nil {
			p.done <- insertResult{err: fmt.Errorf("waiting to store the job: %w", err)}
			continue
		}
		live = append(live, p)
	}
	if len(live) == 0 {
		return
	}
	// One key twice in a batch (a delivery sent again while the first was
	// being stored) is stored once; the second is its duplicate.
	jobs := make([]jobArgs, 0, len(live))
	slot := make([]int, len(live))
	firstOf := make(map[string]int, len(live))
	for i, p := range live {
		if j, ok := firstOf[p.job.UniqueKey]; ok {
			slot[i] = -1 - j
			continue
		}
		firstOf[p.job.UniqueKey] = len(jobs)
		slot[i] = len(jobs)
		jobs = append(jobs, p.job)
	}
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	dups, err := b.insert(ctx, jobs)
	if err == nil && len(dups) != len(jobs) {
		err = fmt.Errorf("stored %d jobs, expected %d", len(dups), len(jobs))
	}
	for i, p := range live {
		switch {
		case err != nil:
			p.done <- insertResult{err: fmt.Errorf("storing a batch of %d jobs: %w", len(jobs), err)}
		case slot[i] < 0:
			p.done <- insertResult{duplicate: true}
		default:
			p.done <- insertResult{duplicate: dups[slot[i]]}
		}
	}
}
