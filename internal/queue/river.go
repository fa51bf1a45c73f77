package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/rs/zerolog"
)

// riverKind is the River job kind of every ghcr-doctor job; Job.Kind
// selects the handler inside it.
const riverKind = "ghcr_doctor"

// jobArgs is a Job as River stores it. Jobs are unique by Key in every
// state River keeps, so a redelivered webhook never runs twice.
type jobArgs struct {
	Job
	UniqueKey string `json:"unique_key" river:"unique"`
	// priority is River's priority of the job (1 first) and dueAt when it
	// may run (zero: at once), from its installation's admission; River
	// keeps them in columns of their own.
	priority int
	dueAt    time.Time
}

func (jobArgs) Kind() string { return riverKind }

func (jobArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		MaxAttempts: defaultMaxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStateCompleted, rivertype.JobStatePending,
			rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled,
		}},
	}
}

const defaultMaxAttempts = 8

// maxSnoozes bounds how often a job waits for a rate limit without it
// counting as an attempt. River's snoozes do not use up attempts, so
// without a bound a limit that never lifts would keep a job forever.
const maxSnoozes = 10

// snoozes is how often River snoozed the job so far (its metadata's count).
func snoozes(metadata []byte) int {
	var m struct {
		Snoozes int `json:"snoozes"`
	}
	if len(metadata) == 0 || json.Unmarshal(metadata, &m) != nil {
		return 0
	}
	return m.Snoozes
}

// Options tunes a River-backed queue.
type Options struct {
	// Workers is how many jobs run at once in this process.
	Workers int
	// JobTimeout bounds one attempt of a job.
	JobTimeout time.Duration
	// RescueAfter is when a job left running by a dead process is retried.
	RescueAfter time.Duration
	// PollInterval is how often idle workers look for jobs inserted elsewhere.
	PollInterval time.Duration
	// Retention is how long finished jobs (and so their unique keys) are kept.
	Retention time.Duration
	// Periodic jobs run by one process only: the elected leader.
	Periodic []Periodic
	// ID names this process among replicas.
	ID string
	// RetryBase is the wait before the first retry; it doubles each attempt.
	RetryBase time.Duration
	// ConnectTimeout bounds connecting to PostgreSQL at start, unless its
	// URL sets connect_timeout.
	ConnectTimeout time.Duration
	// InstallationShare is how many jobs of one installation may run at
	// once, across every process on the database (see fair.go); 0 means
	// half the workers, at least one.
	InstallationShare int
	// BatchWindow is how long a job being stored waits for others to share
	// its transaction (see batch.go); 0 means 2 ms, negative none.
	BatchWindow time.Duration
	// AdmissionSpacing spreads an installation's jobs beyond its first
	// ones in time (see fair.go); 0 means 2 s, negative none (when the
	// App's writes are not paced).
	AdmissionSpacing time.Duration
}

// Periodic is a job queued at an interval by the leader.
type Periodic struct {
	Every time.Duration
	// Job builds the job; its Key should include the period so each runs once.
	Job func(now time.Time) Job
}

func (o *Options) fill() {
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = 5 * time.Minute
	}
	if o.RescueAfter <= o.JobTimeout {
		o.RescueAfter = o.JobTimeout + time.Minute
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Retention <= 0 {
		o.Retention = 72 * time.Hour
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 5 * time.Second
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = 15 * time.Second
	}
	if o.InstallationShare <= 0 {
		o.InstallationShare = max(1, o.Workers/2)
	}
	// Negative means none and stays negative, so that filling twice (as
	// OpenPostgres and newDurable do) cannot turn "none" into the default.
	if o.AdmissionSpacing == 0 {
		o.AdmissionSpacing = defaultAdmissionSpacing
	}
	if o.BatchWindow == 0 {
		o.BatchWindow = defaultBatchWindow
	}
}

// backoff retries after RetryBase, doubling each attempt up to an hour.
type backoff struct{ base time.Duration }

func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	d := b.base
	for i := 1; i < job.Attempt && d < time.Hour; i++ {
		d *= 2
	}
	return time.Now().Add(min(d, time.Hour))
}

