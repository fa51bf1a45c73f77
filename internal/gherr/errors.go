// Package gherr holds the typed errors GitHub access returns: a missing app
// permission, a missing resource, a conflict, so that domain code can branch
// on them without knowing go-github.
package gherr

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v60/github"
)

// PermissionError is GitHub refusing a call because the app lacks a permission.
type PermissionError struct {
	Op string
	// Accepted is GitHub's X-Accepted-GitHub-Permissions header, e.g. "actions=read".
	Accepted string
	Message  string
}

func (e *PermissionError) Error() string {
	s := fmt.Sprintf("%s: GitHub refused: %s", e.Op, e.Message)
	if e.Accepted != "" {
		s += " (needs app permission " + e.Accepted + ")"
	}
	return s
}

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
}

func (e *NotFoundError) Error() string {
	if e.Status == http.StatusGone {
		return e.Op + ": gone (410)"
	}
	return e.Op + ": not found (404)"
}

// ConflictError is a 409 from GitHub, e.g. a setting locked by the organisation.
type ConflictError struct {
	Op      string
	Message string
}

func (e *ConflictError) Error() string { return e.Op + ": conflict (409): " + e.Message }

// Classify wraps err from a go-github call with the operation and, for the
// statuses callers branch on, a typed error.
func Classify(op string, resp *github.Response, err error) error {
	if err == nil {
		return nil
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch er.Response.StatusCode {
		case http.StatusForbidden:
			var rl *github.RateLimitError
			var abuse *github.AbuseRateLimitError
			if errors.As(err, &rl) || errors.As(err, &abuse) {
				return fmt.Errorf("%s: %w", op, err)
			}
			return &PermissionError{Op: op, Accepted: er.Response.Header.Get("X-Accepted-GitHub-Permissions"), Message: er.Message}
		case http.StatusNotFound, http.StatusGone:
			return &NotFoundError{Op: op, Status: er.Response.StatusCode}
		case http.StatusConflict:
			return &ConflictError{Op: op, Message: er.Message}
		}
	}
	if resp != nil && resp.Response != nil {
		switch resp.StatusCode {
		case http.StatusNotFound, http.StatusGone:
			return &NotFoundError{Op: op, Status: resp.StatusCode}
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

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

// StatusError is an unexpected HTTP status from a non-API download (a log URL).
type StatusError struct {
	Op     string
	Status int
}

func (e *StatusError) Error() string { return fmt.Sprintf("%s: status %d", e.Op, e.Status) }

// IsTransient reports whether err may go away by itself and the work should
// be tried again: GitHub 5xx answers, rate limits, timeouts and network errors.
// Missing permissions, missing resources and malformed content are not.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	var (
		rl    *github.RateLimitError
		abuse *github.AbuseRateLimitError
		er    *github.ErrorResponse
		se    *StatusError
		ne    net.Error
		ue    *url.Error
	)
	switch {
	case errors.As(err, &rl), errors.As(err, &abuse):
		return true
	case errors.As(err, &er) && er.Response != nil:
		return er.Response.StatusCode >= 500 || er.Response.StatusCode == http.StatusTooManyRequests
	case errors.As(err, &se):
		return se.Status >= 500 || se.Status == http.StatusTooManyRequests
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne), errors.As(err, &ue):
		return true
	}
	return false
}
