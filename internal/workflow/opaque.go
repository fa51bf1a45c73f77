package workflow

import (
	"regexp"
	"strings"
)

// goTemplateRe matches Go template actions ({{ .Env.OWNER }}), which
// GoReleaser's image templates use.
var goTemplateRe = regexp.MustCompile(`\{\{.*?\}\}`)

// OpaqueNameParts returns the parts of an image reference's name (after the
// registry host, before the tag or digest) whose value the file cannot
// show: expressions such as ${{ matrix.image }} or ${{ inputs.name }},
// shell variables set at run time and template actions. The contexts
// ExpandsToUpper judges (github.repository, $GITHUB_REPOSITORY_OWNER, …)
// and expressions that lower-case are not opaque. Resolve env first.
func OpaqueNameParts(ref string) []string {
	name := NamePart(ref)
	var out []string
	for _, e := range exprRe.FindAllString(name, -1) {
		if !caseContextRe.MatchString(e) && !lowercaseRe.MatchString(e) {
			out = append(out, e)
		}
	}
	rest := exprRe.ReplaceAllString(name, "")
	for _, t := range goTemplateRe.FindAllString(rest, -1) {
		if !lowercaseRe.MatchString(t) {
			out = append(out, t)
		}
	}
	rest = goTemplateRe.ReplaceAllString(rest, "")
	for _, v := range shellVarRe.FindAllString(rest, -1) {
		if !caseShellVarRe.MatchString(v) {
			out = append(out, v)
		}
	}
	return out
}

// NamePart returns the name of an image reference: without scheme,
// registry host, tag or digest ("ghcr.io/acme/app:1.0" → "acme/app").
// Expressions and template actions are kept whole.
func NamePart(ref string) string {
	ref = strings.TrimSpace(ref)
	for _, scheme := range []string{"oci://", "docker://", "https://", "http://"} {
		ref = strings.TrimPrefix(ref, scheme)
	}
	masked := mask(ref)
	if i := strings.IndexByte(masked, '@'); i >= 0 {
		ref, masked = ref[:i], masked[:i]
	}
	if slash := strings.LastIndexByte(masked, '/'); strings.LastIndexByte(masked, ':') > slash {
		c := strings.LastIndexByte(masked, ':')
		ref, masked = ref[:c], masked[:c]
	}
	if first, _, ok := strings.Cut(masked, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost" || strings.Contains(ref[:len(first)], "${{")) {
		ref = ref[len(first)+1:]
	}
	return ref
}

// mask replaces the text of expressions, template actions, shell
// command substitutions and parameter expansions with 'x', keeping
// offsets, so that their ':' and '/' ($(echo $TAG | sed 's/^v//'),
// ${VERSION:-dev}) do not split the reference.
func mask(s string) string {
	b := []byte(s)
	for _, re := range []*regexp.Regexp{exprRe, goTemplateRe} {
		for _, loc := range re.FindAllStringIndex(s, -1) {
			for i := loc[0]; i < loc[1]; i++ {
				b[i] = 'x'
			}
		}
	}
	for i := 0; i+1 < len(b); i++ {
		if b[i] != '$' || (b[i+1] != '(' && b[i+1] != '{') {
			continue
		}
		open, closing := b[i+1], byte(')')
		if open == '{' {
			closing = '}'
		}
		depth := 0
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case open:
				depth++
			case closing:
				depth--
			}
			if depth == 0 {
				for k := i; k <= j; k++ {
					b[k] = 'x'
				}
				i = j
				break
			}
		}
	}
	return string(b)
}
