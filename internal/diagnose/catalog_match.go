package diagnose

import (
	"regexp"
	"strings"
)

// catalogMatch is what the catalogue made of one line.
type catalogMatch struct {
	rule    *catalogRule
	kind    Kind
	message string
	method  string
}

// matchCatalog classifies a cleaned line (without its "##[error]" marker)
// with the first catalogue rule that matches it.
func matchCatalog(text string) (catalogMatch, bool) {
	if containsAny(text, testOutputMarkers) {
		return catalogMatch{}, false
	}
	transient := -1 // unknown until a status-only rule needs it
	for i := range catalog {
		rule := &catalog[i]
		if !containsAny(text, rule.needles) {
			continue
		}
		if rule.statusOnly {
			if transient < 0 {
				transient = 0
				if containsAny(strings.ToLower(text), transientMarkers) {
					transient = 1
				}
			}
			if transient == 1 {
				continue
			}
		}
		m := catalogMatch{rule: rule, kind: rule.kind, message: rule.message}
		if rule.pattern == nil {
			return m, true
		}
		groups := rule.pattern.FindStringSubmatch(text)
		if groups == nil {
			continue
		}
		var code, url string
		for gi, name := range rule.pattern.SubexpNames() {
			switch name {
			case "msg":
				m.message = groups[gi]
			case "code":
				code = groups[gi]
			case "method":
				m.method = groups[gi]
			case "url":
				url = groups[gi]
			}
		}
		switch m.message {
		case "Forbidden":
			code = "403"
		case "Unauthorized":
			code = "401"
		}
		if code != "" {
			if m.method == "" {
				m.method = findHTTPMethod(text)
			}
			m.message = statusMessage(code)
			if m.kind == "" || code == "401" {
				m.kind = statusKind(code, m.method, url, text)
			}
		}
		return m, true
	}
	return catalogMatch{}, false
}

// testOutputMarkers mark a test runner's report: a test that asserts on a
// registry error text is not a failed push.
var testOutputMarkers = []string{
	"_test.go:", "--- FAIL", "AssertionError", "Expected:", " want ", `got "`, ".spec.", "assert",
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// statusMessage is the message of a bare HTTP status.
func statusMessage(code string) string {
	if code == "401" {
		return "401 Unauthorized"
	}
	return "403 Forbidden"
}

// isStatusMessage reports whether a finding's message is only an HTTP
// status, which the same client usually prints next to a richer message.
func isStatusMessage(msg string) bool {
	return msg == "403 Forbidden" || msg == "401 Unauthorized"
}

// statusKind decides what a 401/403 refused from the HTTP method and URL:
// 401 and token-endpoint failures are authentication failures, uploads
// (POST/PUT/PATCH) are writes, HEAD/GET are reads.
func statusKind(code, method, url, text string) Kind {
	if code == "401" || strings.Contains(url, "/token?") || strings.HasSuffix(url, "/token") {
		return KindAuthFailed
	}
	switch method {
	case "POST", "PUT", "PATCH", "DELETE":
		return KindWriteDenied
	case "GET", "HEAD":
		return KindReadDenied
	}
	if strings.Contains(url, "/download/") || containsAny(text, readOperationHints) {
		return KindReadDenied
	}
	return KindWriteDenied
}

// readOperationHints mark a status without a method as a failed download.
var readOperationHints = []string{
	"Could not resolve dependencies", "Failed to collect dependencies",
	"Failed to read artifact descriptor", "Could not find artifact", "failed to pull", "Error: pulling",
}

var reHTTPMethod = regexp.MustCompile(`\b(GET|HEAD|POST|PUT|PATCH|DELETE) "?https?://`)

// findHTTPMethod returns the method of the first request a line prints
// ("PUT https://…"), or "".
func findHTTPMethod(text string) string {
	if m := reHTTPMethod.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}
