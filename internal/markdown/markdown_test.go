package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestRedact(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"classic PAT", "token ghp_0123456789abcdefghijABCDEFGHIJ012345 here", "token *** here"},
		{"OAuth token", "gho_16C7e42F292c6912E7710c838347Ae178B4a", "***"},
		{"user-to-server token", "x ghu_16C7e42F292c6912E7710c838347Ae178B4a", "x ***"},
		{"installation token", "https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/acme/app", "https://x-access-token:***@github.com/acme/app"},
		{"refresh token", "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498", "***"},
		{"fine-grained PAT", "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV", "***"},
		{"npm token", "//npm.pkg.github.com/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789", "//npm.pkg.github.com/:_authToken=***"},
		{"bearer header", "Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***"},
		{"basic header", `"authorization": "Basic dXNlcjpwYXNz"`, `"authorization": "Basic ***"`},
		{"token header", "Authorization: token 1234567890abcdef", "Authorization: token ***"},
		{"password assignment", "password=hunter2 user=x", "password=*** user=x"},
		{"password colon", "Password: s3cr3t!", "Password: ***"},
		{"password expression kept", "password: ${{ secrets.GITHUB_TOKEN }}", "password: ${{ secrets.GITHUB_TOKEN }}"},
		{"password variable kept", "password=$CR_PAT", "password=$CR_PAT"},
		{"docker login -p", "docker login ghcr.io -u octocat -p hunter2", "docker login ghcr.io -u octocat -p ***"},
		{"docker login -p joined", "docker login -u octocat -phunter2 ghcr.io", "docker login -u octocat -p*** ghcr.io"},
		{"docker login -p variable kept", "docker login -u octocat -p $CR_PAT ghcr.io", "docker login -u octocat -p $CR_PAT ghcr.io"},
		{"--password", "helm registry login ghcr.io --password hunter2", "helm registry login ghcr.io --password ***"},
		{"--password=", "podman login --password=hunter2 ghcr.io", "podman login --password=*** ghcr.io"},
		{"--password-stdin kept", "docker login ghcr.io -u octocat --password-stdin", "docker login ghcr.io -u octocat --password-stdin"},
		{"AWS key", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "aws_access_key_id = ***"},
		{"URL credentials", "git clone https://octocat:hunter2@github.com/acme/app", "git clone https://octocat:***@github.com/acme/app"},
		{"JWT", "id_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvYXBwIn0.c2lnbmF0dXJl rest", "id_token=*** rest"},
		{"plain text untouched", "denied: permission_denied: write_package", "denied: permission_denied: write_package"},
		{"packages: write untouched", "`packages: write` and GITHUB_TOKEN Permissions", "`packages: write` and GITHUB_TOKEN Permissions"},
		{"short ghp_ word untouched", "ghp_short", "ghp_short"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Redact(tc.in))
			assert.Equal(t, tc.want, Redact(Redact(tc.in)), "redacting twice changes nothing more")
		})
	}
}

func TestNeutralize(t *testing.T) {
	zw := "\u200b"
	cases := []struct {
		name, in, want string
	}{
		{"user", "thanks @octocat!", "thanks @" + zw + "octocat!"},
		{"team", "cc @acme/maintainers", "cc @" + zw + "acme/maintainers"},
		{"everyone", "@everyone look", "@" + zw + "everyone look"},
		{"line start", "@octocat", "@" + zw + "octocat"},
		{"after punctuation", "(@octocat)", "(@" + zw + "octocat)"},
		{"e-mail kept", "octocat@github.com", "octocat@github.com"},
		{"action ref kept", "docker/build-push-action@v6", "docker/build-push-action@v6"},
		{"lone at kept", "a @ b", "a @ b"},
		{"npm scope", "PUT https://npm.pkg.github.com/@acme%2fpkg", "PUT https://npm.pkg.github.com/@" + zw + "acme%2fpkg"},
		{"inside code too", "`@octocat`", "`@" + zw + "octocat`"},
		{"issue", "fixes #12", "fixes #" + zw + "12"},
		{"other repository", "acme/app#3", "acme/app#" + zw + "3"},
		{"GH-N", "see GH-2", "see GH-" + zw + "2"},
		{"heading kept", "# Title", "# Title"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Neutralize(tc.in))
		})
	}
}

