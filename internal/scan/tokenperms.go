package scan

import (
	"strings"
	"unicode"
)

// tokenPermissionsGroup is the title of the "Set up job" group that lists
// the GITHUB_TOKEN's effective permissions.
const tokenPermissionsGroup = "GITHUB_TOKEN Permissions"

// maxTokenPermissionLines bounds a permissions block, so a group that is
// never closed cannot keep the scanner in line-by-line mode.
const maxTokenPermissionLines = 64

// parseTokenPermissionLine reads one "Packages: write" line of the
// GITHUB_TOKEN Permissions block into a scope and a level, both lower case,
// with the scope spelt as in a workflow's permissions key
// ("PullRequests" → "pull-requests", "Id-token" → "id-token").
func parseTokenPermissionLine(text string) (scope, level string, ok bool) {
	name, value, found := strings.Cut(strings.TrimSpace(text), ":")
	if !found {
		return "", "", false
	}
	scope = tokenScopeName(name)
	level = strings.ToLower(strings.TrimSpace(value))
	if scope == "" || level == "" || strings.ContainsAny(level, " \t") {
		return "", "", false
	}
	return scope, level, true
}

// tokenScopeName turns a runner's scope label ("ArtifactMetadata",
// "Id-token", "security_events") into GitHub's permission key
// ("artifact-metadata", "id-token", "security-events").
func tokenScopeName(label string) string {
	var sb strings.Builder
	prevLower := false
	for _, r := range strings.TrimSpace(label) {
		switch {
		case r == '-' || r == '_' || r == ' ':
			if sb.Len() > 0 && !strings.HasSuffix(sb.String(), "-") {
				sb.WriteByte('-')
			}
			prevLower = false
		case unicode.IsUpper(r):
			if prevLower {
				sb.WriteByte('-')
			}
			sb.WriteRune(unicode.ToLower(r))
			prevLower = false
		case unicode.IsLower(r) || unicode.IsDigit(r):
			sb.WriteRune(r)
			prevLower = true
		default:
			return ""
		}
	}
	return strings.Trim(sb.String(), "-")
}
