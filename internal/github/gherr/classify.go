package gherr

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

// Classify wraps err from a go-github call with the operation and, from
// the HTTP status GitHub answered, a typed error: rate limits (403 or 429
// with GitHub's rate-limit signs) stay rate limits, 401/403 naming an
// accepted permission are a PermissionError, 404/410 a NotFoundError, 409
// a ConflictError, and any other status a StatusError. The status is found
// whatever shape the error has: go-github's ErrorResponse and rate-limit
// errors, a plain error next to a non-nil resp (the job-log download
// answers that way for anything but its 302), or the installation-token
// refresh failing under the call. Errors without a status (the network)
// are only wrapped; IsTransient tells them apart.
func Classify(op string, resp *github.Response, err error) error {
	if err == nil {
		return nil
	}
	var (
		rl    *github.RateLimitError
		abuse *github.AbuseRateLimitError
	)
	if errors.As(err, &rl) || errors.As(err, &abuse) {
		return fmt.Errorf("%s: %w", op, err)
	}
	a, ok := answerOf(resp, err)
	if !ok {
		return fmt.Errorf("%s: %w", op, err)
	}
	if limited := a.rateLimit(op, err); limited != nil {
		return limited
	}
	switch a.status {
	case http.StatusUnauthorized, http.StatusForbidden:
		accepted := a.header.Get("X-Accepted-GitHub-Permissions")
		if accepted != "" || a.status == http.StatusForbidden {
			return &PermissionError{Op: op, Accepted: accepted, Message: a.messageOr(err), Err: err}
		}
	case http.StatusNotFound, http.StatusGone:
		return &NotFoundError{Op: op, Status: a.status, Err: err}
	case http.StatusConflict:
		return &ConflictError{Op: op, Message: a.messageOr(err), Err: err}
	}
	return &StatusError{Op: op, Status: a.status, Err: err}
}

// answer is what GitHub said: the status, its headers and its message.
type answer struct {
	status  int
	header  http.Header
	message string
}

// answerOf finds the HTTP answer behind err, or in resp when err carries
// none. It reports false when there was no answer (a network failure) or
// the answer was a success.
func answerOf(resp *github.Response, err error) (answer, bool) {
	var (
		er *github.ErrorResponse
		he *ghinstallation.HTTPError
	)
	switch {
	case errors.As(err, &er) && er.Response != nil:
		return answer{status: er.Response.StatusCode, header: er.Response.Header, message: er.Message}, true
	case errors.As(err, &he) && he.Response != nil && !isSuccess(he.Response.StatusCode):
		// The installation token could not be refreshed: GitHub's answer
		// to the token request is the answer to the call.
		return answer{status: he.Response.StatusCode, header: he.Response.Header}, true
	case resp != nil && resp.Response != nil && !isSuccess(resp.StatusCode):
		return answer{status: resp.StatusCode, header: resp.Header}, true
	}
	return answer{}, false
}

func isSuccess(status int) bool { return status >= 200 && status < 300 }

func (a answer) messageOr(err error) string {
	if a.message != "" {
		return a.message
	}
	return err.Error()
}

// rateLimit returns a RateLimitError when the answer is one: any 429, or a
// 403 with an exhausted x-ratelimit-remaining, a retry-after, or GitHub's
// rate-limit wording.
func (a answer) rateLimit(op string, err error) error {
	limited := a.status == http.StatusTooManyRequests
	if a.status == http.StatusForbidden {
		limited = a.header.Get("X-RateLimit-Remaining") == "0" || a.header.Get("Retry-After") != "" ||
			strings.Contains(strings.ToLower(a.message), "rate limit")
	}
	if !limited {
		return nil
	}
	return &RateLimitError{Op: op, Status: a.status, Wait: a.wait(), Err: err}
}

// wait is how long the answer asks to wait: retry-after (seconds) for
// secondary limits, until x-ratelimit-reset for primary ones.
func (a answer) wait() time.Duration {
	if s, err := strconv.Atoi(a.header.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if a.header.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(a.header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(time.Until(time.Unix(reset, 0)), time.Second)
		}
	}
	return 0
}
