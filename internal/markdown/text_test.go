package markdown

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
	zw := "\u200b"
	cases := []struct{ name, in, want string }{
		{"plain", "build and push", "build and push"},
		{"link", "[x](https://evil.example)", `\[x\](https\://evil.example)`},
		{"image", "![t](https://evil.example/p.png)", `\!\[t\](https\://evil.example/p.png)`},
		{"trailing backslash", `job\`, `job\\`},
		{"html", `<img src=x>`, `\<img src=x\>`},
		{"autolink", "www.evil.example", `www\.evil.example`},
		{"email", "a@b.example", `a\@b.example`},
		{"issue", "#1", `\#` + zw + "1"},
		{"GH-N", "GH-2", "GH-" + zw + "2"},
		{"cross-repo", "acme/app#3", "acme/app#" + zw + "3"},
		{"team", "@org/team", `\@` + zw + "org/team"},
		{"ampersand", "a & b &lt;", `a & b \&lt;`},
		{"emphasis", "*a* _b_ ~c~", `\*a\* \_b\_ \~c\~`},
		{"list", "- item", `\- item`},
		{"secret", "ghp_0123456789abcdefghijABCDEFGHIJ012345", `\*\*\*`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Text(tc.in, 0))
		})
	}
}

func TestLink(t *testing.T) {
	site := SiteOf("https://github.com")
	ghes := SiteOf("https://ghe.example.com/")
	cases := []struct {
		name       string
		site       Site
		label, url string
		want       string
	}{
		{"github", site, "run", "https://github.com/acme/app/actions/runs/1", "[run](https://github.com/acme/app/actions/runs/1)"},
		{"docs", site, "docs", "https://docs.github.com/en/packages", "[docs](https://docs.github.com/en/packages)"},
		{"ghes", ghes, "run", "https://ghe.example.com/acme/app", "[run](https://ghe.example.com/acme/app)"},
		{"github.com from ghes", ghes, "run", "https://github.com/acme/app", "run (`https://github.com/acme/app`)"},
		{"other host", site, "x", "https://evil.example/p", "x (`https://evil.example/p`)"},
		{"http", site, "x", "http://github.com/a", "x (`http://github.com/a`)"},
		{"javascript", site, "x", "javascript:alert(1)", "x (`javascript:alert(1)`)"},
		{"credentials", site, "x", "https://u:p@github.com/", "x (`https://u:***@\u200bgithub.com/`)"},
		{"host suffix", site, "x", "https://github.com.evil.example/", "x (`https://github.com.evil.example/`)"},
		{"hostile label", site, "a](https://evil.example) [b", "https://github.com/", `[a\](https\://evil.example) \[b](https://github.com/)`},
		{"trailing backslash", site, `a\`, "https://github.com/", `[a\\](https://github.com/)`},
		{"parens encoded", site, "x", "https://github.com/a_(b)", "[x](https://github.com/a_%28b%29)"},
		{"no url", site, "x", "", "x"},
		{"empty label", site, "", "https://github.com/", "[link](https://github.com/)"},
		{"reference label", site, "#12", "https://github.com/acme/app/pull/12", "[#\u200b12](https://github.com/acme/app/pull/12)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.site.Link(tc.label, tc.url))
		})
	}
	assert.Equal(t, SiteOf("https://github.com"), SiteOf(""))
	assert.Equal(t, SiteOf("https://github.com"), SiteOf("not a url"))
}
