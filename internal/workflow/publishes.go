package workflow

import (
	"regexp"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/pkghost"
)

// Publishing tools, as Publish.Tool names them.
const (
	ToolBuildPush  = "build-push-action"
	ToolBake       = "bake-action"
	ToolDocker     = "docker"
	ToolPodman     = "podman"
	ToolPushToReg  = "push-to-registry"
	ToolBuildah    = "buildah"
	ToolSkopeo     = "skopeo"
	ToolCrane      = "crane"
	ToolKo         = "ko"
	ToolHelm       = "helm"
	ToolOras       = "oras"
	ToolGoReleaser = "goreleaser"
	ToolJib        = "jib"
	ToolNpm        = "npm"
	ToolMaven      = "maven"
	ToolGradle     = "gradle"
	ToolNuGet      = "nuget"
	ToolGem        = "gem"
	// ToolAttest is actions/attest-build-provenance (or actions/attest,
	// actions/attest-sbom) with push-to-registry: the attestation is pushed
	// next to the image, which needs the same write access as the image.
	ToolAttest = "attest"
)

// Publish is one step (or one command of a step's script) that uploads a
// package or image.
type Publish struct {
	// Step is the publishing step.
	Step *Step
	// Tool names the publisher (Tool… constants).
	Tool string
	// Host is the registry host, lower case ("ghcr.io", "npm.pkg.github.com",
	// "docker.io" for Docker Hub), or "" when the workflow file does not show
	// it: it lives in another file (package.json, .goreleaser.yaml, a bake
	// file) or in an expression that cannot be evaluated.
	Host string
	// Refs are the pushed image or package references, env resolved; for
	// docker/build-push-action with metadata-action tags, the
	// metadata-action's images (which it lower-cases).
	Refs []ImageRef
	// Line is the line of the push: the command, or the step.
	Line int
	// Condition is the push decision when it is an expression
	// (build-push-action's push: ${{ github.event_name != 'pull_request' }}),
	// "" when the step always pushes.
	Condition string
	// Dir is the directory the publish runs in, relative to the repository
	// root ("" for the root): the step's working-directory or its job's or
	// workflow's default, a cd of the script, npm publish's folder. It
	// contains "$" when it cannot be told before the run.
	Dir string
	// Config is the configuration file the tool is given (goreleaser
	// --config), relative to Dir, "" for the tool's default.
	Config string
	// Login is the job's last login to Host before the push (or the push's
	// own credential: dotnet nuget push --api-key, gem push with
	// GEM_HOST_API_KEY, a Gradle step's GITHUB_TOKEN env), nil when none is
	// visible.
	Login *Login
}

// Publishes lists what the job publishes, in step order: container pushes
// (docker/build-push-action and docker/bake-action with push or a pushing
// output, docker/podman/
// buildah push, skopeo copy, crane push/copy, helm push, oras push, ko
// build/publish with KO_DOCKER_REPO, jib with -Djib.to.image or --image),
// goreleaser release (its images live in .goreleaser.yaml, so Host is ""),
// npm/yarn/pnpm publish, Maven deploy, Gradle publish, dotnet nuget push,
// gem push, and attestations pushed next to an image
// (actions/attest-build-provenance with push-to-registry). Pulls, builds and tags that are never pushed are not listed.
func (j *Job) Publishes() []Publish {
	var out []Publish
	logins := j.Logins()
	for _, s := range j.Steps {
		switch actionName(s.Uses) {
		case "docker/build-push-action", "depot/build-push-action", "useblacksmith/build-push-action":
			// Depot's and Blacksmith's actions take build-push-action's inputs.
			out = append(out, j.buildPushPublishes(s)...)
		case "docker/bake-action", "depot/bake-action", "useblacksmith/bake-action":
			if p, ok := j.bakePublish(s); ok {
				out = append(out, p)
			}
		case "redhat-actions/push-to-registry":
			out = append(out, j.pushToRegistry(s)...)
		case "actions/attest-build-provenance", "actions/attest", "actions/attest-sbom":
			out = append(out, j.attestPublishes(s)...)
		case "goreleaser/goreleaser-action":
			if args := strings.Fields(s.With["args"].Str); goreleaserPublishes(args) {
				out = append(out, Publish{Step: s, Tool: ToolGoReleaser, Line: s.Line,
					Dir: cleanDir(s.With["workdir"].Str), Config: flagValue(args, "--config", "-f")})
			}
		}
		if s.Run != "" {
			out = append(out, j.scriptPublishes(s)...)
		}
	}
	for i := range out {
		if strings.Contains(out[i].Host, "$") {
			out[i].Host = "" // an expression: not known before the run
		}
		if out[i].Login == nil {
			out[i].Login = loginBefore(logins, out[i])
		}
	}
	return out
}

