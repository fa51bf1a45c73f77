package commands

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
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

// GrantPlace says where the App's permissions are granted: the App's
// settings page and the installation's page. Each link is left out when
// unknown.
type GrantPlace struct {
	// WebURL is GitHub's web address.
	WebURL string
	// Account is the login of the account that installed the App; OrgAccount
	// says whether it is an organisation.
	Account    string
	OrgAccount bool
	// Slug is the App's URL name ("ghcr-doctor").
	Slug string
	// InstallationID is the installation the command came through.
	InstallationID int64
}

func (g GrantPlace) web() string {
	if g.WebURL == "" {
		return "https://github.com"
	}
	return strings.TrimRight(g.WebURL, "/")
}

// settingsURL is the App's "Permissions & events" page. ghcr-doctor's App is
// private, so its owner is the account that installed it.
func (g GrantPlace) settingsURL() string {
	if g.Slug == "" || g.Account == "" {
		return ""
	}
	if g.OrgAccount {
		return g.web() + "/organizations/" + g.Account + "/settings/apps/" + g.Slug + "/permissions"
	}
	return g.web() + "/settings/apps/" + g.Slug + "/permissions"
}

// installationURL is where the installing account accepts new permissions.
func (g GrantPlace) installationURL() string {
	if g.InstallationID == 0 || g.Account == "" {
		return ""
	}
	if g.OrgAccount {
		return fmt.Sprintf("%s/organizations/%s/settings/installations/%d", g.web(), g.Account, g.InstallationID)
	}
	return fmt.Sprintf("%s/settings/installations/%d", g.web(), g.InstallationID)
}

// grantSentence tells how to grant the app the permissions.
func grantSentence(perms []string) string { return GrantPlace{}.sentence(perms) }

// sentence tells how to grant the app the permissions: which one, at which
// level, on which page, and where the installation accepts it.
func (g GrantPlace) sentence(perms []string) string {
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
	settings := "the App's settings → Permissions & events"
	if u := g.settingsURL(); u != "" {
		settings = siteOf(g.WebURL).Link("the App's settings → Permissions & events", u)
	}
	review := "the installation's page (Settings → GitHub Apps → " + orDefault(g.Slug, "ghcr-doctor") + " → Review request)"
	if u := g.installationURL(); u != "" {
		review = siteOf(g.WebURL).Link("the installation's page", u) + " (Review request)"
	}
	return "To grant it, an owner of the app opens " + settings + " → " + strings.Join(places, "; ") +
		" → Save changes; then the organisation or user that installed it accepts the new permissions on " + review + "."
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func isConflict(err error) (*gherr.ConflictError, bool) {
	var ce *gherr.ConflictError
	ok := errors.As(err, &ce)
	return ce, ok
}
