package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// FuzzEscapers checks that no untrusted text, escaped for its context,
// renders to a link, an image, an autolink or raw HTML, and that nothing
// panics.
func FuzzEscapers(f *testing.F) {
	for _, s := range []string{
		"[x](https://evil.example)", "![t](https://evil.example/p.png)", `a\`, "<img src=x>",
		"#1 GH-2 acme/app#3 @org/team", "https://evil.example www.evil.example a@b.example",
		"x`[y](https://evil.example)`z", "``` fence", "- [ ] task", "&#x3C;b&#x3E;",
	} {
		f.Add(s)
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	site := SiteOf("")
	f.Fuzz(func(t *testing.T, s string) {
		outputs := map[string]string{
			"Text":  "- " + Text(s, 300),
			"Cell":  "| a |\n| --- |\n| " + TextCell(s, 300) + " |",
			"Code":  "x " + Code(s, 300) + " y",
			"Fence": Fence("text", strings.Split(s, "\n"), 300),
			"Link":  site.Link(s, "https://github.com/acme/app"),
		}
		for name, out := range outputs {
			src := []byte(out)
			doc := md.Parser().Parse(text.NewReader(src))
			_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
				if !entering {
					return ast.WalkContinue, nil
				}
				switch n := n.(type) {
				case *ast.Link:
					if name != "Link" || string(n.Destination) != "https://github.com/acme/app" {
						t.Errorf("%s(%q) = %q has a link to %q", name, s, out, n.Destination)
					}
				case *ast.Image, *ast.AutoLink, *ast.RawHTML, *ast.HTMLBlock:
					t.Errorf("%s(%q) = %q has a %T", name, s, out, n)
				}
				return ast.WalkContinue, nil
			})
			var html bytes.Buffer
			if err := md.Convert(src, &html); err != nil {
				t.Fatalf("%s(%q): rendering: %v", name, s, err)
			}
		}
	})
}