func TestInline(t *testing.T) {
	zw := "\u200b"
	cases := []struct {
		name, in, want string
	}{
		{"code spans kept", "log line: `a <b> & c`", "log line: `a <b> & c`"},
		{"html escaped outside code", `<img src=x onerror=alert(1)>`, "&lt;img src=x onerror=alert(1)&gt;"},
		{"details closed outside code", "</details> oops", "&lt;/details&gt; oops"},
		{"backtick in value ends span early", "line: `x` <img src=x onerror=alert(1)> `y`", "line: `x` &lt;img src=x onerror=alert(1)&gt; `y`"},
		{"unmatched backtick is closed", "a ` <b>", "a ` <b> `"},
		{"cut span is closed", "x `[a](https://evil.example)", "x `[a](https://evil.example) `"},
		{"double backticks span", "``a ` <b>`` <c>", "``a ` <b>`` &lt;c&gt;"},
		{"run lengths must match", "`a`` <b>", "`a`` <b> `"},
		{"escaped backtick does not open", "\\`<b>`", "\\`&lt;b&gt;` `"},
		{"entity escaped", "&lt;script&gt; &#8238;", "&amp;lt;script&amp;gt; &amp;#\u200b8238;"},
		{"ampersand in URL kept", "https://x.test/?a=1&b=2", "https://x.test/?a=1&b=2"},
		{"newlines collapse", "one\ntwo\r\nthree", "one two three"},
		{"heading cannot start", "x\n# Title", "x # Title"},
		{"mention", "ping @octocat", "ping @" + zw + "octocat"},
		{"secret", "token ghp_0123456789abcdefghijABCDEFGHIJ012345", "token ***"},
		{"fence cannot start", "```\necho", "\\``` echo ``"},
		{"heading cannot start a block", "# Title", "\\# Title"},
		{"list cannot start", "- item", "\\- item"},
		{"ordered list cannot start", "12. item", "12\\. item"},
		{"bold may start", "**Bold** text", "**Bold** text"},
		{"leading spaces dropped", "    indented code", "indented code"},
		{"rule cannot start", "***", "\\***"},
		{"option may start", "--password-stdin", "--password-stdin"},
		{"ansi and controls", "\x1b[31mred\x1b[0m\x00\x07 \u202eevil", "red evil"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Inline(tc.in, 0))
		})
	}
}

func TestCell(t *testing.T) {
	assert.Equal(t, `a \| b`, InlineCell("a | b", 0))
	assert.Equal(t, "`x \\| y` \\| &lt;b&gt;", InlineCell("`x | y` | <b>", 0))
	assert.Equal(t, "one two", InlineCell("one\ntwo", 0))
	assert.Equal(t, " ", InlineCell("", 0))
	assert.Equal(t, `\[a\](b) \| c`, TextCell("[a](b) | c", 0))
}

func TestCode(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain", "build", "`build`"},
		{"backtick inside", "a`b", "``a`b``"},
		{"leading backtick", "`a", "`` `a ``"},
		{"long run", "x ``` y", "````x ``` y````"},
		{"newline", "a\nb", "`a b`"},
		{"empty", "", "` `"},
		{"mention", "@octocat", "`@\u200boctocat`"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Code(tc.in, 0))
		})
	}
	assert.Equal(t, "`a\\|b`", CodeCell("a|b", 0))
}

func TestFence(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  string
	}{
		{"plain", []string{"denied"}, "```text\ndenied\n```\n"},
		{"triple backticks inside", []string{"```", "echo hi"}, "````text\n```\necho hi\n````\n"},
		{"longer run inside", []string{"a ````` b"}, "``````text\na ````` b\n``````\n"},
		{"html stays code", []string{"</details><img src=x onerror=alert(1)>"}, "```text\n</details><img src=x onerror=alert(1)>\n```\n"},
		{"mention and secret", []string{"@everyone ghp_0123456789abcdefghijABCDEFGHIJ012345"}, "```text\n@\u200beveryone ***\n```\n"},
		{"embedded newline", []string{"a\nb"}, "```text\na b\n```\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Fence("text", tc.lines, 0))
		})
	}
}

func TestLongLinesAreCut(t *testing.T) {
	long := strings.Repeat("x", 10*1024)
	out := Fence("text", []string{long}, 500)
	lines := strings.Split(out, "\n")
	assert.Equal(t, 500, utf8.RuneCountInString(lines[1]))
	assert.True(t, strings.HasSuffix(lines[1], "…"))
	assert.Equal(t, 500, utf8.RuneCountInString(Inline(long, 500)))

	// A secret straddling the cut is redacted, never half-shown.
	secret := strings.Repeat("a", 490) + " ghp_0123456789abcdefghijABCDEFGHIJ012345"
	assert.NotContains(t, Inline(secret, 500), "ghp_")
}

func TestTruncate(t *testing.T) {
	assert.Equal(t, "abc", Truncate("abc", 3))
	assert.Equal(t, "ab…", Truncate("abcd", 3))
	assert.Equal(t, "äö…", Truncate("äöüß", 3))
	assert.Equal(t, "abcd", Truncate("abcd", 0))
}

func TestPlain(t *testing.T) {
	assert.Equal(t, "a b @\u200bc ***", Plain("a\n b\t@c ghp_0123456789abcdefghijABCDEFGHIJ012345", 100))
	assert.Equal(t, "ab…", Plain("abcdef", 3))
}
