package gherr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
)

func response(status int, header http.Header) *github.Response {
	if header == nil {
		header = http.Header{}
	}
	return &github.Response{Response: &http.Response{StatusCode: status, Header: header}}
}

func apiError(status int, header http.Header, msg string) error {
	r := response(status, header)
	return &github.ErrorResponse{Response: r.Response, Message: msg}
}

func TestClassify(t *testing.T) {
	forbidden := apiError(403, http.Header{"X-Accepted-Github-Permissions": {"actions=read"}}, "Resource not accessible by integration")
	err := Classify("listing jobs", nil, forbidden)
	pe, ok := AsPermission(err)
	if assert.True(t, ok) {
		assert.Equal(t, "actions:read", pe.Permission())
		assert.Contains(t, pe.Error(), "needs app permission actions=read")
	}
	assert.True(t, IsNotFound(Classify("x", nil, apiError(404, nil, "Not Found"))))
	assert.True(t, IsNotFound(Classify("x", nil, apiError(410, nil, "Gone"))))
	var conflict *ConflictError
	assert.True(t, errors.As(Classify("x", nil, apiError(409, nil, "locked")), &conflict))
	assert.Nil(t, Classify("x", nil, nil))
	// A rate limit is a 403 too, but not a missing permission.
	rl := &github.AbuseRateLimitError{Response: response(403, nil).Response, Message: "secondary rate limit"}
	_, isPerm := AsPermission(Classify("x", nil, rl))
	assert.False(t, isPerm)
}

func TestIsTransient(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"500", apiError(500, nil, "Server Error"), true},
		{"502 wrapped", fmt.Errorf("reading: %w", apiError(502, nil, "")), true},
		{"429", apiError(429, nil, ""), true},
		{"secondary rate limit", &github.AbuseRateLimitError{}, true},
		{"primary rate limit", &github.RateLimitError{}, true},
		{"log download 503", &StatusError{Op: "log", Status: 503}, true},
		{"timeout", context.DeadlineExceeded, true},
		{"permission", &PermissionError{Op: "x"}, false},
		{"not found", &NotFoundError{Op: "x", Status: 404}, false},
		{"422", apiError(422, nil, "Validation Failed"), false},
		{"parse error", errors.New("yaml: line 1"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, IsTransient(tt.err))
		})
	}
}

// Every typed error keeps the error the call returned, so callers (and
// logs) can still reach go-github's answer.
func TestTypedErrorsKeepTheirCause(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"missing permission", apiError(403, http.Header{"X-Accepted-Github-Permissions": {"actions=read"}}, "Resource not accessible by integration")},
		{"not found", apiError(404, nil, "Not Found")},
		{"gone", apiError(410, nil, "Gone")},
		{"conflict", apiError(409, nil, "locked")},
		{"rate limit", apiError(429, nil, "slow down")},
		{"server error", apiError(502, nil, "Bad Gateway")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			classified := Classify("op", nil, tt.err)
			assert.ErrorIs(t, classified, tt.err)
			var er *github.ErrorResponse
			assert.ErrorAs(t, classified, &er)
		})
	}
}

// A 429 is a rate limit whether or not Classify saw it: it waits rather
// than being retried at once.
func TestRetryAfterAnUnclassified429(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want time.Duration
		ok   bool
	}{
		{"raw 429", apiError(429, nil, ""), minRateLimitWait, true},
		{"wrapped raw 429", fmt.Errorf("listing: %w", apiError(429, nil, "")), minRateLimitWait, true},
		{"classified 429 with retry-after", Classify("x", nil, apiError(429, http.Header{"Retry-After": {"7"}}, "")), 7 * time.Second, true},
		{"500", apiError(500, nil, ""), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, ok := RetryAfter(tt.err)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, wait)
		})
	}
}
