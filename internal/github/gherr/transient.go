package gherr

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

// minRateLimitWait is what GitHub asks for when a secondary rate limit
// gives no retry-after: "wait for at least one minute".
const minRateLimitWait = time.Minute

// RetryAfter reports whether err is a GitHub rate limit, and how long to
// wait before trying again: retry-after for secondary limits, until
// x-ratelimit-reset for primary ones, a minute when GitHub did not say.
func RetryAfter(err error) (time.Duration, bool) {
	var (
		abuse *github.AbuseRateLimitError
		rl    *github.RateLimitError
		ours  *RateLimitError
	)
	switch {
	case errors.As(err, &abuse):
		if abuse.RetryAfter != nil && *abuse.RetryAfter > 0 {
			return *abuse.RetryAfter, true
		}
		return minRateLimitWait, true
	case errors.As(err, &rl):
		return max(time.Until(rl.Rate.Reset.Time), time.Second), true
	case errors.As(err, &ours):
		if ours.Wait > 0 {
			return ours.Wait, true
		}
		return minRateLimitWait, true
	}
	// A 429 that Classify never saw is a rate limit all the same.
	if status, ok := statusIn(err); ok && status == http.StatusTooManyRequests {
		return minRateLimitWait, true
	}
	return 0, false
}

// IsTransient reports whether err may go away by itself and the work should
// be tried again: GitHub 5xx answers, rate limits, timeouts, an interrupted
// call and network failures. Missing permissions, missing resources,
// other 4xx answers, malformed content and a misconfigured connection (a
// bad URL, an unknown host, a TLS failure) are not.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if _, ok := RetryAfter(err); ok {
		return true
	}
	if status, ok := statusIn(err); ok {
		return status >= 500 || status == http.StatusRequestTimeout
	}
	return isTransientNetwork(err)
}

// statusIn finds the HTTP status of the first answer in err's chain.
func statusIn(err error) (int, bool) {
	var (
		pe *PermissionError
		nf *NotFoundError
		ce *ConflictError
		se *StatusError
		er *github.ErrorResponse
		he *ghinstallation.HTTPError
	)
	switch {
	case errors.As(err, &pe):
		return http.StatusForbidden, true
	case errors.As(err, &nf):
		return nf.Status, true
	case errors.As(err, &ce):
		return http.StatusConflict, true
	case errors.As(err, &se):
		return se.Status, true
	case errors.As(err, &er) && er.Response != nil:
		return er.Response.StatusCode, true
	case errors.As(err, &he) && he.Response != nil && !isSuccess(he.Response.StatusCode):
		return he.Response.StatusCode, true
	}
	return 0, false
}

// isTransientNetwork tells a failure on the way to GitHub that may pass
// (a timeout, a refused or reset connection, a connection closed early, a
// DNS server that did not answer) from a misconfiguration that will not.
// A *url.Error wraps both kinds, so its cause decides; an unrecognised
// cause of a request that was sent counts as transient, since the
// retries are bounded and the last attempt reports what stayed unread.
func isTransientNetwork(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		// A deadline passed, or the job was interrupted (shutting down):
		// another attempt can finish it.
		return true
	}
	if isMisconfiguration(err) {
		return false
	}
	var (
		ne  net.Error
		dns *net.DNSError
		op  *net.OpError
		ue  *url.Error
	)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return true
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ETIMEDOUT), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.ENETDOWN):
		return true
	case errors.As(err, &ne) && ne.Timeout():
		return true
	case errors.As(err, &dns):
		return true // not "no such host", which isMisconfiguration took
	case errors.As(err, &op):
		return true
	case errors.As(err, &ue):
		return true
	}
	return false
}

// misconfigurationTexts are the messages of net/http's unexported errors
// that retrying cannot fix.
var misconfigurationTexts = []string{
	"unsupported protocol scheme",
	"server gave HTTP response to HTTPS client",
	"stopped after 10 redirects",
	"no Host in request URL",
	"invalid header field",
}

// isMisconfiguration reports a connection that cannot work as configured:
// an unparsable URL, an unknown host, a missing port, a certificate that
// does not verify, a server that does not speak TLS.
func isMisconfiguration(err error) bool {
	var (
		ue        *url.Error
		dns       *net.DNSError
		addr      *net.AddrError
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		verify    *tls.CertificateVerificationError
		record    tls.RecordHeaderError
		alert     tls.AlertError
	)
	switch {
	case errors.As(err, &ue) && ue.Op == "parse":
		return true
	case errors.As(err, &dns) && dns.IsNotFound:
		return true
	case errors.As(err, &addr), errors.As(err, &unknownCA), errors.As(err, &hostname),
		errors.As(err, &invalid), errors.As(err, &verify), errors.As(err, &record), errors.As(err, &alert):
		return true
	}
	msg := err.Error()
	for _, text := range misconfigurationTexts {
		if strings.Contains(msg, text) {
			return true
		}
	}
	return false
}
