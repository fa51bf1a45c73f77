package markdown

import (
	"net/url"
	"strings"
)

// maxURL bounds an address made into a link.
const maxURL = 2000

// docsHosts are the hosts besides the GitHub a post goes to that links may
// point at.
var docsHosts = map[string]bool{"docs.github.com": true}

// Site is the GitHub a text is posted to. Its Link is the only way the bot
// makes a link.
type Site struct {
	scheme, host string
}

// SiteOf is the GitHub at webURL ("https://github.com" when empty or not
// an absolute URL), as the configuration names it.
func SiteOf(webURL string) Site {
	u, err := url.Parse(strings.TrimSpace(webURL))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return Site{scheme: "https", host: "github.com"}
	}
	return Site{scheme: u.Scheme, host: strings.ToLower(u.Host)}
}

// Allows is the one URL rule: an address on the site itself (with the
// scheme the configuration gives it), or an https address on GitHub's
// documentation; no credentials in it, no longer than 2,000 bytes.
func (s Site) Allows(rawURL string) bool {
	if len(rawURL) > maxURL || strings.ContainsAny(rawURL, " \t\r\n<>\"'`\\") {
		return false
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.User != nil || u.Opaque != "" {
		return false
	}
	host := strings.ToLower(u.Host)
	return u.Scheme == s.scheme && host == s.host || u.Scheme == "https" && docsHosts[host]
}

// Link renders a link whose label is untrusted text. An address the rule
// refuses is shown as code after the label, never as a link.
func (s Site) Link(label, rawURL string) string {
	text := escapeText(label, 300)
	if strings.TrimSpace(text) == "" {
		text = "link"
	}
	if rawURL == "" {
		return text
	}
	if !s.Allows(rawURL) {
		return text + " (" + Code(rawURL, 300) + ")"
	}
	return "[" + text + "](" + escapeDestination(rawURL) + ")"
}

// escapeDestination percent-encodes what could end a link destination.
func escapeDestination(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", "[", "%5B", "]", "%5D", "<", "%3C", ">", "%3E").Replace(u)
}