// goreleaserPublishes reports whether GoReleaser's arguments publish:
// release (not a --snapshot, a --split build or with publishing skipped),
// or GoReleaser Pro's publish and continue --merge.
func goreleaserPublishes(args []string) bool {
	if len(args) == 0 {
		return false
	}
	if strings.HasPrefix(args[0], "-") {
		args = append([]string{"release"}, args...) // release is GoReleaser's default command
	}
	switch args[0] {
	case "publish":
		return true
	case "continue":
		return hasWord(args, "--merge")
	case "release":
		for _, a := range args[1:] {
			if a == "--snapshot" || a == "--split" || a == "--skip-publish" || a == "--skip=publish" ||
				(strings.HasPrefix(a, "--skip=") && strings.Contains(a, "publish")) {
				return false
			}
		}
		return true
	}
	return false
}

// loginBefore returns the last login to the publish's host at or before its
// step; for a host that is not known, the last login to any GitHub Packages
// registry.
func loginBefore(logins []Login, p Publish) *Login {
	var found *Login
	for i := range logins {
		l := &logins[i]
		if l.Step.Index > p.Step.Index || (l.Step == p.Step && l.Line > p.Line) {
			break
		}
		if l.Registry == p.Host || (p.Host == "" && isGitHubPackagesHost(l.Registry)) {
			found = l
		}
	}
	return found
}

// isGitHubPackagesHost is the workflow model's view of GitHub Packages
// hosts: github.com's and GHE.com's registries, and the registry
// subdomains of GitHub Enterprise Server instances, which a workflow
// cannot confirm.
func isGitHubPackagesHost(host string) bool {
	return pkghost.IsGitHubPackages(host) || pkghost.HasRegistrySubdomain(host)
}

// buildPushPublishes: build-push-action pushes its tags when push: is true
// (or an expression).
func (j *Job) buildPushPublishes(s *Step) []Publish {
	push := strings.TrimSpace(s.With["push"].Str)
	cond := ""
	switch {
	case strings.EqualFold(push, "true"):
	case strings.Contains(push, "${{"):
		cond = push
	default:
		return nil
	}
	env := scopeFor(j, s)
	var refs []ImageRef
	for _, r := range splitList(s.With["tags"], true) {
		if id := stepOutputID(r.Str); id != "" {
			refs = append(refs, j.metadataRefs(id)...)
			continue
		}
		refs = append(refs, publishedRef(s, env, r.Str, r.Line, RefFromBuildPush, false))
	}
	if len(refs) == 0 {
		return []Publish{{Step: s, Tool: ToolBuildPush, Line: s.Line, Condition: cond}}
	}
	return groupByHost(s, ToolBuildPush, s.Line, cond, refs)
}

// stepOutputID returns X of a tags value ${{ steps.X.outputs.tags }}.
func stepOutputID(v string) string {
	m := stepOutputRe.FindStringSubmatch(v)
	if m == nil || !strings.Contains(v, "outputs.tags") {
		return ""
	}
	return m[1]
}

// metadataRefs returns the images of the docker/metadata-action step with the id.
func (j *Job) metadataRefs(id string) []ImageRef {
	var out []ImageRef
	for _, r := range j.ImageRefs() {
		if r.Source == RefFromMetadata && r.Step != nil && r.Step.ID == id {
			out = append(out, r)
		}
	}
	return out
}

// groupByHost makes one Publish per registry host of the refs, in order.
func groupByHost(s *Step, tool string, line int, cond string, refs []ImageRef) []Publish {
	var out []Publish
	index := map[string]int{}
	for _, r := range refs {
		h := RefHost(r.Resolved)
		i, ok := index[h]
		if !ok {
			i = len(out)
			index[h] = i
			out = append(out, Publish{Step: s, Tool: tool, Host: h, Line: line, Condition: cond})
		}
		out[i].Refs = append(out[i].Refs, r)
	}
	for i := range out {
		if out[i].Line == 0 && len(out[i].Refs) > 0 {
			out[i].Line = out[i].Refs[0].Line
		}
	}
	return out
}

