package workflow

import (
	"regexp"
	"sort"
	"strings"
)

// Where an image reference was found.
const (
	RefFromBuildPush = "docker/build-push-action"
	RefFromMetadata  = "docker/metadata-action"
	RefFromRun       = "run"
	RefFromEnv       = "env"
)

// ImageRef is an image or package reference a job pushes or names.
type ImageRef struct {
	// Step is the step it appears in; nil for job- or workflow-level env.
	Step *Step
	// Ref is the reference as written, expressions kept.
	Ref string
	// Line is the line the reference is on.
	Line int
	// Resolved is Ref with ${{ env.X }} (and $X in scripts) replaced by values
	// that are static in the file; unknown parts are kept as written.
	Resolved string
	// Source says where it was found (RefFrom… constants).
	Source string
	// Lowercased is true when the tool lowercases the name itself
	// (docker/metadata-action does).
	Lowercased bool
}

// UppercaseRisk reports whether the pushed name may contain upper case:
// ExpandsToUpper on the resolved reference, unless the tool lowercases it.
func (r ImageRef) UppercaseRisk() bool {
	return !r.Lowercased && ExpandsToUpper(r.Resolved)
}

var imageEnvNameRe = regexp.MustCompile(`(?i)IMAGE|(^|_)REPO(SITORY)?$|^KO_DOCKER_REPO$`)

// ImageRefs lists the image/package references of a job in step order:
// docker/build-push-action tags:, docker/metadata-action images:, push, tag
// and build -t commands in run: scripts (docker, podman, buildah, helm push,
// oras, crane, skopeo), and env entries that name an image (names containing
// IMAGE, ending in _REPO or REPOSITORY, KO_DOCKER_REPO) at workflow, job and
// step level. GoReleaser and ko read their image names from their own config
// files, so for them only such env entries are seen.
func (j *Job) ImageRefs() []ImageRef {
	var out []ImageRef
	out = append(out, envRefs(j, nil, j.file.envIfPresent())...)
	out = append(out, envRefs(j, nil, j.Env)...)
	for _, s := range j.Steps {
		out = append(out, envRefs(j, s, s.Env)...)
		env := scopeFor(j, s)
		switch actionName(s.Uses) {
		case "docker/build-push-action", "depot/build-push-action", "useblacksmith/build-push-action":
			for _, r := range splitList(s.With["tags"], true) {
				out = append(out, ImageRef{Step: s, Ref: r.Str, Line: r.Line, Resolved: env.resolve(r.Str, false), Source: RefFromBuildPush})
			}
		case "docker/metadata-action":
			for _, r := range splitList(s.With["images"], false) {
				ref := metadataImageName(r.Str)
				if ref == "" {
					continue
				}
				out = append(out, ImageRef{Step: s, Ref: ref, Line: r.Line, Resolved: env.resolve(ref, false), Source: RefFromMetadata, Lowercased: true})
			}
		}
		if s.Run != "" {
			out = append(out, scriptRefs(j, s)...)
		}
	}
	return out
}

func (f *File) envIfPresent() map[string]Value {
	if f == nil {
		return nil
	}
	return f.Env
}

func envRefs(j *Job, s *Step, env map[string]Value) []ImageRef {
	names := make([]string, 0, len(env))
	for k := range env {
		if imageEnvNameRe.MatchString(k) {
			names = append(names, k)
		}
	}
	sort.Slice(names, func(a, b int) bool { return env[names[a]].Line < env[names[b]].Line })
	var out []ImageRef
	for _, k := range names {
		v := env[k]
		if strings.TrimSpace(v.Str) == "" || !strings.ContainsAny(v.Str, "/{") {
			continue // a bare host or plain word, not an image name
		}
		out = append(out, ImageRef{Step: s, Ref: v.Str, Line: v.Line, Resolved: scopeFor(j, s).resolve(v.Str, false), Source: RefFromEnv})
	}
	return out
}

// splitList splits an action input that lists items one per line or
// separated by commas; each item keeps the line it is on.
func splitList(v Value, commas bool) []Value {
	var out []Value
	for i, l := range strings.Split(v.Str, "\n") {
		parts := []string{l}
		if commas {
			parts = splitOutsideExpr(l, ',')
		}
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" && !strings.HasPrefix(p, "#") {
				out = append(out, Value{Str: p, Line: v.Line + i})
			}
		}
	}
	return out
}

// splitOutsideExpr splits s at sep, except inside ${{ }}.
func splitOutsideExpr(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "${{"):
			depth++
			i += 2
		case strings.HasPrefix(s[i:], "}}") && depth > 0:
			depth--
			i++
		case s[i] == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// metadataImageName reads one images: line of docker/metadata-action, either
