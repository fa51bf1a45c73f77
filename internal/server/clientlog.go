package server

import (
	"net/http"
	"time"

	"github.com/rs/zerolog"
)

// logGitHubCalls logs every GitHub API call at debug level with the logger
// of the request's context (a job's logger carries its installation,
// repository and run). It logs the path only: a query can carry a token
// (a private repository's raw-file URL does), which go-githubapp's own
// ClientLogging would write out whole.
func logGitHubCalls(next http.RoundTripper) http.RoundTripper {
	return roundTrip(func(r *http.Request) (*http.Response, error) {
		start := time.Now()
		resp, err := next.RoundTrip(r)
		logger := zerolog.Ctx(r.Context())
		if logger.GetLevel() > zerolog.DebugLevel {
			return resp, err
		}
		ev := logger.Debug().Str("method", r.Method).Str("host", r.URL.Host).Str("path", r.URL.Path).
			Dur("elapsed", time.Since(start))
		if err != nil {
			ev.Err(err).Msg("GitHub API call failed")
			return resp, err
		}
		ev.Int("status", resp.StatusCode).Str("rate_limit_remaining", resp.Header.Get("X-RateLimit-Remaining")).
			Msg("GitHub API call")
		return resp, nil
	})
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
