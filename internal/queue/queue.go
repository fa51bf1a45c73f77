// Package queue runs accepted webhook work off the request path: jobs of a
// kind go to the handler registered for that kind, on a bounded pool of
// workers, with retries for transient failures. A job's key makes
// duplicates (a redelivered webhook) a no-op while the first is known.
package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Job is one unit of background work.
type Job struct {
	// Kind selects the handler ("diagnose_run", "command", …).
	Kind string `json:"kind"`
	// Key identifies the work; a second job with the same key is dropped.
	Key string `json:"key"`
	// DeliveryID is the webhook delivery the job came from, for logs.
	DeliveryID string          `json:"delivery_id"`
	Payload    json.RawMessage `json:"payload"`
}

// NewJob builds a job with payload marshalled to JSON.
func NewJob(kind, key, deliveryID string, payload any) (Job, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return Job{}, fmt.Errorf("encoding %s job: %w", kind, err)
	}
	return Job{Kind: kind, Key: key, DeliveryID: deliveryID, Payload: raw}, nil
}

// Handler does the work of one job kind.
type Handler func(ctx context.Context, job Job) error

// Enqueuer accepts jobs.
type Enqueuer interface {
	Enqueue(ctx context.Context, job Job) error
}

// ErrFull is returned when the queue cannot take more work.
var ErrFull = errors.New("queue is full")

// ErrClosed is returned after shutdown began.
var ErrClosed = errors.New("queue is shutting down")

// permanent marks an error that retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err so the queue does not retry the job.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was marked permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}
