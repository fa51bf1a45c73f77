package commands

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParse(t *testing.T) {
	fix := Command{Verb: VerbFix, Text: "/ghcr fix"}
	tests := []struct {
		name string
		body string
		want []Command
	}{
		{"plain", "/ghcr fix", []Command{fix}},
		{"after text", "Thanks for the diagnosis!\n\n/ghcr fix\n", []Command{fix}},
		{"trailing spaces", "/ghcr fix   ", []Command{fix}},
		{"up to three spaces of indent", "   /ghcr fix", []Command{fix}},
		{"CRLF", "hello\r\n/ghcr fix\r\nbye\r\n", []Command{fix}},
		{"dry run", "/ghcr fix --dry-run", []Command{{Verb: VerbFix, DryRun: true, Text: "/ghcr fix --dry-run"}}},
		{"settings", "/ghcr fix --settings", []Command{{Verb: VerbFix, Settings: true, Text: "/ghcr fix --settings"}}},
		{"org settings dry run", "/ghcr fix --org-settings --dry-run", []Command{{Verb: VerbFix, OrgSettings: true, DryRun: true, Text: "/ghcr fix --org-settings --dry-run"}}},
		{"case-insensitive", "/GHCR Fix --Dry-Run", []Command{{Verb: VerbFix, DryRun: true, Text: "/GHCR Fix --Dry-Run"}}},
		{"tab separated", "/ghcr\tretry", []Command{{Verb: VerbRetry, Text: "/ghcr\tretry"}}},
		{"recheck", "/ghcr recheck", []Command{{Verb: VerbRecheck, Text: "/ghcr recheck"}}},
		{"retry", "/ghcr retry", []Command{{Verb: VerbRetry, Text: "/ghcr retry"}}},
		{"help", "/ghcr help", []Command{{Verb: VerbHelp, Text: "/ghcr help"}}},
		{"audit", "/ghcr audit", []Command{{Verb: VerbAudit, Text: "/ghcr audit"}}},
		{"option on audit", "/ghcr audit --org", []Command{{Verb: VerbHelp, Text: "/ghcr audit --org", Problem: "`/ghcr audit` takes no options"}}},
		{"help with a topic", "/ghcr help fix", []Command{{Verb: VerbHelp, Text: "/ghcr help fix"}}},
		{"alone is help", "/ghcr", []Command{{Verb: VerbHelp, Text: "/ghcr"}}},
		{"unknown verb is help", "/ghcr fixit", []Command{{Verb: VerbHelp, Text: "/ghcr fixit", Problem: "unknown command"}}},
		{"unknown option is help", "/ghcr fix --force", []Command{{Verb: VerbHelp, Text: "/ghcr fix --force", Problem: "unknown option for `/ghcr fix`"}}},
		{"both settings options", "/ghcr fix --settings --org-settings", []Command{{Verb: VerbHelp, Text: "/ghcr fix --settings --org-settings", Problem: "`--settings` and `--org-settings` cannot be combined"}}},
		{"option on retry", "/ghcr retry --now", []Command{{Verb: VerbHelp, Text: "/ghcr retry --now", Problem: "`/ghcr retry` takes no options"}}},
		{"multiple commands", "/ghcr fix --dry-run\n/ghcr retry\n", []Command{{Verb: VerbFix, DryRun: true, Text: "/ghcr fix --dry-run"}, {Verb: VerbRetry, Text: "/ghcr retry"}}},
		{"duplicates once", "/ghcr fix\n/ghcr fix\n/GHCR FIX", []Command{fix}},
		{"glued is not a command", "/ghcrfix", nil},
		{"mid-line is not a command", "please run /ghcr fix", nil},
		{"inline code is not a command", "`/ghcr fix`", nil},
		{"quoted", "> /ghcr fix", nil},
		{"quoted without space", ">/ghcr fix", nil},
		{"nested quote", "> > /ghcr fix", nil},
		{"indented code", "    /ghcr fix", nil},
		{"tab-indented code", "\t/ghcr fix", nil},
		{"backtick fence", "```\n/ghcr fix\n```", nil},
		{"tilde fence", "~~~sh\n/ghcr fix\n~~~", nil},
		{"longer fence closes only with as many", "````\n```\n/ghcr fix\n````\n/ghcr retry", []Command{{Verb: VerbRetry, Text: "/ghcr retry"}}},
		{"after a closed fence", "```\ncode\n```\n/ghcr fix", []Command{fix}},
		{"unclosed fence hides the rest", "```\n/ghcr fix", nil},
		{"tilde fence not closed by backticks", "~~~\n```\n/ghcr fix\n~~~", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Parse(tt.body))
		})
	}
}

func TestCommandString(t *testing.T) {
	assert.Equal(t, "/ghcr fix --dry-run --settings", Command{Verb: VerbFix, DryRun: true, Settings: true}.String())
	assert.Equal(t, "/ghcr retry", Command{Verb: VerbRetry}.String())
}

func TestParseCutsLongLines(t *testing.T) {
	long := "/ghcr fix --" + string(make([]byte, 500))
	cmds := Parse(long)
	if assert.Len(t, cmds, 1) {
		assert.LessOrEqual(t, len(cmds[0].Text), maxQuotedCommand)
	}
}
