package commands

import (
	"regexp"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// Everything from a workflow file, a log, a comment or a branch name is
// untrusted; these helpers pass it through the report's sanitisers.

// code renders untrusted text as an inline code span.
func code(s string) string { return report.Code(s, 300) }

// inline makes an untrusted sentence safe for one line.
func inline(s string) string { return report.Inline(s, 2000) }

var safeURLRE = regexp.MustCompile(`^https?://[^\s()<>\[\]"'` + "`" + `]+$`)

// link renders a Markdown link when the address is a plain http(s) URL,
// else the text alone.
func link(text, url string) string {
	label := strings.NewReplacer("[", `\[`, "]", `\]`).Replace(report.Inline(text, 200))
	// Inside a link's brackets nothing starts a block, so "#12" needs no escape.
	if strings.HasPrefix(label, `\#`) {
		label = label[1:]
	}
	if !safeURLRE.MatchString(url) || len(url) > 2000 {
		return label
	}
	return "[" + label + "](" + url + ")"
}

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
func fence(info, text string) string {
	text = strings.TrimRight(text, "\n")
	lines := strings.Split(text, "\n")
	const maxLines = 300
	if len(lines) > maxLines {
		lines = append(lines[:maxLines], "… (cut)")
	}
	return report.Fence(info, lines, 500)
}
