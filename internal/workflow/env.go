package workflow

import (
	"regexp"
	"strings"
)

// maxResolveDepth bounds env-in-env resolution.
const maxResolveDepth = 4

var (
	envExprRe   = regexp.MustCompile(`\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)
	shellVarRe  = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)`)
	githubEnvRe = regexp.MustCompile(`^(?:echo|printf)\s+(?:-[a-z]+\s+)?["']?([A-Za-z_][A-Za-z0-9_]*)=(.*?)["']?\s*>>?\s*["']?\$\{?GITHUB_ENV\}?["']?\s*$`)
	lowercaseRe = regexp.MustCompile(`,,\}|\btr\s+['"]?(\[:upper:\]|A-Z)|tolower|\blower\(|\.lower\(\)|(?i)\bto_?lower`)
)

// envScope answers "what is env X" for one step: step env, then job env,
// then workflow env, except names an earlier step rewrites via $GITHUB_ENV.
type envScope struct {
	step *Step
	job  *Job
	// local holds NAME=value assignments made earlier in the same script.
	local map[string]string
	// keepLowered substitutes values computed by a lower-casing command as
	// written (${GITHUB_REPOSITORY,,}) instead of leaving the variable, for
	// callers that need the registry host of such a value.
	keepLowered bool
}

func scopeFor(j *Job, s *Step) envScope {
	return envScope{step: s, job: j}
}

// staticEnv returns the value an env name has when the step runs, and
// whether that value is known from the file.
func (e envScope) staticEnv(name string) (Value, bool) {
	if e.job != nil {
		if v, ok := e.job.runtimeEnv(name, e.step, e.keepLowered); ok {
			return Value{Str: v}, true
		}
	}
	if e.step != nil {
		if v, ok := e.step.Env[name]; ok {
			return v, true
		}
	}
	if e.job != nil {
		if v, ok := e.job.Env[name]; ok {
			return v, true
		}
		if e.job.file != nil {
			if v, ok := e.job.file.Env[name]; ok {
				return v, true
			}
		}
	}
	return Value{}, false
}

// runtimeEnv returns what the last step before s wrote for name to
// $GITHUB_ENV. A value computed by a lower-casing command is returned as an
// env expression, so that it is treated as already lower case.
func (j *Job) runtimeEnv(name string, s *Step, keepLowered bool) (string, bool) {
	val, found := "", false
	for _, prev := range j.Steps {
		if s != nil && prev.Index >= s.Index {
			break
		}
		if prev.Run == "" || !strings.Contains(prev.Run, "GITHUB_ENV") {
			continue
		}
		for _, l := range logicalLines(prev.Run, prev.RunLine) {
			m := githubEnvRe.FindStringSubmatch(l.text)
			if m == nil || m[1] != name {
				continue
			}
			found = true
			val = m[2]
			if lowercaseRe.MatchString(m[2]) && !keepLowered {
				val = "${{ env." + name + " }}"
			}
		}
	}
	return val, found
}

// resolve replaces ${{ env.X }} (and, in scripts, $X / ${X}) whose values are
// known from the file, repeatedly up to maxResolveDepth.
func (e envScope) resolve(text string, script bool) string {
	for depth := 0; depth < maxResolveDepth; depth++ {
		next := envExprRe.ReplaceAllStringFunc(text, func(m string) string {
			name := envExprRe.FindStringSubmatch(m)[1]
			if v, ok := e.staticEnv(name); ok && v.Str != m {
				return v.Str
			}
			return m
		})
		if script {
			next = e.resolveShell(next)
		}
		if next == text {
			break
		}
		text = next
	}
	return text
}

func (e envScope) resolveShell(text string) string {
	return shellVarRe.ReplaceAllStringFunc(text, func(m string) string {
		sm := shellVarRe.FindStringSubmatch(m)
		name := sm[1] + sm[2]
		if v, ok := e.local[name]; ok {
			if lowercaseRe.MatchString(v) && !e.keepLowered {
				return m
			}
			return v
		}
		if v, ok := e.staticEnv(name); ok && !strings.Contains(v.Str, m) {
			return v.Str
		}
		return m
	})
}
