// Package selfcheck checks a server configuration against the world before
// it bites: the App's credentials against GitHub (GET /app), the App's
// webhook configuration as GitHub has it (GET /app/hook/config) against this
// server's public URL, the queue's data directory or PostgreSQL database.
// Every problem comes with its fix. `bot check` prints the results; `bot
// serve` runs the same checks before it starts.
package selfcheck

import (
	"context"
	"net/http"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
)

// Status is a check's verdict.
type Status string

// Statuses.
const (
	// OK: nothing to do.
	OK Status = "ok"
	// Warn: works, but is worth a look; not a failure.
	Warn Status = "warn"
	// Problem: the server would not work as it should until it is fixed.
	Problem Status = "problem"
)

// CheckResult is one check's outcome.
type CheckResult struct {
	// Check names what was checked ("GitHub App credentials").
	Check  string
	Status Status
	// Detail says what was found.
	Detail string
	// Fix says what to do, for Warn and Problem.
	Fix string
	// Unreachable is set when GitHub or the database could not be reached
	// at all: the problem may pass by itself.
	Unreachable bool
}

// Options tune the checks.
type Options struct {
	// HookPath is the server's webhook path, appended to server.public_url.
	HookPath string
	// Timeout bounds each network check; 10 seconds when zero.
	Timeout time.Duration
	// Transport makes GitHub's requests; http.DefaultTransport when nil.
	Transport http.RoundTripper
}

// Run runs every check of cfg, in order: GitHub (the App's webhook
// configuration only when its credentials work), then the queue.
func Run(ctx context.Context, cfg *config.Config, opts Options) []CheckResult {
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport
	}
	results := checkGitHub(ctx, cfg, opts)
	return append(results, checkQueue(ctx, cfg.Queue, opts.Timeout))
}

// Failed reports whether any result is a problem.
func Failed(results []CheckResult) bool {
	for _, r := range results {
		if r.Status == Problem {
			return true
		}
	}
	return false
}

// Blocking are the problems that must stop a server from starting: all of
// them except GitHub or the database being out of reach for now.
func Blocking(results []CheckResult) []CheckResult {
	var out []CheckResult
	for _, r := range results {
		if r.Status == Problem && !r.Unreachable {
			out = append(out, r)
		}
	}
	return out
}
