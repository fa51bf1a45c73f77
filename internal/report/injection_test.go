package report_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

// hostile is what a fork controls: job and step names (the workflow),
// image names and log lines.
var hostile = []string{
	"[x](https://evil.example)",
	"![t](https://evil.example/p.png)",
	`trailing\`,
	"<img src=https://evil.example/i.png>",
	"see #41 and GH-42 and acme/app#43",
	"cc @org/team",
	"https://evil.example/auto www.evil.example",
	"x`[y](https://evil.example)`z",
}

// hostileSecrets are in the log lines too, and must not be posted.
var hostileSecrets = []string{
	"ghp_0123456789abcdefghijABCDEFGHIJ012345",
	"0123456789abcdef0123456789abcdef01234567",
}

func hostileFacts(name string) *diagnose.Facts {
	line := name + " password=hunter9secret " + strings.Join(hostileSecrets, " ") + " denied: permission_denied: write_package"
	return &diagnose.Facts{
		Repo: diagnose.Repo{Owner: "acme", Name: "app", OwnerType: "Organization"},
		Run: diagnose.Run{ID: 1, Attempt: 1, Path: ".github/workflows/" + name + ".yml", Event: "pull_request",
			HeadSHA: headSHA, HeadBranch: name, HeadRepo: "fork/app", Actor: "octocat",
			HTMLURL: "https://github.com/acme/app/actions/runs/1"},
		Jobs: []diagnose.JobLog{{ID: 10, Name: name, Scan: &scan.ScanResult{Findings: []scan.Finding{{
			Kind: scan.KindWriteDenied, Registry: scan.RegistryGHCR, Owner: "evil" + name, Package: name, Tool: "docker",
			Step: name, File: name, Line: 40, Text: line, Message: line,
		}}}}},
		RepoDefault: diagnose.KnownFact("read"),
		OrgDefault:  diagnose.KnownFact("read"),
		Workflow:    diagnose.UnknownFact[diagnose.WorkflowFile]("not read: "+name, "contents:read"),
	}
}

// TestNoLinkImageOrHTMLFromUntrustedText renders every posted body for
// hostile names and log lines with a CommonMark + GFM renderer and checks
// what it would show.
func TestNoLinkImageOrHTMLFromUntrustedText(t *testing.T) {
	for _, name := range hostile {
		ds := diagnose.Diagnose(hostileFacts(name), diagnose.Options{})
		require.NotEmpty(t, ds, name)
		target := prTarget()
		target.Run.Path = ".github/workflows/" + name + ".yml"
		target.Run.HeadBranch = name
		target.Jobs = []report.Job{{Name: name, HTMLURL: "https://evil.example/job"}}
		check := report.RenderCheckRun(ds, target)
		issueTitle, issueBody := report.RenderIssue(ds, target)
		bodies := map[string]string{
			"comment":       report.RenderComment(ds, target),
			"check summary": check.Summary,
			"check text":    check.Text,
			"issue":         issueBody,
			"resolved":      report.RenderResolved(report.Marker{Package: name}, target),
		}
		for where, body := range bodies {
			assertSafeMarkdown(t, name+" in "+where, body)
		}
		plain := []string{issueTitle, check.Title}
		for _, a := range check.Annotations {
			plain = append(plain, a.Title, a.Message)
		}
		for _, p := range plain {
			assertNoSecret(t, name+" in a plain field", p)
			assert.NotRegexp(t, backlinkOrMention, p, name)
		}
	}
}

var backlinkOrMention = regexp.MustCompile(`#4[123]|GH-42|@org/team`)

func assertSafeMarkdown(t *testing.T, where, body string) {
	t.Helper()
	assertNoSecret(t, where, body)
	src := []byte(body)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			assert.True(t, allowedDestination(string(n.Destination)), "%s: link to %q", where, n.Destination)
		case *ast.Image:
			assert.Fail(t, "image", "%s: image %q", where, n.Destination)
		case *ast.AutoLink:
			assert.True(t, allowedDestination(string(n.URL(src))), "%s: autolink %q", where, n.URL(src))
		case *ast.RawHTML:
			html := rawText(n.Segments, src)
			assert.Regexp(t, `^</?(details|summary|sub|br)>$|^<!-- ghcr-doctor`, html, "%s: raw HTML", where)
		case *ast.HTMLBlock:
			html := rawText(n.Lines(), src)
			assert.Regexp(t, `^(</?(details|summary|sub|br)>|<!-- ghcr-doctor)`, html, "%s: HTML block", where)
		case *ast.Text:
			switch n.Parent().(type) {
			case *ast.Link, *ast.CodeSpan:
			default:
				assert.NotRegexp(t, backlinkOrMention, string(n.Value(src)), "%s: mention or backlink", where)
			}
		case *extast.Strikethrough:
			assert.Fail(t, "strikethrough", where)
		}
		return ast.WalkContinue, nil
	})
	require.NoError(t, err)
}

func rawText(segs *text.Segments, src []byte) string {
	var b bytes.Buffer
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		b.Write(seg.Value(src))
	}
	return strings.TrimSpace(b.String())
}

func allowedDestination(u string) bool {
	return strings.HasPrefix(u, "https://github.com/") || strings.HasPrefix(u, "https://docs.github.com/")
}

func assertNoSecret(t *testing.T, where, s string) {
	t.Helper()
	plain := strings.ReplaceAll(s, `\`, "")
	for _, secret := range append(hostileSecrets, "hunter9secret") {
		assert.NotContains(t, plain, secret, where)
	}
}