// RefHost returns the registry host of an image reference, lower case:
// "docker.io" when the first path part is not a host, "" when the host is an
// expression that cannot be evaluated.
func RefHost(ref string) string {
	ref = repoPathRe.ReplaceAllString(strings.TrimSpace(ref), "owner/repo")
	ref = ownerPathRe.ReplaceAllString(ref, "owner")
	for _, scheme := range []string{"oci://", "docker://", "https://", "http://"} {
		ref = strings.TrimPrefix(ref, scheme)
	}
	first, _, hasSlash := strings.Cut(ref, "/")
	if strings.Contains(first, "${{") || strings.Contains(first, "$") {
		return ""
	}
	if !hasSlash || !(strings.ContainsAny(first, ".:") || first == "localhost") {
		return "docker.io"
	}
	first = strings.ToLower(first)
	if first == "index.docker.io" || first == "registry-1.docker.io" {
		return "docker.io"
	}
	return first
}

// Contexts that hold a repository path (owner/name) or an owner name,
// never a registry host: an image named by them alone is on Docker Hub.
var (
	repoPathRe  = regexp.MustCompile(`\$\{\{\s*github\.repository\s*\}\}|\$\{GITHUB_REPOSITORY(,,)?\}|\$GITHUB_REPOSITORY\b`)
	ownerPathRe = regexp.MustCompile(`\$\{\{\s*github\.(repository_owner|actor|event\.repository\.name)\s*\}\}|\$\{GITHUB_(REPOSITORY_OWNER|ACTOR)(,,)?\}|\$GITHUB_(REPOSITORY_OWNER|ACTOR)\b`)
)

// bakePublish: docker/bake-action pushes with push: true; the image names
// are in the bake file unless set: overrides *.tags.
func (j *Job) bakePublish(s *Step) (Publish, bool) {
	push := strings.TrimSpace(s.With["push"].Str)
	p := Publish{Step: s, Tool: ToolBake, Line: s.Line}
	switch {
	case strings.EqualFold(push, "true"):
	case strings.Contains(push, "${{"):
		p.Condition = push
	case bakeOutputPushes(s):
	default:
		return Publish{}, false
	}
	env := scopeFor(j, s)
	for _, v := range splitList(s.With["set"], false) {
		if k, val, ok := strings.Cut(v.Str, "="); ok && strings.HasSuffix(strings.TrimSpace(k), ".tags") {
			val = strings.TrimSpace(val)
			p.Refs = append(p.Refs, publishedRef(s, env, val, v.Line, RefFromRun, false))
		}
	}
	if len(p.Refs) > 0 {
		p.Host = RefHost(p.Refs[0].Resolved)
	}
	return p, true
}

// bakeOutputPushes reports whether a bake-action step pushes through an
// output override (set: *.output=type=image,push=true or type=registry)
// rather than push: true.
func bakeOutputPushes(s *Step) bool {
	for _, v := range splitList(s.With["set"], false) {
		k, val, ok := strings.Cut(v.Str, "=")
		if !ok || !strings.HasSuffix(strings.TrimSpace(k), ".output") {
			continue
		}
		val = strings.ReplaceAll(strings.ToLower(val), " ", "")
		if strings.Contains(val, "push=true") || strings.Contains(val, "type=registry") {
			return true
		}
	}
	return false
}

// pushToRegistry: redhat-actions/push-to-registry pushes image: with each of
// tags: to registry: (or image: alone when it is fully qualified).
func (j *Job) pushToRegistry(s *Step) []Publish {
	env := scopeFor(j, s)
	image := strings.TrimSpace(s.With["image"].Str)
	registry := strings.TrimSuffix(strings.TrimSpace(s.With["registry"].Str), "/")
	ref := image
	if registry != "" {
		ref = registry + "/" + image
	}
	line := s.Line
	if v, ok := s.With["registry"]; ok && v.Line > 0 {
		line = v.Line
	}
	r := publishedRef(s, env, ref, line, RefFromRun, false)
	return groupByHost(s, ToolPushToReg, s.Line, "", []ImageRef{r})
}

// attestPublishes: an attestation action with push-to-registry: true (or
// an expression) pushes the signed attestation to the registry of
// subject-name, with the job's registry login.
func (j *Job) attestPublishes(s *Step) []Publish {
	push := strings.TrimSpace(s.With["push-to-registry"].Str)
	cond := ""
	switch {
	case strings.EqualFold(push, "true"):
	case strings.Contains(push, "${{"):
		cond = push
	default:
		return nil
	}
	name := s.With["subject-name"]
	if strings.TrimSpace(name.Str) == "" {
		return nil // attests files (subject-path): nothing to push
	}
	line := name.Line
	if line == 0 {
		line = s.Line
	}
	r := publishedRef(s, scopeFor(j, s), strings.TrimSpace(name.Str), line, RefFromRun, false)
	r.Lowercased = true // the action lower-cases the name it pushes to
	return groupByHost(s, ToolAttest, line, cond, []ImageRef{r})
}
