package workflow

import (
	"regexp"
	"sort"
	"strings"
)

// scriptPublishes finds publishing commands in a run: script.
func (j *Job) scriptPublishes(s *Step) []Publish {
	var out []Publish
	env := scopeFor(j, s)
	env.local = map[string]string{}
	cwd := s.Dir()
	for _, l := range withSubstitutions(logicalLines(s.Run, s.RunLine)) {
		for _, p := range pipelines(tokenize(l.text)) {
			for _, seg := range p {
				words, assigns := commandWords(seg)
				for k, v := range assigns {
					env.local[k] = v
				}
				if len(words) == 0 {
					continue
				}
				if words[0] == "cd" || words[0] == "pushd" {
					cwd = changeDir(cwd, words[1:])
					continue
				}
				words = append([]string{baseName(words[0])}, words[1:]...)
				for _, pub := range j.commandPublishes(s, env, words, assigns, l.line) {
					pub.Dir = cwd
					if pub.Tool == ToolNpm {
						pub.Dir = npmPublishDir(cwd, words)
					}
					out = append(out, pub)
				}
			}
		}
	}
	return out
}

// npmGlobalValueFlags are flags before an npm, yarn or pnpm subcommand that
// take a value (pnpm --filter X publish, pnpm -C dir publish).
var npmGlobalValueFlags = map[string]bool{"--filter": true, "-F": true, "-C": true, "--dir": true, "--prefix": true, "-w": true, "--workspace": true}

// npmPublishCommand reports whether the words run the publish subcommand
// (npm publish, pnpm -r publish, yarn npm publish), not a package script
// named publish (npm run publish).
func npmPublishCommand(w []string) bool {
	for i := 1; i < len(w); i++ {
		switch a := w[i]; {
		case npmGlobalValueFlags[a]:
			i++
		case strings.HasPrefix(a, "-"):
		case a == "npm" && w[0] == "yarn":
		default:
			return a == "publish"
		}
	}
	return false
}

// withSubstitutions adds, after each line, the commands its $( )
// substitutions run (img=$(ko build ./), digest=$(crane push …)), which
// publish as much as the line itself.
func withSubstitutions(lines []scriptLine) []scriptLine {
	var out []scriptLine
	for _, l := range lines {
		out = append(out, l)
		for _, inner := range substitutions(l.text) {
			out = append(out, scriptLine{text: inner, line: l.line})
		}
	}
	return out
}

