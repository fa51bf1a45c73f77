package workflow

import (
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/pkghost"
)

// Login is one registry authentication found in a job.
type Login struct {
	// Step is the step that authenticates (for npm/Maven/RubyGems: the step
	// that carries the token).
	Step *Step
	// Registry is the registry host ("ghcr.io", "npm.pkg.github.com", …);
	// "" means Docker Hub, the default of docker login tools.
	Registry string
	// Username and Password are as written, expressions kept. For
	// --password-stdin, Password is what is piped in (the echo/printf
	// argument, the cat command) or "<stdin>" when that is not visible.
	Username Value
	Password Value
	// Credential says where Password comes from.
	Credential CredentialKind
	// SecretName names the secret for CredentialSecret.
	SecretName string
	// Line is the line of the login (the step, or the command in a script).
	Line int
}

// GitHub Packages registry hosts for language ecosystems.
const (
	npmGitHubHost   = pkghost.NPM
	mavenGitHubHost = pkghost.Maven
)

// loginCommands are the CLI prefixes that log in to a registry.
var loginCommands = [][]string{
	{"docker", "login"}, {"podman", "login"}, {"buildah", "login"}, {"skopeo", "login"},
	{"nerdctl", "login"}, {"helm", "registry", "login"}, {"oras", "login"},
	{"crane", "auth", "login"}, {"regctl", "registry", "login"},
	{"ko", "login"}, {"cosign", "login"},
}

// dotnetSourceFlags are the dotnet nuget add source options with a value.
var dotnetSourceFlags = map[string]bool{"--username": true, "-u": true, "--password": true, "-p": true, "--name": true, "-n": true, "--configfile": true, "--valid-authentication-types": true}

// loginValueFlags are login options that take a separate value we ignore.
var loginValueFlags = map[string]bool{"--authfile": true, "--cert-dir": true, "--config": true, "--ca-file": true, "--cert-file": true, "--key-file": true, "--registry-config": true}

// Logins lists the job's registry logins in step order: docker/login-action,
// redhat-actions/podman-login, login commands in run: scripts (docker,
// podman, buildah, skopeo, nerdctl, helm registry, oras, crane auth, regctl,
// ko, cosign),
// actions/setup-node with a GitHub Packages registry-url (token from
// NODE_AUTH_TOKEN), actions/setup-java with server-id github and a Maven deploy
// step, npm auth tokens written to .npmrc, dotnet nuget push/add source, and
// gem push with GEM_HOST_API_KEY.
func (j *Job) Logins() []Login {
	var out []Login
	for _, s := range j.Steps {
		env := scopeFor(j, s)
		switch actionName(s.Uses) {
		case "docker/login-action", "redhat-actions/podman-login":
			out = append(out, j.login(s, env, env.resolve(s.With["registry"].Str, false), s.With["username"], s.With["password"], s.Line))
		case "actions/setup-node":
			if l, ok := j.npmLogin(s); ok {
				out = append(out, l)
			}
		case "actions/setup-java":
			if l, ok := j.mavenLogin(s); ok {
				out = append(out, l)
			}
		}
		if s.Run != "" {
			out = append(out, j.scriptLogins(s)...)
		}
	}
	return out
}

func (j *Job) login(s *Step, env envScope, registry string, user, pass Value, line int) Login {
	l := Login{Step: s, Registry: registryHost(registry), Username: user, Password: pass, Line: line}
	l.Credential, l.SecretName = env.classify(pass.Str)
	return l
}

// registryHost reduces a registry value or URL to its lower-case host; a
// host that is an unresolved expression is returned as written.
func registryHost(r string) string {
	r = strings.TrimSpace(r)
	for _, scheme := range []string{"oci://", "docker://", "https://", "http://"} {
		r = strings.TrimPrefix(r, scheme)
	}
	if i := strings.IndexByte(r, '/'); i >= 0 && !strings.Contains(r[:i], "${{") {
		r = r[:i]
	}
	if strings.Contains(r, "${{") {
		return r
	}
	r = strings.ToLower(r)
	if r == "docker.io" || r == "index.docker.io" || r == "registry-1.docker.io" {
		return ""
	}
	return r
}

// npmLogin: setup-node writes an .npmrc whose token is ${NODE_AUTH_TOKEN} at
// publish time, so the credential is NODE_AUTH_TOKEN of the publishing step.
func (j *Job) npmLogin(setup *Step) (Login, bool) {
	if !strings.Contains(strings.ToLower(setup.With["registry-url"].Str), npmGitHubHost) {
		return Login{}, false
	}
	carrier := setup
	for _, s := range j.Steps[setup.Index+1:] {
		if _, ok := s.Env["NODE_AUTH_TOKEN"]; ok || publishesNpm(s.Run) {
			carrier = s
			break
		}
	}
	env := scopeFor(j, carrier)
	tok, _ := env.staticEnv("NODE_AUTH_TOKEN")
	return j.login(carrier, env, npmGitHubHost, Value{}, tok, carrier.Line), true
}

func publishesNpm(run string) bool {
	return strings.Contains(run, "npm publish") || strings.Contains(run, "yarn publish") ||
		strings.Contains(run, "yarn npm publish") || strings.Contains(run, "pnpm publish")
}

