package preflight

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// Contexts whose values the settings know.
var (
	ownerContextRe = regexp.MustCompile(`\$\{\{\s*github\.repository_owner\s*\}\}|\$\{GITHUB_REPOSITORY_OWNER\}|\$GITHUB_REPOSITORY_OWNER\b`)
	repoContextRe  = regexp.MustCompile(`\$\{\{\s*github\.repository\s*\}\}|\$\{GITHUB_REPOSITORY\}|\$GITHUB_REPOSITORY\b`)
	nameContextRe  = regexp.MustCompile(`\$\{\{\s*github\.event\.repository\.name\s*\}\}`)
)

// substitute replaces the owner and repository contexts with the values the
// settings know, so that a repository named in lower case is not flagged.
func (a *analysis) substitute(ref string) string {
	st := a.in.Settings
	if st.Owner == "" {
		return ref
	}
	ref = ownerContextRe.ReplaceAllLiteralString(ref, st.Owner)
	if st.Repo == "" {
		// The owner part is known; the name part keeps its context.
		return repoContextRe.ReplaceAllLiteralString(ref, st.Owner+"/${{ github.event.repository.name }}")
	}
	ref = repoContextRe.ReplaceAllLiteralString(ref, st.Owner+"/"+st.Repo)
	return nameContextRe.ReplaceAllLiteralString(ref, st.Repo)
}

// checkNames checks the namespace and the case of what a publish names.
func (a *analysis) checkNames(fs *findings, j *workflow.Job, ctx runs, t target) {
	switch scan.RegistryFamily(t.host) {
	case "container":
		for _, r := range t.refs {
			a.checkImage(fs, j, t, r)
		}
	case "npm":
		if scope, _, ok := strings.Cut(strings.TrimPrefix(t.npmName, "@"), "/"); ok && strings.HasPrefix(t.npmName, "@") {
			a.checkNamespace(fs, j, t, scope, t.line, fmt.Sprintf("the package %s (package.json)", t.npmName))
		}
	default:
		for _, r := range t.refs {
			if ref, ok := scan.ParsePackageReference(a.substitute(r.Resolved)); ok {
				a.checkNamespace(fs, j, t, ref.Owner, r.Line, r.Ref)
			}
		}
	}
}

// checkImage checks one container image name.
func (a *analysis) checkImage(fs *findings, j *workflow.Job, t target, r workflow.ImageRef) {
	line, where := r.Line, r.Ref
	if t.refFile != "" {
		line, where = t.line, fmt.Sprintf("%s (%s line %d)", r.Ref, t.refFile, r.Line)
	}
	resolved := a.substitute(r.Resolved)
	name := workflow.NamePart(resolved)
	if owner, _, ok := strings.Cut(name, "/"); ok && !strings.ContainsAny(owner, "${") {
		a.checkNamespace(fs, j, t, owner, line, where)
	}
	if opaque := workflow.OpaqueNameParts(resolved); len(opaque) > 0 {
		fs.add(Problem{Verdict: Unknown, Registry: t.host, Line: line,
			Reason: fmt.Sprintf("Job %s pushes %s, whose name depends on %s, which cannot be evaluated before the run; its case and namespace are not checked.", j.ID, where, strings.Join(opaque, ", ")),
			Fix:    "Nothing to change if every value is a lower-case name under the repository's owner."})
		return
	}
	if !r.Lowercased && workflow.LiteralNameHasUpper(resolved) {
		fs.add(uppercaseProblem(j, t, where, line))
		return
	}
	if ctxs := workflow.CaseContexts(resolved); len(ctxs) > 0 && !r.Lowercased {
		fs.add(Problem{Verdict: Unknown, Registry: t.host, Line: line,
			Reason: fmt.Sprintf("Job %s pushes %s, whose name takes the case of %s, not known here; registries refuse upper-case names, so the push fails if that name has any.", j.ID, where, strings.Join(ctxs, ", ")),
			Fix:    "Nothing to change if the owner's and repository's names are lower case; otherwise lower-case the name (docker/metadata-action's tags do, or ${GITHUB_REPOSITORY,,} in bash). Give the repository's owner and name to have it checked."})
		return
	}
}

// uppercaseProblem: the name has upper case the registry refuses.
func uppercaseProblem(j *workflow.Job, t target, where string, line int) Problem {
	return Problem{Verdict: UppercaseName, Registry: t.host, Line: line,
		Reason: fmt.Sprintf("Job %s pushes %s on line %d, whose name has upper-case letters (owner and repository names keep their case); registries refuse upper-case repository names.", j.ID, where, line),
		Fix:    "Lower-case the name: write it in lower case, take it from docker/metadata-action's tags (it lower-cases), or lower-case the variable first (${GITHUB_REPOSITORY,,} in bash)."}
}

// checkNamespace flags a package under another owner than the repository's.
func (a *analysis) checkNamespace(fs *findings, j *workflow.Job, t target, owner string, line int, what string) {
	if !diagnose.NamespaceMismatch(t.host, owner, a.in.Settings.Owner) {
		return
	}
	fs.add(Problem{Verdict: NamespaceMismatch, Registry: t.host, Line: line,
		Reason: fmt.Sprintf("Job %s publishes %s under the namespace %s, but the workflow's token may publish only under the repository's owner, %s.", j.ID, what, owner, a.in.Settings.Owner),
		Fix:    fmt.Sprintf("Publish under %s instead of %s (for example ghcr.io/${{ github.repository_owner }}/NAME, lower-cased), or log in with a token of %s that may write there.", strings.ToLower(a.in.Settings.Owner), owner, owner)})
}
