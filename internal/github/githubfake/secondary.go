package githubfake

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// GitHub's secondary rate limits on content creation: an installation that
// creates more than about 80 pieces of content (comments, issues, check
// runs, pull requests) in a minute, or 500 in an hour, gets 403 with a
// Retry-After header and the secondary rate limit message, and nothing is
// created. The fake counts an installation's accepted POST and PUT
// requests (not token requests) in sliding windows.

// contentCreating tells the requests the secondary limits count.
func contentCreating(method, path string) bool {
	if method != http.MethodPost && method != http.MethodPut {
		return false
	}
	return !strings.HasSuffix(path, "/access_tokens") && path != "/graphql"
}

// secondaryLimited answers a content-creating request over the
// installation's limits as GitHub does; it reports whether it answered.
// An accepted request is counted.
func (s *Server) secondaryLimited(w http.ResponseWriter, r *http.Request, path string, auth authInfo) bool {
	if auth.token == nil || !contentCreating(r.Method, path) {
		return false
	}
	wait, limited := s.countWrite(auth.token.inst.id)
	if !limited {
		return false
	}
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(jsonError(fmt.Sprintf("You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later. If you reach out to GitHub Support for help, please include the request ID %s.",
		h.Get("X-GitHub-Request-Id")), docsRoot+"/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits")))
	return true
}

// countWrite counts a write of the installation unless it is over a
// limit; then it returns how long until the window lets one through.
func (s *Server) countWrite(installation int64) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.contentWrites == nil {
		s.st.contentWrites = map[int64][]time.Time{}
	}
	now := s.now()
	writes := s.st.contentWrites[installation]
	i := 0
	for i < len(writes) && !writes[i].After(now.Add(-time.Hour)) {
		i++
	}
	writes = writes[i:]
	var wait time.Duration
	if n := s.opts.WritesPerHour; n > 0 && len(writes) >= n {
		wait = max(wait, writes[len(writes)-n].Add(time.Hour).Sub(now))
	}
	if n := s.opts.WritesPerMinute; n > 0 {
		j := len(writes)
		for j > 0 && writes[j-1].After(now.Add(-time.Minute)) {
			j--
		}
		if inMinute := len(writes) - j; inMinute >= n {
			wait = max(wait, writes[len(writes)-n].Add(time.Minute).Sub(now))
		}
	}
	if wait > 0 {
		s.st.contentWrites[installation] = writes
		return wait, true
	}
	s.st.contentWrites[installation] = append(writes, now)
	return 0, false
}

// SetWriteLimits changes the secondary limits on content creation per
// installation (see Options.WritesPerMinute); negative means none.
func (s *Server) SetWriteLimits(perMinute, perHour int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.WritesPerMinute, s.opts.WritesPerHour = perMinute, perHour
}
