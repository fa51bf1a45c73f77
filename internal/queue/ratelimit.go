package queue

import (
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// RetryAfter reports whether err is a GitHub rate limit, and how long to
// wait before trying again (see gherr.RetryAfter).
func RetryAfter(err error) (time.Duration, bool) { return gherr.RetryAfter(err) }
