package commands

import (
	"regexp"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
)

// Everything from a workflow file, a log, a comment, a branch name or an
// error is untrusted; replies put it in through the one escaping policy.

// code renders untrusted text as an inline code span.
func code(s string) string { return markdown.Code(s, 300) }

// inline makes one of the bot's own sentences, whose untrusted parts were
// put in with code or text, safe for one line.
func inline(s string) string { return markdown.Inline(s, 2000) }

// text renders untrusted text (an error from GitHub or the editor) so that
// it reads as itself.
func text(s string) string { return markdown.Text(s, 2000) }

// siteOf is the GitHub at webURL, for links.
func siteOf(webURL string) markdown.Site { return markdown.SiteOf(webURL) }

var loginRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)

// mention addresses the person who gave the command; anything that is not a
// plain login is shown as code instead, so it cannot mention anyone else.
func mention(login string) string {
	if loginRE.MatchString(login) {
		return "@" + login
	}
	return code(login)
}

// fence renders a diff as a fenced block that its content cannot close.
func fence(info, diff string) string {
	diff = strings.TrimRight(diff, "\n")
	lines := strings.Split(diff, "\n")
	const maxLines = 300
	if len(lines) > maxLines {
		lines = append(lines[:maxLines], "… (cut)")
	}
	return markdown.Fence(info, lines, 500)
}
