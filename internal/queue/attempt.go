package queue

import "context"

type attemptKey struct{}

// attempt is which try of a job is running.
type attempt struct{ n, max int }

// withAttempt tells the handler which try of its job this is.
func withAttempt(ctx context.Context, n, max int) context.Context {
	return context.WithValue(ctx, attemptKey{}, attempt{n: n, max: max})
}

// FinalAttempt reports whether the job running in ctx is on its last try:
// a transient error now ends it for good, so a handler should rather
// finish with what it could learn and say what it could not.
func FinalAttempt(ctx context.Context) bool {
	a, ok := ctx.Value(attemptKey{}).(attempt)
	return ok && a.max > 0 && a.n >= a.max
}