// a plain name or "name=…,enable=…" attributes.
func metadataImageName(line string) string {
	if !strings.Contains(line, "name=") {
		return strings.TrimSpace(line)
	}
	for _, attr := range splitOutsideExpr(line, ',') {
		if k, v, ok := strings.Cut(strings.TrimSpace(attr), "="); ok && k == "name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// scriptRefs finds references pushed, tagged or built in a run: script.
func scriptRefs(j *Job, s *Step) []ImageRef {
	var out []ImageRef
	env := scopeFor(j, s)
	env.local = map[string]string{}
	for _, l := range logicalLines(s.Run, s.RunLine) {
		for _, p := range pipelines(tokenize(l.text)) {
			for _, seg := range p {
				words, assigns := commandWords(seg)
				if len(words) == 0 {
					for k, v := range assigns {
						env.local[k] = v
					}
					continue
				}
				words = append([]string{baseName(words[0])}, words[1:]...)
				for _, r := range commandRefs(words) {
					out = append(out, ImageRef{Step: s, Ref: r, Line: l.line, Resolved: env.resolve(r, true), Source: RefFromRun})
				}
			}
		}
	}
	return out
}

// commandRefs returns the references a container CLI command pushes/names.
func commandRefs(w []string) []string {
	tool := w[0]
	switch tool {
	case "docker", "podman", "buildah", "nerdctl":
	case "helm":
		if hasPrefixWords(w, "helm", "push") {
			return argAt(positional(w[2:], nil), 1)
		}
		return nil
	case "oras":
		if hasPrefixWords(w, "oras", "push") || hasPrefixWords(w, "oras", "attach") {
			return argAt(positional(w[2:], map[string]bool{"--artifact-type": true, "-a": true, "--annotation": true, "--config": true}), 0)
		}
		return nil
	case "crane":
		switch {
		case hasPrefixWords(w, "crane", "push"), hasPrefixWords(w, "crane", "copy"), hasPrefixWords(w, "crane", "cp"):
			return argAt(positional(w[2:], nil), 1)
		case hasPrefixWords(w, "crane", "tag"):
			return argAt(positional(w[2:], nil), 0)
		}
		return nil
	case "skopeo":
		if hasPrefixWords(w, "skopeo", "copy") {
			var refs []string
			for _, r := range argAt(positional(w[2:], map[string]bool{"--dest-creds": true, "--src-creds": true, "--authfile": true}), 1) {
				if !localTransport(r) {
					refs = append(refs, strings.TrimPrefix(r, "docker://"))
				}
			}
			return refs
		}
		return nil
	default:
		return nil
	}
	args := w[1:]
	if len(args) > 0 && (args[0] == "image" || args[0] == "buildx" || args[0] == "manifest") {
		args = args[1:]
	}
	if len(args) == 0 {
		return nil
	}
	switch args[0] {
	case "push":
		p := positional(args[1:], nil)
		if (tool == "podman" || tool == "buildah") && len(p) > 1 {
			return argAt(p, 1) // push SRC DEST: DEST is what is pushed
		}
		return argAt(p, 0)
	case "tag":
		return argAt(positional(args[1:], nil), 1)
	case "build", "bud", "create":
		return tagFlags(args[1:])
	case "imagetools":
		if len(args) > 1 && args[1] == "create" {
			return tagFlags(args[2:])
		}
	}
	return nil
}

var buildValueFlags = map[string]bool{"-f": true, "--file": true, "--build-arg": true, "--platform": true, "--target": true, "--label": true, "--cache-from": true, "--cache-to": true, "--secret": true, "--output": true, "-o": true, "--builder": true, "--progress": true, "--annotation": true}

// tagFlags returns the values of -t/--tag flags.
func tagFlags(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "-t" || a == "--tag") && i+1 < len(args):
			out = append(out, args[i+1])
			i++
		case strings.HasPrefix(a, "--tag="):
			out = append(out, strings.TrimPrefix(a, "--tag="))
		case strings.HasPrefix(a, "-t") && len(a) > 2 && a[2] != '-':
			out = append(out, a[2:])
		}
	}
	return out
}

// positional drops flags (and the values of flags listed in valueFlags and
// buildValueFlags) and shell redirections.
func positional(args []string, valueFlags map[string]bool) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == ">" || a == ">>" || a == "<<<" || a == "2>&1":
			i++
		case valueFlags[a] || buildValueFlags[a]:
			i++
		case strings.HasPrefix(a, "-"):
		default:
			out = append(out, a)
		}
	}
	return out
}

// argAt returns the i-th positional argument, or nothing.
func argAt(p []string, i int) []string {
	if i < len(p) {
		return []string{p[i]}
	}
	return nil
}

// localTransports are skopeo's destinations that are not a registry.
var localTransports = []string{"docker-daemon:", "containers-storage:", "oci:", "oci-archive:", "docker-archive:", "dir:", "sif:"}

// localTransport reports whether a skopeo destination writes locally.
func localTransport(ref string) bool {
	for _, t := range localTransports {
		if strings.HasPrefix(ref, t) {
			return true
		}
	}
	return false
}
