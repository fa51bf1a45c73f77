package githubfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Fault makes matching requests fail (or slow down) instead of being answered normally.
type Fault struct {
	// Method matches the request method; empty matches any.
	Method string
	// PathPattern is a regular expression when it starts with "^", else a path prefix.
	PathPattern string
	// Times is how many matching requests the fault affects; 0 means once.
	Times int
	// Status is the status to answer; 0 with Delay only slows the request down
	// and lets it through; 0 otherwise means 500 (or 403 for rate limits).
	Status int
	// Body is the response body; empty means GitHub's body for the status.
	Body string
	// Header adds response headers.
	Header map[string]string
	// Delay waits before answering.
	Delay time.Duration
	// RetryAfter, in seconds, makes the answer a secondary rate limit: 403 with
	// a retry-after header and GitHub's secondary rate limit message. With
	// PrimaryRateLimit it sets how far away x-ratelimit-reset is (default 60).
	RetryAfter int
	// PrimaryRateLimit makes the answer a primary rate limit: 403 with
	// x-ratelimit-remaining: 0 and x-ratelimit-reset.
	PrimaryRateLimit bool

	re   *regexp.Regexp
	used int
}

// InjectFault queues a fault. Faults are consumed in the order they were injected:
// a request is affected by the first queued fault that matches it.
func (s *Server) InjectFault(f Fault) {
	if strings.HasPrefix(f.PathPattern, "^") {
		f.re = regexp.MustCompile(f.PathPattern)
	}
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults = append(s.st.faults, &f)
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults = nil
}

// PendingFaults counts the fault activations still queued.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.st.faults {
		n += f.Times - f.used
	}
	return n
}

func (f *Fault) matches(method, path string) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	if f.re != nil {
		return f.re.MatchString(path)
	}
	return strings.HasPrefix(path, f.PathPattern)
}

// takeFault consumes one activation of the first fault matching the request.
func (s *Server) takeFault(method, path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.st.faults {
		if !f.matches(method, path) {
			continue
		}
		f.used++
		if f.used >= f.Times {
			s.st.faults = append(s.st.faults[:i:i], s.st.faults[i+1:]...)
		}
		copied := *f
		return &copied
	}
	return nil
}

// applyFault answers the request from a matching fault; it reports whether it did.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, path string, auth authInfo) bool {
	f := s.takeFault(r.Method, path)
	if f == nil {
		return false
	}
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return true
		}
	}
	if f.Status == 0 && f.RetryAfter == 0 && !f.PrimaryRateLimit && f.Delay > 0 {
		return false
	}
	h := w.Header()
	status, body := f.Status, f.Body
	docs := docsRoot + "/overview/rate-limits-for-the-rest-api"
	switch {
	case f.PrimaryRateLimit:
		if status == 0 {
			status = http.StatusForbidden
		}
		wait := f.RetryAfter
		if wait == 0 {
			wait = 60
		}
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Used", h.Get("X-RateLimit-Limit"))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(s.now().Add(time.Duration(wait)*time.Second).Unix(), 10))
		if body == "" {
			who := "your account"
			if auth.token != nil {
				who = fmt.Sprintf("installation ID %d", auth.token.inst.id)
			}
			body = jsonError(fmt.Sprintf("API rate limit exceeded for %s. If you reach out to GitHub Support for help, please include the request ID %s and timestamp %s.",
				who, h.Get("X-GitHub-Request-Id"), s.now().Format("2006-01-02 15:04:05 MST")), docs+"#about-primary-rate-limits")
		}
	case f.RetryAfter > 0:
		if status == 0 {
			status = http.StatusForbidden
		}
		h.Set("Retry-After", strconv.Itoa(f.RetryAfter))
		if body == "" {
			body = jsonError(fmt.Sprintf("You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID %s.",
				h.Get("X-GitHub-Request-Id")), docs+"#about-secondary-rate-limits")
		}
	default:
		if status == 0 {
			status = http.StatusInternalServerError
		}
		if body == "" {
			body = jsonError(http.StatusText(status), docsRoot)
			if status >= 500 {
				body = jsonError("Server Error", "")
			}
		}
	}
	for k, v := range f.Header {
		h.Set(k, v)
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
	return true
}

func jsonError(message, doc string) string {
	body := map[string]string{"message": message}
	if doc != "" {
		body["documentation_url"] = doc
	}
	out, _ := json.Marshal(body)
	return string(out)
}
