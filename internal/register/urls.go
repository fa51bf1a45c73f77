package register

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// DefaultWebURL is github.com's web address.
const DefaultWebURL = "https://github.com"

// DefaultAPIURL returns the REST API address for a GitHub web address:
// https://api.github.com/ for github.com, {web}/api/v3/ for GitHub
// Enterprise Server.
func DefaultAPIURL(webURL string) string {
	web := strings.TrimRight(webURL, "/")
	if strings.EqualFold(web, DefaultWebURL) || strings.EqualFold(web, "https://www.github.com") {
		return "https://api.github.com/"
	}
	return web + "/api/v3/"
}

// orgName is what GitHub accepts as an organisation login.
var orgName = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)

// NewAppURL is the page the manifest is posted to: a personal App, or an
// organisation's App when org is set. state comes back with the code.
func NewAppURL(webURL, org, state string) (string, error) {
	base, err := checkBaseURL("web URL", webURL)
	if err != nil {
		return "", err
	}
	path := "/settings/apps/new"
	if org != "" {
		if !orgName.MatchString(org) {
			return "", fmt.Errorf("%q is not an organisation name", org)
		}
		path = "/organizations/" + url.PathEscape(org) + "/settings/apps/new"
	}
	return base + path + "?state=" + url.QueryEscape(state), nil
}

// checkBaseURL accepts an absolute http(s) address and returns it without a trailing slash.
func checkBaseURL(what, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%s %q is not an http(s) address", what, raw)
	}
	return strings.TrimRight(raw, "/"), nil
}
