package gherr

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// verdict is what a caller learns from a classified error.
type verdict string

const (
	transient  verdict = "transient"
	rateLimit  verdict = "rate limit"
	gone       verdict = "gone"
	permission verdict = "permission"
	conflict   verdict = "conflict"
	permanent  verdict = "permanent"
)

func verdictOf(err error) verdict {
	var ce *ConflictError
	switch _, limited := RetryAfter(err); {
	case limited:
		return rateLimit
	case IsNotFound(err):
		return gone
	case errors.As(err, &ce):
		return conflict
	}
	if _, ok := AsPermission(err); ok {
		return permission
	}
	if IsTransient(err) {
		return transient
	}
	return permanent
}

// githubAnswer is one answer of a fake GitHub.
type githubAnswer struct {
	status int
	header map[string]string
	body   string
}

// TestClassifyEveryShape asks a real go-github client for a job's log URL
// (answered with a plain error for anything but a 302) and for an API
// resource (answered with go-github's typed errors), and checks both are
// classified alike from the status.
func TestClassifyEveryShape(t *testing.T) {
	secondary := `{"message":"You have exceeded a secondary rate limit.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`
	tests := []struct {
		name   string
		answer githubAnswer
		want   verdict
	}{
		{"500", githubAnswer{status: 500, body: `{"message":"Server Error"}`}, transient},
		{"502", githubAnswer{status: 502, body: "<html>Bad Gateway</html>"}, transient},
		{"503", githubAnswer{status: 503}, transient},
		{"504", githubAnswer{status: 504}, transient},
		{"429 with retry-after", githubAnswer{status: 429, header: map[string]string{"Retry-After": "7"}, body: secondary}, rateLimit},
		{"429 without retry-after", githubAnswer{status: 429}, rateLimit},
		{"403 secondary limit", githubAnswer{status: 403, header: map[string]string{"Retry-After": "30", "X-Accepted-GitHub-Permissions": "actions=read"}, body: secondary}, rateLimit},
		{"403 primary limit", githubAnswer{status: 403, header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)},
			body: `{"message":"API rate limit exceeded for installation ID 1."}`}, rateLimit},
		{"403 naming a permission", githubAnswer{status: 403, header: map[string]string{"X-Accepted-GitHub-Permissions": "actions=read"},
			body: `{"message":"Resource not accessible by integration"}`}, permission},
		{"401 naming a permission", githubAnswer{status: 401, header: map[string]string{"X-Accepted-GitHub-Permissions": "actions=read"}}, permission},
		{"401 bad credentials", githubAnswer{status: 401, body: `{"message":"Bad credentials"}`}, permanent},
		{"404", githubAnswer{status: 404, body: `{"message":"Not Found"}`}, gone},
		{"410", githubAnswer{status: 410, body: `{"message":"Gone"}`}, gone},
		{"409", githubAnswer{status: 409, body: `{"message":"locked"}`}, conflict},
		{"422", githubAnswer{status: 422, body: `{"message":"Validation Failed"}`}, permanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.answer.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.answer.status)
				_, _ = io.WriteString(w, tt.answer.body)
			}))
			defer srv.Close()
			gh, err := github.NewClient(nil).WithEnterpriseURLs(srv.URL+"/", srv.URL+"/")
			require.NoError(t, err)
			ctx := context.Background()

			_, resp, err := gh.Actions.GetWorkflowJobLogs(ctx, "o", "r", 1, 0)
			require.Error(t, err)
			logErr := Classify("getting job log URL", resp, err)
			assert.Equal(t, tt.want, verdictOf(logErr), "job log: %v", logErr)

			_, resp, err = gh.Repositories.Get(ctx, "o", "r")
			require.Error(t, err)
			apiErr := Classify("reading the repository", resp, err)
			assert.Equal(t, tt.want, verdictOf(apiErr), "API: %v", apiErr)

			assert.Contains(t, logErr.Error(), "getting job log URL")
			if tt.want == permission {
				pe, _ := AsPermission(logErr)
				assert.Equal(t, tt.answer.header["X-Accepted-GitHub-Permissions"] != "", pe.Permission() != "")
			}
		})
	}
}