// substitutions returns the commands inside the $( ) of a line, outermost
// first, nested ones too.
func substitutions(text string) []string {
	var out []string
	for i := 0; i+1 < len(text); i++ {
		if text[i] != '$' || text[i+1] != '(' || (i+2 < len(text) && text[i+2] == '(') {
			continue // not a substitution, or $(( arithmetic ))
		}
		depth := 0
		for j := i + 1; j < len(text); j++ {
			switch text[j] {
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth == 0 {
				out = append(out, text[i+2:j])
				break
			}
		}
	}
	return out
}

// changeDir follows cd DIR; a cd the script cannot tell (cd -, cd with no
// argument, a variable) makes the directory unknown.
func changeDir(cwd string, args []string) string {
	if len(args) != 1 || args[0] == "-" {
		return "$unknown"
	}
	return JoinDir(cwd, args[0])
}

// npmValueFlags are npm publish flags that take a value.
var npmValueFlags = map[string]bool{"--tag": true, "--access": true, "--registry": true, "--otp": true, "--provenance-file": true}

// npmPublishDir is the package directory of an npm, yarn or pnpm publish:
// its folder argument or workspace, else the directory it runs in. A
// tarball, a workspace named by package, or every workspace is unknown.
func npmPublishDir(cwd string, w []string) string {
	if hasWord(w, "--workspaces") || hasWord(w, "-ws") || hasWord(w, "-r") || hasWord(w, "--recursive") ||
		hasWord(w, "foreach") || flagValue(w, "--filter", "-F") != "" {
		return "$workspaces"
	}
	if ws := flagValue(w, "--workspace", "-w"); ws != "" {
		if strings.HasPrefix(ws, "@") || !strings.Contains(ws, "/") {
			return "$" + ws // a workspace named by its package
		}
		return JoinDir(cwd, ws)
	}
	i := 0
	for i < len(w) && w[i] != "publish" {
		i++
	}
	for i++; i < len(w); i++ {
		a := w[i]
		switch {
		case npmValueFlags[a]:
			i++
		case strings.HasPrefix(a, "-"):
		case strings.HasSuffix(a, ".tgz") || strings.HasSuffix(a, ".tar.gz"):
			return "$" + a
		default:
			return JoinDir(cwd, a)
		}
	}
	return cwd
}

// commandPublishes recognises one command as a publish.
func (j *Job) commandPublishes(s *Step, env envScope, w []string, assigns map[string]string, line int) []Publish {
	refs := func(tool string, rs []string) []Publish {
		var ir []ImageRef
		for _, r := range rs {
			ir = append(ir, publishedRef(s, env, r, line, RefFromRun, true))
		}
		if len(ir) == 0 {
			return []Publish{{Step: s, Tool: tool, Line: line}}
		}
		return groupByHost(s, tool, line, "", ir)
	}
	switch w[0] {
	case "docker", "podman", "buildah", "nerdctl":
		if containerPushes(w) {
			return refs(containerTool(w[0]), pushedRefs(w))
		}
	case "skopeo", "crane", "helm", "oras":
		if !pushVerb(w) {
			return nil
		}
		rs := commandRefs(w)
		if len(rs) == 0 && w[0] == "skopeo" && len(positional(w[2:], nil)) >= 2 {
			return nil // skopeo copy to the local daemon or a file
		}
		return refs(w[0], rs)
	case "ko":
		if len(w) > 1 && (w[1] == "build" || w[1] == "publish" || w[1] == "resolve" || w[1] == "apply") && !hasWord(w, "--push=false") && !hasWord(w, "--local") {
			repo := assigns["KO_DOCKER_REPO"]
			if repo == "" {
				repo = "$KO_DOCKER_REPO"
			}
			return refs(ToolKo, []string{repo})
		}
	case "goreleaser":
		if goreleaserPublishes(w[1:]) {
			return []Publish{{Step: s, Tool: ToolGoReleaser, Line: line, Config: flagValue(w, "--config", "-f")}}
		}
	case "mvn", "mvnw", "./mvnw", "gradle", "gradlew", "./gradlew":
		return j.jvmPublishes(s, env, w, line)
	case "npm", "yarn", "pnpm":
		if npmPublishCommand(w) && !hasWord(w, "--dry-run") {
			host := registryHost(flagValue(w, "--registry"))
			if host == "" {
				host = j.setupNodeRegistry(s)
			}
			return []Publish{{Step: s, Tool: ToolNpm, Host: host, Line: line}}
		}
	case "dotnet":
		if hasPrefixWords(w, "dotnet", "nuget", "push") {
			source := flagValue(w, "--source", "-s")
			return []Publish{urlPublish(s, env, ToolNuGet, source, line)}
		}
	case "gem":
		if hasPrefixWords(w, "gem", "push") {
			host := flagValue(w, "--host")
			if host == "" {
				host = "rubygems.org"
			}
			return []Publish{urlPublish(s, env, ToolGem, host, line)}
		}
	}
	return nil
}

func containerTool(cmd string) string {
	switch cmd {
	case "podman":
		return ToolPodman
	case "buildah":
		return ToolBuildah
	}
	return ToolDocker
}

// containerPushes: push, manifest push, buildx build --push (or
// --output type=registry), buildx imagetools create.
func containerPushes(w []string) bool {
	args := w[1:]
	if len(args) > 0 && (args[0] == "image" || args[0] == "buildx" || args[0] == "manifest") {
		if args[0] == "manifest" && len(args) > 1 && args[1] == "push" {
			return true
		}
		args = args[1:]
	}
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "push":
		return true
	case "build", "bud":
		return hasWord(args, "--push") || strings.Contains(strings.Join(args, " "), "type=registry")
	case "imagetools":
		return len(args) > 1 && args[1] == "create"
	}
	return false
}

// pushedRefs returns what a container push command sends.
func pushedRefs(w []string) []string {
	if hasPrefixWords(w, w[0], "manifest", "push") {
		return argAt(positional(w[3:], nil), 0)
	}
	return commandRefs(w)
}

// pushVerb reports whether a skopeo/crane/helm/oras command uploads.
func pushVerb(w []string) bool {
	if len(w) < 2 {
		return false
	}
	switch w[0] {
	case "skopeo":
		return w[1] == "copy"
	case "crane":
		return w[1] == "push" || w[1] == "copy" || w[1] == "cp"
	case "helm", "oras":
		return w[1] == "push" || (w[0] == "oras" && w[1] == "attach")
	}
	return false
}

func hasWord(w []string, word string) bool {
	for _, x := range w {
		if x == word {
			return true
		}
	}
	return false
}

// setupNodeRegistry returns the registry-url host of the last
// actions/setup-node step before s, "" when none names one.
func (j *Job) setupNodeRegistry(s *Step) string {
	host := ""
	for _, prev := range j.Steps[:s.Index] {
		if actionName(prev.Uses) == "actions/setup-node" {
			host = registryHost(prev.With["registry-url"].Str)
		}
	}
	return host
}

