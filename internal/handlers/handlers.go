// Package handlers receives GitHub webhook events, one file per event: each
// handler parses its payload, decides whether it is interesting, and queues
// a job (the job kinds are named here; what works them is registered in
// the server). A handler makes no call to GitHub, so GitHub gets its answer
// at once.
package handlers

import (
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

// Job kinds the handlers queue.
const (
	KindDiagnoseRun = "diagnose_run"
	// KindPreflight checks a commit's workflows before they run.
	KindPreflight = "preflight"
)

// Base is what every handler shares.
type Base struct {
	Queue queue.Enqueuer
}

// BadPayloadError is a payload that cannot be parsed or lacks what the
// event must have; the server answers it with 400.
type BadPayloadError struct {
	Event string
	Err   error
}

func (e *BadPayloadError) Error() string {
	return fmt.Sprintf("malformed %s payload: %v", e.Event, e.Err)
}

func (e *BadPayloadError) Unwrap() error { return e.Err }