// mavenLogin: setup-java writes a settings.xml whose server (server-id,
// default "github") reads its password from an env var (server-password,
// default GITHUB_TOKEN) in the step that runs Maven.
func (j *Job) mavenLogin(setup *Step) (Login, bool) {
	serverID := setup.With["server-id"].Str
	if serverID == "" {
		serverID = "github"
	}
	if serverID != "github" {
		return Login{}, false
	}
	passVar := setup.With["server-password"].Str
	if passVar == "" {
		passVar = "GITHUB_TOKEN"
	}
	for _, s := range j.Steps[setup.Index+1:] {
		if !deploysMaven(s.Run) {
			continue
		}
		env := scopeFor(j, s)
		pass, _ := env.staticEnv(passVar)
		user := setup.With["server-username"]
		return j.login(s, env, mavenGitHubHost, user, pass, s.Line), true
	}
	return Login{}, false
}

func deploysMaven(run string) bool {
	for _, w := range []string{"mvn", "mvnw"} {
		if strings.Contains(run, w) && strings.Contains(run, "deploy") {
			return true
		}
	}
	return false
}

// scriptLogins finds login commands in a run: script.
func (j *Job) scriptLogins(s *Step) []Login {
	var out []Login
	env := scopeFor(j, s)
	env.local = map[string]string{}
	for _, l := range logicalLines(s.Run, s.RunLine) {
		line := func(str string) Value { return Value{Str: str, Line: l.line} }
		if strings.Contains(l.text, npmGitHubHost+"/:_authToken") {
			tok := l.text[strings.Index(l.text, "_authToken")+len("_authToken"):]
			tok = strings.Trim(strings.TrimLeft(tok, "= "), `"'`)
			if i := strings.IndexAny(tok, `"'>`); i >= 0 {
				tok = strings.TrimSpace(tok[:i])
			}
			out = append(out, j.login(s, env, npmGitHubHost, Value{}, line(tok), l.line))
			continue
		}
		for _, p := range pipelines(tokenize(l.text)) {
			for i, seg := range p {
				words, assigns := commandWords(seg)
				if len(words) == 0 {
					for k, v := range assigns {
						env.local[k] = v
					}
					continue
				}
				if lg, ok := j.commandLogin(s, env, words, p, i, l.line); ok {
					out = append(out, lg)
				}
			}
		}
	}
	return out
}

// commandLogin recognises one pipeline segment as a login command.
func (j *Job) commandLogin(s *Step, env envScope, words []string, p pipeline, idx, line int) (Login, bool) {
	v := func(str string) Value { return Value{Str: str, Line: line} }
	words = append([]string{baseName(words[0])}, words[1:]...)
	for _, prefix := range loginCommands {
		if hasPrefixWords(words, prefix...) {
			return j.cliLogin(s, env, words[len(prefix):], p, idx, line), true
		}
	}
	switch {
	case hasPrefixWords(words, "dotnet", "nuget", "push"):
		source, key := flagValue(words, "--source", "-s"), flagValue(words, "--api-key", "-k")
		return j.login(s, env, source, Value{}, v(key), line), true
	case hasPrefixWords(words, "dotnet", "nuget", "add", "source"):
		source := ""
		if p := positional(words[4:], dotnetSourceFlags); len(p) > 0 {
			source = p[0]
		}
		return j.login(s, env, source, v(flagValue(words, "--username", "-u")), v(flagValue(words, "--password", "-p")), line), true
	case hasPrefixWords(words, "gem", "push"):
		key, ok := env.staticEnv("GEM_HOST_API_KEY")
		if !ok {
			return Login{}, false
		}
		host := flagValue(words, "--host")
		if host == "" {
			host = "rubygems.org"
		}
		return j.login(s, env, host, Value{}, key, line), true
	}
	return Login{}, false
}

// cliLogin parses the arguments of a docker-style login command.
func (j *Job) cliLogin(s *Step, env envScope, args []string, p pipeline, idx, line int) Login {
	var registry, user, pass string
	stdin := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "-u" || a == "--username":
			user = next()
		case strings.HasPrefix(a, "--username="):
			user = strings.TrimPrefix(a, "--username=")
		case a == "-p" || a == "--password":
			pass = next()
		case strings.HasPrefix(a, "--password="):
			pass = strings.TrimPrefix(a, "--password=")
		case a == "--password-stdin":
			stdin = true
		case a == "<<<":
			pass = next()
		case a == ">" || a == ">>":
			next()
		case loginValueFlags[a]:
			next()
		case strings.HasPrefix(a, "-"):
		default:
			if registry == "" {
				registry = a
			}
		}
	}
	if stdin && pass == "" && idx > 0 {
		pass = stdinText(p[idx-1])
	}
	if stdin && pass == "" {
		pass = "<stdin>"
	}
	return j.login(s, env, env.resolve(registry, true), Value{Str: user, Line: line}, Value{Str: pass, Line: line}, line)
}

// stdinText returns what a pipeline segment feeds to the next one when it is
// echo/printf/cat; "<stdin>" for anything else.
func stdinText(seg []string) string {
	words, _ := commandWords(seg)
	if len(words) == 0 {
		return "<stdin>"
	}
	switch baseName(words[0]) {
	case "echo":
		args := words[1:]
		for len(args) > 0 && strings.HasPrefix(args[0], "-") {
			args = args[1:]
		}
		return strings.Join(args, " ")
	case "printf":
		args := words[1:]
		if len(args) >= 2 && strings.Contains(args[0], "%s") {
			return args[1]
		}
		if len(args) >= 1 {
			return args[0]
		}
	case "cat":
		return strings.Join(words, " ")
	}
	return "<stdin>"
}

// flagValue returns the value of the first flag among names (--x v or --x=v).
func flagValue(words []string, names ...string) string {
	for i, w := range words {
		for _, n := range names {
			if w == n && i+1 < len(words) {
				return words[i+1]
			}
			if strings.HasPrefix(w, n+"=") {
				return strings.TrimPrefix(w, n+"=")
			}
		}
	}
	return ""
}