// jvmPublishes recognises jib builds, Maven deploys and Gradle publishes.
func (j *Job) jvmPublishes(s *Step, env envScope, w []string, line int) []Publish {
	text := strings.Join(w, " ")
	if strings.Contains(text, "jib") && !strings.Contains(text, "jibDockerBuild") && !strings.Contains(text, "jib:dockerBuild") {
		image := flagValue(w, "-Djib.to.image", "--image")
		p := Publish{Step: s, Tool: ToolJib, Line: line}
		if image != "" {
			p.Refs = []ImageRef{publishedRef(s, env, image, line, RefFromRun, true)}
			p.Host = RefHost(p.Refs[0].Resolved)
		}
		p.Login = stepEnvLogin(j, s, p.Host, line)
		if pass := flagValue(w, "-Djib.to.auth.password"); pass != "" {
			l := j.login(s, env, p.Host, Value{Str: flagValue(w, "-Djib.to.auth.username"), Line: line}, Value{Str: pass, Line: line}, line)
			p.Login = &l
		}
		return []Publish{p}
	}
	maven := strings.Contains(w[0], "mvn")
	if maven && !hasWord(w, "deploy") && !hasWord(w, "deploy:deploy") {
		return nil
	}
	if !maven && !gradlePublishes(w[1:]) {
		return nil
	}
	tool := ToolGradle
	if maven {
		tool = ToolMaven
	}
	p := Publish{Step: s, Tool: tool, Line: line}
	if alt := flagValue(w, "-DaltDeploymentRepository"); alt != "" {
		parts := strings.Split(alt, "::")
		p.Host = registryHost(parts[len(parts)-1])
	}
	if p.Host == "" && stepMentions(j, s, mavenGitHubHost) {
		p.Host = mavenGitHubHost
	}
	p.Login = stepEnvLogin(j, s, p.Host, line)
	if p.Host == "" && p.Login != nil && p.Login.Credential == CredentialGitHubToken {
		// GITHUB_TOKEN is accepted by no Maven repository but GitHub's.
		p.Host = mavenGitHubHost
		p.Login.Registry = mavenGitHubHost
	}
	return []Publish{p}
}

// gradlePublishes reports whether the Gradle arguments run a publish task.
func gradlePublishes(args []string) bool {
	for _, a := range args {
		a = a[strings.LastIndexByte(a, ':')+1:]
		if strings.HasPrefix(a, "publish") {
			return true
		}
	}
	return false
}

// stepMentions reports whether the step's script or env, or the job's env,
// names text.
func stepMentions(j *Job, s *Step, text string) bool {
	if strings.Contains(s.Run, text) {
		return true
	}
	for _, m := range []map[string]Value{s.Env, j.Env} {
		for _, v := range m {
			if strings.Contains(v.Str, text) {
				return true
			}
		}
	}
	return false
}

// stepEnvLogin is the credential a JVM build reads from its env: the
// first env entry of the step (then the job) holding GITHUB_TOKEN, an App
// token or a secret, nil when none does.
func stepEnvLogin(j *Job, s *Step, host string, line int) *Login {
	env := scopeFor(j, s)
	for _, m := range []map[string]Value{s.Env, j.Env} {
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Slice(names, func(a, b int) bool { return m[names[a]].Line < m[names[b]].Line })
		for _, k := range names {
			kind, secret := env.classify(m[k].Str)
			if kind == CredentialGitHubToken || kind == CredentialSecret || kind == CredentialAppToken {
				return &Login{Step: s, Registry: host, Password: m[k], Credential: kind, SecretName: secret, Line: line}
			}
		}
	}
	return nil
}

// urlPublish is a publish to a registry named by URL (dotnet nuget push
// --source, gem push --host); the URL, which names the owner, is its ref.
func urlPublish(s *Step, env envScope, tool, url string, line int) Publish {
	p := Publish{Step: s, Tool: tool, Line: line}
	if url == "" {
		return p
	}
	resolved := env.resolve(url, true)
	p.Host = registryHost(resolved)
	if strings.Contains(p.Host, "$") {
		p.Host = ""
	}
	p.Refs = []ImageRef{{Step: s, Ref: url, Line: line, Resolved: resolved, Source: RefFromRun}}
	return p
}

// loweredSubstRe matches a command substitution that lower-cases what it
// echoes: $(echo ghcr.io/$GITHUB_REPOSITORY | tr '[:upper:]' '[:lower:]').
var loweredSubstRe = regexp.MustCompile(`^\$\(\s*echo\s+["']?([^"'|)]+?)["']?\s*\|\s*(tr|awk|sed)\b[^)]*\)(.*)$`)

// publishedRef resolves a pushed reference, keeping values that an earlier
// command lower-cased, and marks it Lowercased when it is.
func publishedRef(s *Step, env envScope, ref string, line int, source string, script bool) ImageRef {
	env.keepLowered = true
	resolved := env.resolve(ref, script)
	r := ImageRef{Step: s, Ref: ref, Line: line, Resolved: resolved, Source: source}
	if m := loweredSubstRe.FindStringSubmatch(resolved); m != nil && lowercaseRe.MatchString(resolved) {
		r.Resolved, r.Lowercased = m[1]+m[3], true
	}
	return r
}
