package commands

import (
	"strings"
	"testing"
)

// FuzzParse holds the command parser to what a reply relies on, whatever
// a commenter writes: no panic, a known verb, at most one command per
// line, and a quoted text taken from the comment.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"/ghcr fix",
		"/ghcr fix --dry-run\n/ghcr recheck",
		"> /ghcr fix\n```\n/ghcr retry\n```",
		"/ghcr fix --settings --org-settings --nope",
		"/GHCR   help   \r\n/ghcr",
		"/ghcrfix\n/ghcr\tretry",
		"~~~\n/ghcr fix\n~~~~\n/ghcr help",
	} {
		f.Add(seed)
	}
	known := map[Verb]bool{}
	for _, v := range []Verb{VerbFix, VerbRecheck, VerbRetry, VerbHelp} {
		known[v] = true
	}
	f.Fuzz(func(t *testing.T, body string) {
		cmds := Parse(body)
		// A line ends at "\n", "\r\n" or a lone "\r".
		if lines := strings.Count(body, "\n") + strings.Count(body, "\r") + 1; len(cmds) > lines {
			t.Fatalf("%d commands from %d lines", len(cmds), lines)
		}
		for _, c := range cmds {
			if !known[c.Verb] {
				t.Fatalf("unknown verb %q from %q", c.Verb, body)
			}
			if c.Problem != "" && c.Verb != VerbHelp {
				t.Fatalf("a command with a problem must be help: %+v", c)
			}
			if !strings.Contains(body, strings.TrimSpace(c.Text)) {
				t.Fatalf("text %q is not from the comment", c.Text)
			}
		}
	})
}
