package term_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo/term"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		md   string
		opts term.Options
		want string
	}{
		{"marker and heading", "<!-- ghcr-doctor key=x -->\n## ghcr-doctor: `ghcr.io/acme/app` was refused\n\nText.",
			term.Options{}, "ghcr-doctor: `ghcr.io/acme/app` was refused\n\nText.\n"},
		{"emphasis, escapes and references", `**Fix:** add \*this\* &lt;now&gt; _Needs the admin role._ GITHUB_TOKEN stays`,
			term.Options{}, "Fix: add *this* <now> Needs the admin role. GITHUB_TOKEN stays\n"},
		{"links", "[Package settings](https://github.com/x) · https://example.com · [https://a.b](https://a.b)",
			term.Options{}, "Package settings <https://github.com/x> · https://example.com · https://a.b\n"},
		{"table aligned", "| Check | Result | Details |\n| --- | :---: | --- |\n| Token | ✅ | a \\| b |\n| Workflow `permissions:` | ❌ | x |",
			term.Options{}, "  Check                     Result   Details\n  ───────────────────────   ──────   ───────\n  Token                     ✅       a | b\n  Workflow `permissions:`   ❌       x\n"},
		{"alert", "> [!WARNING]\n> The configuration is broken.", term.Options{}, "│ WARNING\n│ The configuration is broken.\n"},
		{"details", "<details>\n<summary>Other possible causes (2)</summary>\n\n- **A** (confidence: low)<br>Fix: b\n</details>",
			term.Options{}, "▸ Other possible causes (2)\n\n  • A (confidence: low)\n    Fix: b\n"},
		{"ordered list wraps with a hanging indent", "1. Open the package settings page now\n2. Click",
			term.Options{Width: 24}, "  1. Open the package\n     settings page now\n  2. Click\n"},
		{"fence", "````text\n```inner```\n````\nafter", term.Options{}, "    ```inner```\n\nafter\n"},
		{"rule and footer", "body\n\n---\n<sub>[Workflow run](https://r) · ghcr-doctor</sub>",
			term.Options{}, "body\n\n" + strings.Repeat("─", 40) + "\nWorkflow run <https://r> · ghcr-doctor\n"},
		{"controls are dropped", "a\x1b[31mred\x07 b\u202e", term.Options{}, "a[31mred b\n"},
		{"colour", "**bold** `code`\n```diff\n+added\n-removed\n```", term.Options{Color: true},
			"\x1b[1mbold\x1b[22m \x1b[36mcode\x1b[39m\n\n    \x1b[32m+added\x1b[0m\n    \x1b[31m-removed\x1b[0m\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, term.Render(tt.md, tt.opts))
		})
	}
}

func TestWidth(t *testing.T) {
	assert.Equal(t, 5, term.Width("\x1b[1mhello\x1b[0m"))
	assert.Equal(t, 2, term.Width("✅"))
	assert.Equal(t, 1, term.Width("@\u200b"))
}
