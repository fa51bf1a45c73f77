package queue

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Memory is an in-process queue: fast, but it forgets its jobs when the
// process stops.
type Memory struct {
	handlers map[string]Handler
	jobs     chan Job
	logger   zerolog.Logger
	metrics  Metrics
	// Attempts is how often a job is tried before it is given up.
	Attempts int
	// Backoff is the wait before the first retry; it doubles each time.
	Backoff time.Duration

	mu      sync.Mutex
	seen    map[string]time.Time
	closed  bool
	pending sync.WaitGroup
	workers sync.WaitGroup
	baseCtx context.Context
	cancel  context.CancelFunc
}

// Metrics observes the queue; all methods must be safe for concurrent use.
type Metrics interface {
	Depth(n int)
	Done(kind, outcome string, took time.Duration)
}

type noMetrics struct{}

func (noMetrics) Depth(int)                          {}
func (noMetrics) Done(string, string, time.Duration) {}

// NewMemory starts workers that run jobs with the handlers by kind.
func NewMemory(workers, size int, handlers map[string]Handler, logger zerolog.Logger, m Metrics) *Memory {
	if m == nil {
		m = noMetrics{}
	}
	if workers < 1 {
		workers = 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := &Memory{handlers: handlers, jobs: make(chan Job, size), logger: logger, metrics: m,
		Attempts: 3, Backoff: time.Second, seen: map[string]time.Time{}, baseCtx: ctx, cancel: cancel}
	for range workers {
		q.workers.Add(1)
		go q.work()
	}
	return q
}

// dedupWindow is how long a job key is remembered.
const dedupWindow = 24 * time.Hour

// Enqueue accepts a job, or drops it when its key was seen recently.
func (q *Memory) Enqueue(ctx context.Context, job Job) error {
	if _, ok := q.handlers[job.Kind]; !ok {
		return fmt.Errorf("no handler for job kind %q", job.Kind)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	now := time.Now()
	if t, ok := q.seen[job.Key]; ok && now.Sub(t) < dedupWindow {
		zerolog.Ctx(ctx).Info().Str("job_key", job.Key).Msg("Dropping a duplicate job.")
		return nil
	}
	select {
	case q.jobs <- job:
		q.seen[job.Key] = now
		q.pending.Add(1)
		q.metrics.Depth(len(q.jobs))
		return nil
	default:
		return ErrFull
	}
}

func (q *Memory) work() {
	defer q.workers.Done()
	for job := range q.jobs {
		q.metrics.Depth(len(q.jobs))
		q.run(job)
		q.pending.Done()
	}
}

func (q *Memory) run(job Job) {
	logger := q.logger.With().Str("job_kind", job.Kind).Str("job_key", job.Key).Str("github_delivery_id", job.DeliveryID).Logger()
	ctx := logger.WithContext(q.baseCtx)
	start := time.Now()
	backoff := q.Backoff
	for attempt := 1; ; attempt++ {
		err := q.handlers[job.Kind](ctx, job)
		if err == nil {
			q.metrics.Done(job.Kind, "ok", time.Since(start))
			return
		}
		if IsPermanent(err) || attempt >= q.Attempts || ctx.Err() != nil {
			logger.Error().Err(err).Int("attempt", attempt).Msg("Job failed.")
			q.metrics.Done(job.Kind, "failed", time.Since(start))
			q.forget(job.Key)
			return
		}
		logger.Warn().Err(err).Int("attempt", attempt).Dur("retry_in", backoff).Msg("Job failed; retrying.")
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
		}
		backoff *= 2
	}
}

// forget lets a failed job's key be queued again, by a redelivery say.
func (q *Memory) forget(key string) {
	q.mu.Lock()
	delete(q.seen, key)
	q.mu.Unlock()
}

// Wait blocks until every accepted job has finished.
func (q *Memory) Wait() { q.pending.Wait() }

// Shutdown stops accepting jobs and waits for those accepted, up to ctx's
// deadline, after which running jobs are cancelled.
func (q *Memory) Shutdown(ctx context.Context) error {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.jobs)
	}
	q.mu.Unlock()
	done := make(chan struct{})
	go func() { q.workers.Wait(); close(done) }()
	select {
	case <-done:
		q.cancel()
		return nil
	case <-ctx.Done():
		q.cancel()
		<-done
		return fmt.Errorf("queue shutdown: %w", ctx.Err())
	}
}
