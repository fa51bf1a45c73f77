package markdown

import (
	"regexp"
	"strings"
)

// Redacted replaces every secret Redact finds.
const Redacted = "***"

// secretShape finds one kind of secret. When keyed, the secret is the last
// submatch and everything before it is kept; values that are workflow
// expressions or variables ("${{ secrets.X }}", "$PASSWORD") are references,
// not secrets, and are left alone.
type secretShape struct {
	re    *regexp.Regexp
	keyed bool
	// hints are lower-case strings one of which a match must contain; text
	// without any skips the expression.
	hints []string
	// valid, when set, must accept the secret for it to be redacted.
	valid func(secret string) bool
}

// secretShapes is the one table of secrets Redact knows.
var secretShapes = []secretShape{
	// Authorization headers: keep the scheme, hide the credentials.
	{re: regexp.MustCompile(`(?i)(authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token|digest)\s+)([^\s"',;]+)`), keyed: true, hints: []string{"authorization"}},
	// A bare "Basic <base64>" (curl -v, a pasted header value).
	{re: regexp.MustCompile(`\b(Basic\s+)([A-Za-z0-9+/]{8,}={0,2})`), keyed: true, hints: []string{"basic"}, valid: looksBase64},
	// GitHub tokens: classic PAT, OAuth, user-to-server, installation, refresh.
	{re: regexp.MustCompile(`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{16,}`), hints: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}},
	// Fine-grained personal access tokens.
	{re: regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{16,}`), hints: []string{"github_pat_"}},
	// Classic 40-hex tokens (old personal access tokens, OAuth secrets).
	// Commit SHAs have the same shape and are hidden too: a log line is
	// quoted for its error, not for a commit.
	{re: regexp.MustCompile(`\b[0-9a-fA-F]{40}\b`)},
	// npm access tokens.
	{re: regexp.MustCompile(`\bnpm_[A-Za-z0-9]{16,}`), hints: []string{"npm_"}},
	// AWS access key ids.
	{re: regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), hints: []string{"akia", "asia"}},
	// JSON Web Tokens: header.payload.signature.
	{re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`), hints: []string{"eyj"}},
	// Credentials in URLs: keep the user, hide the password.
	{re: regexp.MustCompile(`(://[^/\s:@]+:)([^/\s@]+)@`), keyed: true, hints: []string{"://"}},
	// A docker config's "auth": "<base64 of user:password>".
	{re: regexp.MustCompile(`(?i)("auths?"\s*:\s*")([^"\s]+)`), keyed: true, hints: []string{`"auth`}},
	// NAME=value and name: value where the name says secret: password=,
	// MY_PASSWORD=, NODE_AUTH_TOKEN=, _authToken=, token:, "password":"…".
	{re: regexp.MustCompile(`(?i)(\b\w*(?:password|passwd|pwd|token|secret|api[_-]?key)["']?\s*[=:]\s*["']?)([^\s"'&,;]+)`), keyed: true,
		hints: []string{"pass", "pwd", "token", "secret", "key"}, valid: notAWord},
	// --password, --api-key, --token VALUE (but not --password-stdin).
	{re: regexp.MustCompile(`(?i)(--(?:password|api[-_]?key|token|auth[-_]token|secret)(?:=|\s+))([^\s"'-][^\s"']*)`), keyed: true,
		hints: []string{"--password", "--api", "--token", "--auth", "--secret"}},
	// --creds / --src-creds / --dest-creds user:password (skopeo, buildah).
	{re: regexp.MustCompile(`(?i)(--(?:src-|dest-)?creds(?:=|\s+)["']?[^\s:"']*:)([^\s"']+)`), keyed: true, hints: []string{"creds"}},
	// curl -u / --user user:password.
	{re: regexp.MustCompile(`((?:^|\s)(?:-u|--user)(?:=|\s+)?["']?[^\s:"'-][^\s:"']*:)([^\s"']+)`), keyed: true, hints: []string{"-u"}},
	// -p … after a registry login (docker, podman, helm, oras…).
	{re: regexp.MustCompile(`(?i)(\blogin\b[^\n]*?\s-p(?:\s+|=)?)([^\s"'-][^\s"']*)`), keyed: true, hints: []string{"login"}},
}

// looksBase64 tells a base64 credential from an English word after
// "Basic": padded, or a length base64 can have, with a digit or both cases.
func looksBase64(s string) bool {
	if strings.HasSuffix(s, "=") {
		return true
	}
	if len(s)%4 != 0 {
		return false
	}
	return strings.ContainsAny(s, "0123456789+/") ||
		strings.ToLower(s) != s && strings.ToUpper(s) != s
}

// notAWord tells a secret from prose after "token:" ("a write token: do
// not"): at least six characters, not all lower-case letters.
func notAWord(s string) bool {
	if len(s) < 6 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return true
		}
	}
	return false
}

// Redact replaces the secrets in s with "***".
func Redact(s string) string {
	lower := strings.ToLower(s)
	for _, shape := range secretShapes {
		if shape.hints != nil && !containsAny(lower, shape.hints) {
			continue
		}
		s = shape.replace(s)
	}
	return s
}

func (shape secretShape) replace(s string) string {
	return shape.re.ReplaceAllStringFunc(s, func(match string) string {
		if !shape.keyed {
			if shape.valid != nil && !shape.valid(match) {
				return match
			}
			return Redacted
		}
		sub := shape.re.FindStringSubmatch(match)
		prefix, value := sub[1], sub[2]
		if strings.HasPrefix(value, "$") || strings.HasPrefix(value, Redacted) || shape.valid != nil && !shape.valid(value) {
			return match
		}
		return prefix + Redacted + match[len(prefix)+len(value):]
	})
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
