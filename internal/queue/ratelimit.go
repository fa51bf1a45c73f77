package queue

import (
	"errors"
	"time"

	"github.com/google/go-github/v60/github"
)

// minRateLimitWait is what GitHub asks for when a secondary rate limit
// gives no retry-after: "wait for at least one minute".
const minRateLimitWait = time.Minute

// RetryAfter reports whether err is a GitHub rate limit, and how long to
// wait before trying again: retry-after for secondary limits, until
// x-ratelimit-reset for primary ones.
func RetryAfter(err error) (time.Duration, bool) {
	var abuse *github.AbuseRateLimitError
	if errors.As(err, &abuse) {
		if abuse.RetryAfter != nil && *abuse.RetryAfter > 0 {
			return *abuse.RetryAfter, true
		}
		return minRateLimitWait, true
	}
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		wait := time.Until(rl.Rate.Reset.Time)
		if wait < time.Second {
			wait = time.Second
		}
		return wait, true
	}
	return 0, false
}
