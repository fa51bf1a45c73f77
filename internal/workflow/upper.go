package workflow

import (
	"regexp"
	"strings"
)

// caseContextRe matches contexts whose values keep the case of GitHub logins
// and repository names.
var caseContextRe = regexp.MustCompile(`\bgithub\.(repository_owner|repository|actor|triggering_actor|event\.repository\.(name|full_name|owner\.login)|event\.organization\.login|event\.sender\.login)\b`)

// caseShellVarRe matches the runner's env vars with the same values.
var caseShellVarRe = regexp.MustCompile(`\$\{?(GITHUB_REPOSITORY_OWNER|GITHUB_REPOSITORY|GITHUB_ACTOR|GITHUB_TRIGGERING_ACTOR)(\}|\b)`)

// ExpandsToUpper reports whether an image reference may name a repository
// with upper-case letters, which registries reject ("repository name must be
// lowercase"). The heuristic, applied to the reference text:
//
//   - false when the text itself lowercases (${VAR,,}, tr '[:upper:]'
//     '[:lower:]', tr A-Z a-z, tolower, lower());
//   - true when it uses a context that keeps the case of a login or
//     repository name: ${{ github.repository }}, github.repository_owner,
//     github.actor, github.triggering_actor, github.event.repository.name/
//     full_name/owner.login, or the runner's $GITHUB_REPOSITORY,
//     $GITHUB_REPOSITORY_OWNER, $GITHUB_ACTOR;
//   - true when the literal name part (after the registry host, before the
//     tag or digest) contains an upper-case letter.
//
// Other expressions (inputs, step outputs, env set at run time) are unknown
// and count as lower case. Resolve env first (ImageRef.Resolved does) so that
// IMAGE_NAME: ${{ github.repository }} is seen through ${{ env.IMAGE_NAME }};
// ImageRef.UppercaseRisk also honours tools that lowercase by themselves.
func ExpandsToUpper(ref string) bool {
	if lowercaseRe.MatchString(ref) {
		return false
	}
	for _, e := range exprRe.FindAllString(ref, -1) {
		if caseContextRe.MatchString(e) {
			return true
		}
	}
	if caseShellVarRe.MatchString(ref) {
		return true
	}
	return literalNameHasUpper(ref)
}

// literalNameHasUpper checks the name part of a reference, skipping the
// registry host, the tag or digest and any expression or variable.
func literalNameHasUpper(ref string) bool {
	name := exprRe.ReplaceAllString(ref, "x")
	name = shellVarRe.ReplaceAllString(name, "x")
	name = strings.TrimPrefix(strings.TrimPrefix(name, "oci://"), "docker://")
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name = name[:i]
	}
	if slash := strings.LastIndexByte(name, '/'); strings.LastIndexByte(name, ':') > slash {
		name = name[:strings.LastIndexByte(name, ':')]
	}
	if first, rest, ok := strings.Cut(name, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		name = rest
	}
	return strings.ToLower(name) != name
}

// LiteralNameHasUpper reports whether the literal text of the name part
// of a reference (not its expressions or variables) has upper case: sure to
// be refused, unless the text lower-cases it.
func LiteralNameHasUpper(ref string) bool {
	return !lowercaseRe.MatchString(ref) && literalNameHasUpper(ref)
}

// CaseContexts returns the contexts and runner variables in ref whose
// values keep the case of a login or repository name (${{ github.repository }},
// $GITHUB_REPOSITORY_OWNER, …), in order; none when the text lower-cases.
// Whether such a name has upper case is known only with the names.
func CaseContexts(ref string) []string {
	if lowercaseRe.MatchString(ref) {
		return nil
	}
	var out []string
	for _, e := range exprRe.FindAllString(ref, -1) {
		if caseContextRe.MatchString(e) {
			out = append(out, e)
		}
	}
	return append(out, caseShellVarRe.FindAllString(ref, -1)...)
}
