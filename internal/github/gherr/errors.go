// Package gherr holds the typed errors GitHub access returns: a missing app
// permission, a missing resource, a conflict, a rate limit, so that domain
// code can branch on them without knowing go-github. Every error is
// classified from the HTTP status GitHub answered, whatever shape
// go-github gave it, and IsTransient tells what is worth trying again.
package gherr

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// PermissionError is GitHub refusing a call because the app lacks a permission.
type PermissionError struct {
	Op string
	// Accepted is GitHub's X-Accepted-GitHub-Permissions header, e.g. "actions=read".
	Accepted string
	Message  string
	// Err is the error the call returned, when there was one.
	Err error
}

func (e *PermissionError) Error() string {
	s := fmt.Sprintf("%s: GitHub refused: %s", e.Op, e.Message)
	if e.Accepted != "" {
		s += " (needs app permission " + e.Accepted + ")"
	}
	return s
}

func (e *PermissionError) Unwrap() error { return e.Err }

// Permission renders Accepted as the settings page names it ("actions:read").
func (e *PermissionError) Permission() string {
	if e.Accepted == "" {
		return ""
	}
	first := strings.TrimSpace(strings.Split(strings.Split(e.Accepted, ",")[0], ";")[0])
	return strings.Replace(first, "=", ":", 1)
}

// NotFoundError is a 404 or 410 from GitHub.
type NotFoundError struct {
	Op     string
	Status int
	// Err is the error the call returned, when there was one.
	Err error
}

func (e *NotFoundError) Error() string {
	if e.Status == http.StatusGone {
		return e.Op + ": gone (410)"
	}
	return e.Op + ": not found (404)"
}

func (e *NotFoundError) Unwrap() error { return e.Err }

// ConflictError is a 409 from GitHub, e.g. a setting locked by the organisation.
type ConflictError struct {
	Op      string
	Message string
	// Err is the error the call returned.
	Err error
}

func (e *ConflictError) Error() string { return e.Op + ": conflict (409): " + e.Message }

func (e *ConflictError) Unwrap() error { return e.Err }

// IsNotFound reports whether err is a 404 or 410 from GitHub.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}

// AsPermission returns the permission error in err's chain, if any.
func AsPermission(err error) (*PermissionError, bool) {
	var pe *PermissionError
	ok := errors.As(err, &pe)
	return pe, ok
}

// StatusError is an HTTP status that no other type here describes: a 5xx,
// a 401 without a permission to name, an unexpected answer from a log
// download. Err, when set, is the error the call returned.
type StatusError struct {
	Op     string
	Status int
	Err    error
}

func (e *StatusError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: status %d: %v", e.Op, e.Status, e.Err)
	}
	return fmt.Sprintf("%s: status %d", e.Op, e.Status)
}

func (e *StatusError) Unwrap() error { return e.Err }

// RateLimitError is GitHub asking the app to slow down in an answer that
// go-github did not type: a 429, or a 403 with a retry-after or an
// exhausted x-ratelimit-remaining on a call go-github answers with a
// plain error (the job-log download).
type RateLimitError struct {
	Op     string
	Status int
	// Wait is how long GitHub asked to wait; zero when it did not say.
	Wait time.Duration
	// Err is the error the call returned.
	Err error
}

func (e *RateLimitError) Error() string {
	s := fmt.Sprintf("%s: rate limited (%d)", e.Op, e.Status)
	if e.Wait > 0 {
		s += fmt.Sprintf(", retry after %s", e.Wait)
	}
	return s
}

func (e *RateLimitError) Unwrap() error { return e.Err }
