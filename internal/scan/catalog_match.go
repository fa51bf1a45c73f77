package scan

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
// with the first catalogue rule that matches it; op is what the job was
// doing (pushing, pulling, logging in), which decides some kinds.
func matchCatalog(text string, op operation) (catalogMatch, bool) {
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
				if isTransientText(text) {
					transient = 1
				}
			}
			if transient == 1 {
				continue
			}
		}
		m := catalogMatch{rule: rule, kind: rule.kindFor(op), message: rule.message, method: rule.method}
		if rule.pattern == nil {
			return m, true
		}
		groups := rule.pattern.FindStringSubmatch(text)
		if groups == nil {
			continue
		}
		var code, url, word string
		for gi, name := range rule.pattern.SubexpNames() {
			switch name {
			case "msg":
				if groups[gi] != "" {
					m.message = groups[gi]
				}
			case "code":
				code = groups[gi]
			case "method":
				m.method = strings.ToUpper(groups[gi])
			case "url":
				url = groups[gi]
			case "word":
				word = strings.ToLower(groups[gi])
			}
		}
		switch m.message {
		case "Forbidden":
			code = "403"
		case "Unauthorized":
			code = "401"
		}
		switch {
		case word != "":
			m.message = word
			m.kind = refusedWordKind(word, m.method, url, op)
		case code != "":
			if m.method == "" {
				m.method = findHTTPMethod(text)
			}
			m.message = statusMessage(code)
			if rule.message != "" {
				m.message = rule.message + ": " + m.message
			}
			if m.kind == "" || code == "401" && rule.kind != KindReadDenied {
				m.kind = statusKind(code, m.method, url, text, op)
			}
		}
		return m, true
	}
	return catalogMatch{}, false
}

// kindFor is the rule's kind while the job does op.
func (r *catalogRule) kindFor(op operation) Kind {
	switch {
	case op == opPull && r.pullKind != "":
		return r.pullKind
	case op == opPush && r.pushKind != "":
		return r.pushKind
	case op == opLogin && r.loginKind != "":
		return r.loginKind
	}
	return r.kind
}

// isTransientText reports whether a line reads like a rate limit, a server
// error or a network failure.
func isTransientText(text string) bool {
	return containsAny(strings.ToLower(text), transientMarkers)
}

// refusedWordKind decides what a request refused with a bare
// "unauthorized" or "denied" was: a login (GET /v2/), a pull, or, while
// pushing, a write.
func refusedWordKind(word, method, url string, op operation) Kind {
	path := url
	if i := strings.Index(path, "://"); i >= 0 {
		path = path[i+3:]
	}
	if i := strings.IndexByte(path, '/'); i >= 0 {
		path = path[i:]
	} else {
		path = "/"
	}
	if path == "/v2/" || path == "/v2" || op == opLogin {
		return KindAuthFailed
	}
	writing := op == opPush || method == "POST" || method == "PUT" || method == "PATCH"
	if word == "authentication required" {
		word = "unauthorized"
	}
	switch {
	case writing && word == "denied":
		return KindWriteDenied
	case writing:
		return KindAuthFailed
	}
	return KindReadDenied
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

// statusKind decides what a 401/403 refused from the HTTP method, the URL
// and what the job was doing: 401s are authentication failures, a refused
// token request is one too (a read refusal while pulling), uploads
// (POST/PUT/PATCH) are writes, and a HEAD/GET is a read unless the job was
// pushing (clients check for blobs before uploading them).
func statusKind(code, method, url, text string, op operation) Kind {
	if code == "401" {
		return KindAuthFailed
	}
	if strings.Contains(url, "/token?") || strings.HasSuffix(url, "/token") {
		if op == opPull {
			return KindReadDenied
		}
		return KindAuthFailed
	}
	switch method {
	case "POST", "PUT", "PATCH", "DELETE":
		return KindWriteDenied
	case "GET", "HEAD":
		if op == opPush {
			return KindWriteDenied
		}
		return KindReadDenied
	}
	if op == opPull || strings.Contains(url, "/download/") || containsAny(text, readOperationHints) {
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
