package workflow

import (
	"regexp"
	"strings"
)

// CredentialKind classifies the password/token a registry login uses.
type CredentialKind string

// Credential kinds.
const (
	// CredentialGitHubToken is the job's GITHUB_TOKEN (secrets.GITHUB_TOKEN,
	// github.token, or an env var set from them).
	CredentialGitHubToken CredentialKind = "github_token"
	// CredentialSecret is any other repository/organization secret, usually a
	// personal access token; Login.SecretName names it.
	CredentialSecret CredentialKind = "secret"
	// CredentialAppToken is a GitHub App installation token minted in the job
	// (actions/create-github-app-token, tibdex/github-app-token).
	CredentialAppToken CredentialKind = "app_token"
	// CredentialEmpty means no password is given.
	CredentialEmpty CredentialKind = "empty"
	// CredentialUnknown is anything else (inputs, outputs of other steps, files).
	CredentialUnknown CredentialKind = "unknown"
)

var (
	githubTokenRe = regexp.MustCompile(`secrets\.GITHUB_TOKEN\b|secrets\[\s*['"]GITHUB_TOKEN['"]\s*\]|\bgithub\.token\b|\bgithub\[\s*['"]token['"]\s*\]`)
	secretRe      = regexp.MustCompile(`secrets\.([A-Za-z_][A-Za-z0-9_]*)|secrets\[\s*['"]([^'"]+)['"]\s*\]`)
	stepOutputRe  = regexp.MustCompile(`steps\.([A-Za-z0-9_-]+)\.outputs\.`)
	appTokenUses  = []string{"actions/create-github-app-token", "tibdex/github-app-token", "getsentry/action-github-app-token", "peter-murray/workflow-application-token-action"}
)

// classify decides where a credential text comes from.
func (e envScope) classify(text string) (CredentialKind, string) {
	return e.classifyDepth(text, 0)
}

func (e envScope) classifyDepth(text string, depth int) (CredentialKind, string) {
	text = strings.TrimSpace(text)
	if text == "" || text == `""` || text == "''" {
		return CredentialEmpty, ""
	}
	if depth > maxResolveDepth {
		return CredentialUnknown, ""
	}
	for _, expr := range exprRe.FindAllString(text, -1) {
		if k, name := e.classifyExpr(expr, depth); k != CredentialUnknown {
			return k, name
		}
	}
	for _, m := range shellVarRe.FindAllStringSubmatch(exprRe.ReplaceAllString(text, ""), -1) {
		name := m[1] + m[2]
		if v, ok := e.local[name]; ok {
			if k, s := e.classifyDepth(v, depth+1); k != CredentialUnknown {
				return k, s
			}
			continue
		}
		if v, ok := e.staticEnv(name); ok {
			if k, s := e.classifyDepth(v.Str, depth+1); k != CredentialUnknown {
				return k, s
			}
		}
	}
	return CredentialUnknown, ""
}

// classifyExpr classifies one ${{ }} expression; with a || fallback the
// first recognised operand wins.
func (e envScope) classifyExpr(expr string, depth int) (CredentialKind, string) {
	type hit struct {
		at   int
		kind CredentialKind
		name string
	}
	var best *hit
	consider := func(at int, kind CredentialKind, name string) {
		if best == nil || at < best.at {
			best = &hit{at, kind, name}
		}
	}
	if loc := githubTokenRe.FindStringIndex(expr); loc != nil {
		consider(loc[0], CredentialGitHubToken, "")
	}
	for _, m := range secretRe.FindAllStringSubmatchIndex(expr, -1) {
		name := sub(expr, m, 1) + sub(expr, m, 2)
		if name != "GITHUB_TOKEN" {
			consider(m[0], CredentialSecret, name)
			break
		}
	}
	for _, m := range stepOutputRe.FindAllStringSubmatchIndex(expr, -1) {
		if s := e.job.stepByID(sub(expr, m, 1)); s != nil && isAppTokenStep(s) {
			consider(m[0], CredentialAppToken, "")
			break
		}
	}
	for _, m := range envExprNameRe.FindAllStringSubmatchIndex(expr, -1) {
		if v, ok := e.staticEnv(sub(expr, m, 1)); ok {
			if k, name := e.classifyDepth(v.Str, depth+1); k != CredentialUnknown {
				consider(m[0], k, name)
			}
			break
		}
	}
	if best == nil {
		return CredentialUnknown, ""
	}
	return best.kind, best.name
}

var envExprNameRe = regexp.MustCompile(`\benv\.([A-Za-z_][A-Za-z0-9_]*)`)

func sub(s string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

func (j *Job) stepByID(id string) *Step {
	if j == nil {
		return nil
	}
	for _, s := range j.Steps {
		if s.ID == id {
			return s
		}
	}
	return nil
}

func isAppTokenStep(s *Step) bool {
	a := actionName(s.Uses)
	for _, u := range appTokenUses {
		if a == u {
			return true
		}
	}
	return false
}

// actionName returns the owner/repo[/path] of a uses: value, lower case, without @ref.
func actionName(uses string) string {
	if i := strings.IndexByte(uses, '@'); i >= 0 {
		uses = uses[:i]
	}
	return strings.ToLower(strings.TrimSpace(uses))
}

// CredentialOf classifies a credential text (an expression, an env
// reference) as the step would see it, with the job's and workflow's env:
// "${{ env.NODE_AUTH_TOKEN }}" is the GITHUB_TOKEN when that env is set
// from it. s may be nil for job-level text.
func (j *Job) CredentialOf(s *Step, text string) (CredentialKind, string) {
	return scopeFor(j, s).classify(text)
}
