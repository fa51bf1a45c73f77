package report

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
)

// commandsBlock lists the commands people can comment with, offering
// `/ghcr fix` when ghcr-doctor can apply one of the fixes. on names what
// they comment on ("pull request", "issue"); empty renders nothing, as
// check runs have buttons instead.
func commandsBlock(heading, on string, fixes []diagnose.Fix) string {
	if on == "" {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s Commands\n\nComment on this %s with:\n\n", heading, on)
	if sentence, ok := fixCommandSentence(fixes); ok {
		fmt.Fprintf(&b, "- `/ghcr fix` to %s\n", markdown.Inline(sentence, 200))
		b.WriteString("- `/ghcr fix --dry-run` to see what `/ghcr fix` would change, without changing anything\n")
	}
	b.WriteString("- `/ghcr recheck` to diagnose the run again (after you changed a setting)\n")
	b.WriteString("- `/ghcr retry` to re-run the failed jobs\n")
	b.WriteString("- `/ghcr help` to list the commands\n\n")
	return b.String()
}

// fixCommandSentence says what `/ghcr fix` does for the fixes, and whether
// it does anything: the one kind of fix it can apply, or, when the
// packages need different kinds, all of them.
func fixCommandSentence(fixes []diagnose.Fix) (string, bool) {
	var applicable []diagnose.Fix
	for _, f := range fixes {
		if fixable(f.Kind) {
			applicable = append(applicable, f)
		}
	}
	if len(applicable) == 0 {
		return "", false
	}
	for _, f := range applicable[1:] {
		if f.Kind != applicable[0].Kind || f.Role != applicable[0].Role {
			return "apply every fix above that ghcr-doctor can make (each section names the role it needs)", true
		}
	}
	return fixCommandText(applicable[0]), true
}
