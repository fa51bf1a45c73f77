package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/rs/zerolog"
)

// Durable is a queue whose jobs live in a database, so they survive crashes,
// restarts and deploys, and are shared by every process on that database.
type Durable struct {
	start  func(context.Context) error
	stop   func(context.Context) error
	cancel func(context.Context) error
	batch  *batcher
	admit  *admission
	// heat, move, wake and the pump channels run the intake (intake.go).
	heat     *intakeHeat
	move     func(ctx context.Context, limit int) (int, error)
	wake     chan struct{}
	poll     time.Duration
	pumpStop chan struct{}
	pumpDone chan struct{}
	pumping  atomic.Bool
	events   func(kinds ...river.EventKind) (<-chan *river.Event, func())
	db       database
	logger   zerolog.Logger
	metrics  Metrics
	done     chan struct{}

	shutdownOnce sync.Once
	shutdownErr  error
}

// database is what the queue needs of its store beyond River.
type database interface {
	Ping(ctx context.Context) error
	// Count counts jobs in the given states.
	Count(ctx context.Context, states ...string) (int, error)
	Close() error
	// serialiseMigration runs migrate while no other process on the same
	// database migrates it.
	serialiseMigration(ctx context.Context, migrate func(context.Context) error) error
	serialiser
	marks
	runningCounter
	// depthByInstallation counts the waiting jobs of each installation.
	depthByInstallation(ctx context.Context) (map[int64]int, error)
	intakeStore
}

// newDurable migrates the schema and builds a River client on the driver.
func newDurable[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], db database, mover intakeMover[TTx], opts Options,
	handlers map[string]Handler, logger zerolog.Logger, m Metrics) (*Durable, error) {
	opts.fill()
	if m == nil {
		m = noMetrics{}
	}
	migrator, err := rivermigrate.New(driver, nil)
	if err != nil {
		return nil, fmt.Errorf("preparing queue migrations: %w", err)
	}
	err = db.serialiseMigration(ctx, func(ctx context.Context) error {
		if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return err
		}
		if err := db.createMarks(ctx); err != nil {
			return err
		}
		return db.createIntake(ctx)
	})
	if err != nil {
		return nil, fmt.Errorf("migrating the queue schema: %w", err)
	}
	heat := newIntakeHeat(nil, defaultHotCount, defaultHotWindow, defaultCalm, defaultMaxHold)
	cfg, err := opts.riverConfig(handlers, db, heat, logger)
	if err != nil {
		return nil, err
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("creating queue client: %w", err)
	}
	q := &Durable{
		start:    client.Start,
		stop:     client.Stop,
		cancel:   client.StopAndCancel,
		admit:    newAdmission(nil, opts.AdmissionSpacing),
		heat:     heat,
		wake:     make(chan struct{}, 1),
		poll:     opts.PollInterval,
		pumpStop: make(chan struct{}),
		pumpDone: make(chan struct{}),
		events:   client.Subscribe,
		db:       db,
		logger:   logger,
		metrics:  m,
		done:     make(chan struct{}),
	}
	q.move = newIntakePump(mover, client.InsertManyTx, func(key string) {
		logger.Info().Str("job_key", key).Msg("Dropping a duplicate job.")
	})
	q.batch = newBatcher(q.appendIntake, opts.BatchWindow, defaultBatchSize)
	return q, nil
}

// Start begins working jobs; it returns at once.
func (q *Durable) Start(ctx context.Context) error {
	events, unsubscribe := q.events(river.EventKindJobCompleted, river.EventKindJobFailed,
		river.EventKindJobCancelled, river.EventKindJobSnoozed)
	go q.observe(events, unsubscribe)
	go q.watchDepth()
	if q.pumping.CompareAndSwap(false, true) {
		go q.pump(q.poll)
	}
	if err := q.start(ctx); err != nil {
		return fmt.Errorf("starting the queue: %w", err)
	}
	return nil
}

// Enqueue stores a job; a job whose key is already known is dropped. It
// returns once the job is stored in the intake, in a transaction shared
// with the jobs enqueued at the same moment (see batch.go); the pump
// hands it to the workers (see intake.go).
func (q *Durable) Enqueue(ctx context.Context, job Job) error {
	args := jobArgs{Job: job, UniqueKey: job.Key}
	var delay time.Duration
	args.priority, delay = q.admit.admit(job.Installation)
	if delay > 0 {
		args.dueAt = time.Now().Add(delay)
	}
	dup, err := q.batch.add(ctx, args)
	if err != nil {
		return fmt.Errorf("%w: storing job %s: %v", ErrUnavailable, job.Key, err)
	}
	if dup {
		zerolog.Ctx(ctx).Info().Str("job_key", job.Key).Msg("Dropping a duplicate job.")
	}
	return nil
}