func TestRateLimitWaits(t *testing.T) {
	header := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	resp := func(status int, h http.Header) *github.Response {
		return &github.Response{Response: &http.Response{StatusCode: status, Header: h}}
	}
	plain := errors.New("unexpected status code")
	reset := strconv.FormatInt(time.Now().Add(90*time.Second).Unix(), 10)
	tests := []struct {
		name     string
		resp     *github.Response
		min, max time.Duration
	}{
		{"retry-after", resp(429, header("Retry-After", "12")), 12 * time.Second, 12 * time.Second},
		{"no word from GitHub waits a minute", resp(429, header()), time.Minute, time.Minute},
		{"primary waits for the reset", resp(403, header("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset)), 80 * time.Second, 91 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, ok := RetryAfter(fmt.Errorf("reading the log of job 1: %w", Classify("op", tt.resp, plain)))
			require.True(t, ok)
			assert.GreaterOrEqual(t, wait, tt.min)
			assert.LessOrEqual(t, wait, tt.max)
		})
	}
}

// TestInstallationTokenRefresh: when the token for a call cannot be
// refreshed, GitHub's answer to the token request decides.
func TestInstallationTokenRefresh(t *testing.T) {
	tests := []struct {
		status int
		want   verdict
	}{
		{500, transient},
		{502, transient},
		{404, gone},
		{401, permanent},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			he := &ghinstallation.HTTPError{Message: "received non 2xx response status", InstallationID: 1,
				Response: &http.Response{StatusCode: tt.status, Header: http.Header{}}}
			// go-github's BareDo wraps transport errors in *url.Error; the
			// job-log download returns them as they are.
			for _, err := range []error{&url.Error{Op: "Get", URL: "https://api.github.com/x", Err: he}, he} {
				assert.Equal(t, tt.want, verdictOf(Classify("op", nil, err)), "%v", err)
			}
		})
	}
}

func TestIsTransientNetwork(t *testing.T) {
	urlErr := func(err error) error { return &url.Error{Op: "Get", URL: "https://api.github.com/repos/o/r", Err: err} }
	dial := func(err error) error { return &net.OpError{Op: "dial", Net: "tcp", Err: err} }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"deadline", context.DeadlineExceeded, true},
		{"interrupted", fmt.Errorf("reading: %w", context.Canceled), true},
		{"connection refused", urlErr(dial(os.NewSyscallError("connect", syscall.ECONNREFUSED))), true},
		{"connection reset", urlErr(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), true},
		{"closed early", urlErr(io.ErrUnexpectedEOF), true},
		{"EOF", urlErr(io.EOF), true},
		{"timeout", urlErr(timeoutError{}), true},
		{"DNS server did not answer", urlErr(dial(&net.DNSError{Err: "server misbehaving", Name: "api.github.com", IsTemporary: true})), true},
		{"unrecognised cause of a sent request", urlErr(errors.New("http2: client connection lost")), true},
		{"unknown host", urlErr(dial(&net.DNSError{Err: "no such host", Name: "ghe.example.invalid", IsNotFound: true})), false},
		{"unparsable URL", &url.Error{Op: "parse", URL: "::", Err: errors.New("missing protocol scheme")}, false},
		{"unsupported scheme", urlErr(errors.New(`unsupported protocol scheme "ftp"`)), false},
		{"missing port", urlErr(dial(&net.AddrError{Err: "missing port in address", Addr: "ghe"})), false},
		{"unknown certificate authority", urlErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), false},
		{"certificate for another host", urlErr(x509.HostnameError{Host: "api.github.com", Certificate: &x509.Certificate{}}), false},
		{"plain HTTP server", urlErr(errors.New("http: server gave HTTP response to HTTPS client")), false},
		{"redirect loop", urlErr(errors.New("stopped after 10 redirects")), false},
		{"parse error", errors.New("yaml: line 1"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, IsTransient(tt.err))
			assert.Equal(t, tt.want, IsTransient(Classify("op", nil, tt.err)), "classified")
		})
	}
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }
