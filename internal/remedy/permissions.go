package remedy

import (
	"errors"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/gherr"
)

// missingPermissions names the app permissions a refused call needed
// ("workflows:write"): every permission of the first set GitHub accepts
// (X-Accepted-GitHub-Permissions: "contents=write,workflows=write"), or the
// fallback when GitHub did not say.
func missingPermissions(err error, fallback ...string) ([]string, bool) {
	pe, ok := gherr.AsPermission(err)
	if !ok {
		return nil, false
	}
	var out []string
	first, _, _ := strings.Cut(pe.Accepted, ";")
	for _, p := range strings.Split(first, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		out = append(out, strings.Replace(p, "=", ":", 1))
	}
	if len(out) == 0 {
		out = fallback
	}
	return out, true
}

// permissionSettings names where a permission is on the App's
// "Permissions & events" page.
var permissionSettings = map[string]string{
	"actions":                     "Repository permissions → Actions",
	"administration":              "Repository permissions → Administration",
	"checks":                      "Repository permissions → Checks",
	"contents":                    "Repository permissions → Contents",
	"issues":                      "Repository permissions → Issues",
	"metadata":                    "Repository permissions → Metadata",
	"pull_requests":               "Repository permissions → Pull requests",
	"workflows":                   "Repository permissions → Workflows",
	"members":                     "Organization permissions → Members",
	"organization_administration": "Organization permissions → Administration",
}

// grantSentence tells how to grant the app the permissions.
func grantSentence(perms []string) string {
	var places []string
	for _, p := range perms {
		name, level, _ := strings.Cut(p, ":")
		place := permissionSettings[name]
		if place == "" {
			place = "the " + name + " permission"
		}
		lvl := "Read-only"
		if level == "write" || level == "admin" {
			lvl = "Read and write"
		}
		places = append(places, place+" → "+lvl)
	}
	return "To grant it, an owner of the app opens the App's settings → Permissions & events → " + strings.Join(places, "; ") +
		" → Save; then the organisation or user that installed it accepts the new permissions on the installation's page (Settings → GitHub Apps → ghcr-doctor → Review request)."
}

func isConflict(err error) (*gherr.ConflictError, bool) {
	var ce *gherr.ConflictError
	ok := errors.As(err, &ce)
	return ce, ok
}
