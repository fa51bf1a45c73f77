// Package queue keeps accepted webhook work durably (River, on an embedded
// SQLite file or on PostgreSQL shared by replicas) and runs it off the
// request path: a job is accepted into a plain intake table and handed to
// River in the background (intake.go); jobs of a kind go to the handler
// registered for that kind, with retries for transient failures, snoozes
// for GitHub rate limits, and no retry for permanent errors. A job's key
// makes duplicates (a redelivered webhook) a no-op; jobs that share a
// serial key run one at a time, whichever process works them.
package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
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
	// Serial, when set, makes jobs with the same Serial run one at a time,
	// across every process on the queue's database.
	Serial string `json:"serial,omitempty"`
	// Installation is the GitHub App installation the job works for; jobs
	// of one installation share its fair part of the workers (see fair.go).
	// Zero is work of the App itself, never held back.
	Installation int64 `json:"installation,omitempty"`
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

// ErrUnavailable is returned when a job cannot be stored (the database is
// down); the webhook then gets a 503 so that it is redelivered.
var ErrUnavailable = errors.New("queue unavailable")

// Metrics observes the queue; all methods must be safe for concurrent use.
type Metrics interface {
	Depth(n int)
	Done(kind, outcome string, took time.Duration)
}

// InstallationMetrics is what Metrics may also observe: the waiting jobs of
// each installation, counted periodically.
type InstallationMetrics interface {
	InstallationDepth(byInstallation map[int64]int)
}

type noMetrics struct{}

func (noMetrics) Depth(int)                          {}
func (noMetrics) Done(string, string, time.Duration) {}

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