func (o Options) riverConfig(handlers map[string]Handler, db database, heat *intakeHeat, logger zerolog.Logger) (*river.Config, error) {
	workers := river.NewWorkers()
	w := &worker{handlers: handlers, serial: db, running: db, share: o.InstallationShare, workers: int64(o.Workers), heat: heat, logger: logger}
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return nil, fmt.Errorf("registering worker: %w", err)
	}
	cfg := &river.Config{
		ID:                          o.ID,
		Queues:                      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}},
		Workers:                     workers,
		JobTimeout:                  o.JobTimeout,
		RescueStuckJobsAfter:        o.RescueAfter,
		FetchPollInterval:           o.PollInterval,
		FetchCooldown:               min(o.PollInterval, 100*time.Millisecond),
		CompletedJobRetentionPeriod: o.Retention,
		CancelledJobRetentionPeriod: o.Retention,
		DiscardedJobRetentionPeriod: o.Retention,
		MaxAttempts:                 defaultMaxAttempts,
		RetryPolicy:                 backoff{o.RetryBase},
		Logger:                      slog.New(slog.NewJSONHandler(zerologWriter{logger}, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	for _, p := range o.Periodic {
		p := p
		cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(p.Every),
			func() (river.JobArgs, *river.InsertOpts) {
				j := p.Job(time.Now())
				return jobArgs{Job: j, UniqueKey: j.Key}, nil
			}, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	return cfg, nil
}

// zerologWriter sends River's own log lines to the server's log.
type zerologWriter struct{ logger zerolog.Logger }

func (w zerologWriter) Write(p []byte) (int, error) {
	w.logger.Warn().RawJSON("river", trimNewline(p)).Msg("Queue engine reported a problem.")
	return len(p), nil
}

func trimNewline(p []byte) []byte {
	if n := len(p); n > 0 && p[n-1] == '\n' {
		return p[:n-1]
	}
	return p
}

// worker runs a job with the handler of its kind and turns the outcome into
// River's terms: done, retry with backoff, snooze until a rate limit
// resets, defer while its installation has its share of the workers or
// its requests are paced, or cancel for errors that retrying cannot fix.
type worker struct {
	river.WorkerDefaults[jobArgs]
	handlers map[string]Handler
	serial   serialiser
	running  runningCounter
	// share is how many jobs of one installation may run at once while
	// other installations' jobs wait.
	share int
	// workers is this process's number of workers; inFlight how many run.
	workers  int64
	inFlight atomic.Int64
	// heat holds jobs back while deliveries pour in (heat.go).
	heat   *intakeHeat
	logger zerolog.Logger
}

// Deferrer is an error that puts a job back for a known time that is no
// failure: the App holding its own requests to GitHub's limits. It costs
// no attempt and no rate-limit snooze.
type Deferrer interface {
	error
	DeferFor() time.Duration
}

func (w *worker) Work(ctx context.Context, rj *river.Job[jobArgs]) error {
	job := rj.Args.Job
	logger := w.logger.With().Str("job_kind", job.Kind).Str("job_key", job.Key).
		Str("github_delivery_id", job.DeliveryID).Int("attempt", rj.Attempt).Logger()
	ctx = withAttempt(logger.WithContext(ctx), rj.Attempt, rj.MaxAttempts)
	h, ok := w.handlers[job.Kind]
	if !ok {
		return river.JobCancel(fmt.Errorf("no handler for job kind %q", job.Kind))
	}
	if err := w.yieldToIntake(ctx); err != nil {
		return err
	}
	busy := w.inFlight.Add(1)
	defer w.inFlight.Add(-1)
	if w.overShare(ctx, logger, job, busy) {
		return deferJob(ctx, rj.Metadata, fairDeferral())
	}
	err := w.run(ctx, h, job)
	if err == nil {
		return nil
	}
	var paced Deferrer
	if errors.As(err, &paced) {
		logger.Info().Err(err).Dur("wait", paced.DeferFor()).Msg("The installation's requests are paced; the job waits for its turn.")
		return deferJob(ctx, rj.Metadata, paced.DeferFor())
	}
	if wait, ok := RetryAfter(err); ok {
		if rateLimitSnoozes(rj.Metadata) < maxSnoozes {
			logger.Warn().Err(err).Dur("snooze", wait).Msg("GitHub rate limit; the job waits until it resets.")
			return river.JobSnooze(wait)
		}
		// A limit that never lifts must not keep the job waiting forever:
		// from now on it costs attempts, and the last one reports.
		logger.Warn().Err(err).Int("snoozes", maxSnoozes).Msg("GitHub kept rate limiting the job; counting this as a failed attempt.")
	}
	if IsPermanent(err) {
		logger.Error().Err(err).Msg("Job failed permanently; not retrying.")
		return river.JobCancel(err)
	}
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		// Shutting down or timed out: let another attempt pick it up.
		return err
	}
	if FinalAttempt(ctx) {
		logger.Error().Err(err).Msg("Job failed on its last attempt; giving up.")
		return err
	}
	logger.Warn().Err(err).Msg("Job failed; it will be retried.")
	return err
}

// yieldToIntake waits while the intake is hot, which the heat bounds: the
// delivery's answer is due within seconds, the job's report is not.
func (w *worker) yieldToIntake(ctx context.Context) error {
	for w.heat.holding() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pumpHoldPoll):
		}
	}
	return nil
}

// overShare reports whether the job must wait: its installation already
// runs its share of jobs (this one included) and either another
// installation's job is waiting, or running it would leave this process no
// idle worker for one that arrives. An installation alone thus uses every
// worker but one, not only its share. busy is this process's running jobs,
// this one included. A failed count lets the job run: fairness must never
// stop the work.
func (w *worker) overShare(ctx context.Context, logger zerolog.Logger, job Job, busy int64) bool {
	if job.Installation == 0 || w.share <= 0 || w.running == nil {
		return false
	}
	n, err := w.running.runningFor(ctx, job.Installation)
	if err != nil {
		logger.Warn().Err(err).Msg("Could not count the installation's running jobs; running this one.")
		return false
	}
	if n <= w.share {
		return false
	}
	if busy >= w.workers {
		return true
	}
	others, err := w.running.othersWaiting(ctx, job.Installation)
	if err != nil {
		logger.Warn().Err(err).Msg("Could not look for other installations' jobs; running this one.")
		return false
	}
	return others
}

// run runs the job's handler, holding the lock of its Serial if it has one.
func (w *worker) run(ctx context.Context, h Handler, job Job) error {
	if job.Serial == "" {
		return h(ctx, job)
	}
	if w.serial == nil {
		return river.JobCancel(errNoSerialiser)
	}
	unlock, err := w.serial.lockSerial(ctx, job.Serial)
	if err != nil {
		return err
	}
	defer unlock()
	return h(ctx, job)
}

// Timeout lets the client-wide JobTimeout apply.
func (w *worker) Timeout(*river.Job[jobArgs]) time.Duration { return 0 }
