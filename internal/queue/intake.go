package queue

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Intake: a delivery is answered once its job is durably stored, and the
// cheapest durable store is a plain row. Enqueue appends the job to the
// intake table (in group commits, see batch.go) and returns; a pump in the
// background hands the rows to River in batches, deleting them in the
// same transaction, and at start takes what a crash left. While the
// intake is hot (heat.go) the pump waits, so River's costlier unique
// inserts happen after the burst. A job's key is unique in the intake and
// in River, so a redelivered webhook stays a no-op.

const (
	// pumpBatch bounds one move: short enough that the intake's appends,
	// which share SQLite's one connection, wait little for it.
	pumpBatch = 100
	// pumpHoldPoll is how often a held pump looks at the heat again.
	pumpHoldPoll = 20 * time.Millisecond
	// pumpRetry is the wait after a failed move.
	pumpRetry = time.Second
)

// newIntakePump builds the move of one batch from the intake to River.
func newIntakePump[TTx any](mover intakeMover[TTx], insert func(context.Context, TTx, []river.InsertManyParams) ([]*rivertype.JobInsertResult, error),
	dropped func(key string)) func(context.Context, int) (int, error) {
	return func(ctx context.Context, limit int) (int, error) {
		return mover.moveIntake(ctx, limit, func(ctx context.Context, tx TTx, jobs []jobArgs) error {
			res, err := insert(ctx, tx, riverParams(jobs))
			if err != nil {
				return fmt.Errorf("handing %d jobs to the queue: %w", len(jobs), err)
			}
			for i, r := range res {
				if r.UniqueSkippedAsDuplicate {
					dropped(jobs[i].Key)
				}
			}
			return nil
		})
	}
}

// riverParams are the jobs as River inserts them, each at the priority
// and time its installation's admission gave it.
func riverParams(jobs []jobArgs) []river.InsertManyParams {
	params := make([]river.InsertManyParams, len(jobs))
	for i, a := range jobs {
		opts := a.InsertOpts()
		opts.Priority = a.priority
		opts.ScheduledAt = a.dueAt
		params[i] = river.InsertManyParams{Args: a, InsertOpts: &opts}
	}
	return params
}

// appendIntake is the batcher's store: the jobs in the intake table, the
// heat counted and the pump woken.
func (q *Durable) appendIntake(ctx context.Context, jobs []jobArgs) ([]bool, error) {
	dups, err := q.db.appendIntake(ctx, jobs)
	if err != nil {
		return nil, err
	}
	q.heat.record(len(jobs))
	q.wakePump()
	return dups, nil
}

func (q *Durable) wakePump() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// pump moves the intake to River whenever jobs were appended, and every
// poll interval for rows a crash or another replica left.
func (q *Durable) pump(poll time.Duration) {
	defer close(q.pumpDone)
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		q.drainIntake(true)
		select {
		case <-q.pumpStop:
			return
		case <-q.wake:
		case <-t.C:
		}
	}
}

// drainIntake moves batches until the intake is empty; yielding, it waits
// while the heat holds it.
func (q *Durable) drainIntake(yield bool) {
	for {
		for yield && q.heat.holding() {
			select {
			case <-q.pumpStop:
				return
			case <-time.After(pumpHoldPoll):
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
		n, err := q.move(ctx, pumpBatch)
		cancel()
		if err != nil {
			q.logger.Warn().Err(err).Msg("Could not hand accepted jobs to the queue; trying again.")
			if !yield {
				return
			}
			select {
			case <-q.pumpStop:
				return
			case <-time.After(pumpRetry):
			}
			continue
		}
		if n < pumpBatch {
			return
		}
	}
}

// stopPump ends the pump, then hands what is left to River: the intake
// rows are durable already, and whatever this misses the next start (or
// another replica) takes.
func (q *Durable) stopPump() {
	close(q.pumpStop)
	if q.pumping.Load() {
		<-q.pumpDone
	}
	q.drainIntake(false)
}
