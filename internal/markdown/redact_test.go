package markdown

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEverySecretShapeIsRedactedInEveryContext feeds each shape through
// every function that produces posted text.
func TestEverySecretShapeIsRedactedInEveryContext(t *testing.T) {
	site := SiteOf("")
	contexts := map[string]func(string) string{
		"Redact":     Redact,
		"Text":       func(s string) string { return Text(s, 0) },
		"TextCell":   func(s string) string { return TextCell(s, 0) },
		"Inline":     func(s string) string { return Inline(s, 0) },
		"InlineCell": func(s string) string { return InlineCell(s, 0) },
		"Code":       func(s string) string { return Code(s, 0) },
		"CodeCell":   func(s string) string { return CodeCell(s, 0) },
		"Fence":      func(s string) string { return Fence("text", []string{s}, 0) },
		"Plain":      func(s string) string { return Plain(s, 0) },
		"Link label": func(s string) string { return site.Link(s, "https://github.com/acme/app") },
		"Link url":   func(s string) string { return site.Link("x", "https://evil.example/?q="+s) },
	}
	for _, shape := range SecretShapes {
		for name, render := range contexts {
			t.Run(shape.Name+"/"+name, func(t *testing.T) {
				out := render(shape.Line)
				assert.NotContains(t, out, shape.Secret)
				assert.NotContains(t, strings.ReplaceAll(out, `\`, ""), shape.Secret)
			})
		}
	}
}

func TestRedactKeepsWhatIsNoSecret(t *testing.T) {
	for _, s := range []string{
		"denied: permission_denied: write_package",
		"`packages: write` and GITHUB_TOKEN Permissions",
		"token: ${{ secrets.GITHUB_TOKEN }}",
		"NODE_AUTH_TOKEN=${{ secrets.NPM }}",
		"docker login ghcr.io -u octocat --password-stdin",
		"Basic authentication failed",
		"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"curl -u octocat https://ghcr.io",
		"runs untrusted code with a write token: do not",
		"invalid token: unauthorized",
	} {
		assert.Equal(t, s, Redact(s))
	}
}
