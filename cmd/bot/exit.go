package main

import "fmt"

// exitCodeError carries the process exit status out of a command's RunE:
// main returns code, printing err first when it is not nil. Use it with a
// nil err for statuses that are results rather than failures (`bot scan`
// exits 1 when it finds errors).
type exitCodeError struct {
	code int
	err  error
}

func (e *exitCodeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitCodeError) Unwrap() error { return e.err }