// Shutdown stops fetching jobs and waits for those running until ctx ends;
// then it cancels them, and they are retried by whichever process runs next.
// Calling it again returns the first call's result.
func (q *Durable) Shutdown(ctx context.Context) error {
	q.shutdownOnce.Do(func() { q.shutdownErr = q.shutdown(ctx) })
	return q.shutdownErr
}

func (q *Durable) shutdown(ctx context.Context) error {
	defer close(q.done)
	defer q.db.Close()
	// Store what was handed over before the workers stop; nothing new is taken.
	q.batch.close()
	q.stopPump()
	err := q.stop(ctx)
	if err == nil {
		return nil
	}
	q.logger.Warn().Err(err).Msg("Jobs still running at the end of the shutdown period; cancelling them.")
	cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(err, q.cancel(cctx))
}

// Ping checks the database.
func (q *Durable) Ping(ctx context.Context) error { return q.db.Ping(ctx) }

// Pending counts jobs not yet finished: in the intake, waiting, scheduled,
// retrying or running.
func (q *Durable) Pending(ctx context.Context) (int, error) {
	// The intake first: a job the pump moves in between is then counted
	// twice rather than not at all.
	waiting, err := q.db.countIntake(ctx)
	if err != nil {
		return 0, err
	}
	n, err := q.db.Count(ctx, "available", "pending", "retryable", "running", "scheduled")
	if err != nil {
		return 0, err
	}
	return n + waiting, nil
}

// Wait blocks until no job is pending, polling the database.
func (q *Durable) Wait(ctx context.Context) error {
	for {
		n, err := q.Pending(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d pending jobs: %w", n, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (q *Durable) observe(events <-chan *river.Event, unsubscribe func()) {
	defer unsubscribe()
	for {
		select {
		case <-q.done:
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			kind := ev.Job.Kind
			var args jobArgs
			if err := unmarshalArgs(ev.Job.EncodedArgs, &args); err == nil {
				kind = args.Job.Kind
			}
			took := time.Duration(0)
			if ev.JobStats != nil {
				took = ev.JobStats.QueueWaitDuration + ev.JobStats.RunDuration
			}
			q.metrics.Done(kind, outcomeOf(ev), took)
		}
	}
}

func (q *Durable) watchDepth() {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if n, err := q.db.Count(ctx, "available", "retryable", "scheduled"); err == nil {
			// Jobs accepted but not yet handed on wait too.
			if accepted, err := q.db.countIntake(ctx); err == nil {
				n += accepted
			}
			q.metrics.Depth(n)
		}
		if im, ok := q.metrics.(InstallationMetrics); ok {
			if byInst, err := q.db.depthByInstallation(ctx); err == nil {
				im.InstallationDepth(byInst)
			}
		}
		cancel()
		select {
		case <-q.done:
			return
		case <-t.C:
		}
	}
}

// Outcomes of one attempt of a job, as Metrics.Done is told them.
const (
	OutcomeOK = "ok"
	// OutcomeRetry is a failed attempt with attempts left.
	OutcomeRetry = "retry"
	// OutcomeFailed is a failed last attempt.
	OutcomeFailed = "failed"
	// OutcomeCancelled is a permanent error: no retry.
	OutcomeCancelled = "cancelled"
	// OutcomeSnoozed is an attempt put off (a rate limit).
	OutcomeSnoozed = "snoozed"
)

// Outcomes are every outcome Metrics.Done is told.
var Outcomes = []string{OutcomeOK, OutcomeRetry, OutcomeFailed, OutcomeCancelled, OutcomeSnoozed}

// outcomeOf names a job event for metrics: ok, retry, failed (no attempts
// left), cancelled (permanent error) or snoozed (rate limit).
func outcomeOf(ev *river.Event) string {
	switch ev.Kind {
	case river.EventKindJobCompleted:
		return OutcomeOK
	case river.EventKindJobCancelled:
		return OutcomeCancelled
	case river.EventKindJobSnoozed:
		return OutcomeSnoozed
	case river.EventKindJobFailed:
		if ev.Job.Attempt >= ev.Job.MaxAttempts {
			return OutcomeFailed
		}
		return OutcomeRetry
	}
	return string(ev.Kind)
}
