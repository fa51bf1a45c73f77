package scan

import (
	"regexp"
	"strings"
)

// ToolUnknown is Finding.Tool when neither the line nor the step tells
// which client printed the error.
const ToolUnknown = "unknown"

// toolShape recognises a client from the shape of the error line itself.
type toolShape struct {
	tool  string
	match func(text string) bool
}

var (
	reBuildKitStep = regexp.MustCompile(`^#\d+ `)
	reGGCRError    = regexp.MustCompile(`^(?:Error: )?(?:GET|HEAD|POST|PUT|PATCH|DELETE) https?://\S+: [A-Z_]+: `)
)

// lineToolShapes are tried in order; they outrank the step title because a
// step may run several clients.
var lineToolShapes = []toolShape{
	{"ko", func(t string) bool { return strings.Contains(t, "ko://") || strings.Contains(t, "error publishing") }},
	{"goreleaser", func(t string) bool {
		return strings.Contains(t, "⨯ release failed") || strings.Contains(t, "release failed after")
	}},
	{"helm", func(t string) bool { return strings.Contains(t, `failed to perform "Push"`) }},
	{"buildx", func(t string) bool {
		return reBuildKitStep.MatchString(t) || strings.Contains(t, "failed to solve") || strings.Contains(t, "buildx failed with")
	}},
	{"podman", func(t string) bool {
		return strings.Contains(t, "Error: writing blob") || strings.Contains(t, "initiating layer upload") ||
			strings.Contains(t, "trying to reuse blob") || strings.Contains(t, "failed to read from destination repository")
	}},
	{"npm", func(t string) bool { return strings.HasPrefix(t, "npm ERR!") || strings.HasPrefix(t, "npm error") }},
	{"nuget", func(t string) bool { return strings.HasPrefix(t, "warn : ") && !strings.Contains(t, "npm") }},
	{"crane", reGGCRError.MatchString},
	{"docker", func(t string) bool {
		return strings.Contains(t, "Error response from daemon") || strings.HasPrefix(t, "docker: ")
	}},
}

// stepTools maps words of a step title ("Run docker/build-push-action@v6",
// "Run mvn -B deploy") to the client the step runs, first match wins. The
// pattern runs only when the lower-cased title holds one of the hints.
var stepTools = []struct {
	tool  string
	hints []string
	re    *regexp.Regexp
}{
	{"goreleaser", []string{"goreleaser"}, regexp.MustCompile(`(?i)goreleaser`)},
	{"buildx", []string{"build"}, regexp.MustCompile(`(?i)build-push-action|bake-action|\bbuildx\b|\bdocker (?:image )?build\b`)},
	{"podman", []string{"push-to-registry", "buildah", "podman", "skopeo", "redhat-actions/"}, regexp.MustCompile(`(?i)push-to-registry|buildah|podman|skopeo|redhat-actions/`)},
	{"ko", []string{"ko"}, regexp.MustCompile(`(?i)ko-build/|setup-ko|\bko (?:build|publish|resolve|apply)\b`)},
	{"oras", []string{"oras"}, regexp.MustCompile(`(?i)\boras\b`)},
	{"helm", []string{"helm"}, regexp.MustCompile(`(?i)\bhelm\b`)},
	{"crane", []string{"crane", "cosign", "flux"}, regexp.MustCompile(`(?i)\bcrane\b|cosign|\bflux\b`)},
	{"docker", []string{"login-action", "docker"}, regexp.MustCompile(`(?i)login-action|\bdocker (?:image )?(?:push|login|tag|pull)\b`)},
	{"npm", []string{"npm", "yarn", "setup-node"}, regexp.MustCompile(`(?i)\bnpm\b|\byarn\b|\bpnpm\b|setup-node`)},
	{"gradle", []string{"gradle"}, regexp.MustCompile(`(?i)gradle`)},
	{"maven", []string{"mvn", "maven"}, regexp.MustCompile(`(?i)\bmvn\b|maven`)},
	{"nuget", []string{"nuget", "dotnet"}, regexp.MustCompile(`(?i)nuget|\bdotnet\b`)},
	{"gem", []string{"gem", "rubygems", "rake release"}, regexp.MustCompile(`(?i)\bgem (?:push|build)\b|rubygems|\bbundle exec rake release\b`)},
}

// registryTools is the client implied by a registry that only one client speaks.
var registryTools = map[string]string{
	RegistryNPM:      "npm",
	RegistryNuGet:    "nuget",
	RegistryRubyGems: "gem",
}

// inferTool names the client that printed a finding's line: from the line's
// own shape, else the rule, the step title, the step's earlier output, the
// registry; "unknown" rather than a guess.
func inferTool(text string, rule *catalogRule, step, contextTool, registry string) string {
	return inferToolWithStep(text, rule, stepToolOf(step), contextTool, registry)
}

// inferToolWithStep is inferTool with the step title's client already
// worked out (stepToolOf).
func inferToolWithStep(text string, rule *catalogRule, fromStep, contextTool, registry string) string {
	for _, shape := range lineToolShapes {
		if shape.match(text) {
			if shape.tool == "helm" && fromStep == "oras" {
				return "oras"
			}
			return shape.tool
		}
	}
	switch {
	case rule.tool != "" && (fromStep == "" || rule.tool != "buildx" && rule.tool != "helm"):
		return rule.tool
	case fromStep != "":
		return fromStep
	case rule.tool != "":
		return rule.tool
	case contextTool != "":
		return contextTool
	case registryTools[registry] != "":
		return registryTools[registry]
	}
	return ToolUnknown
}

// stepToolOf returns the client a step title names, or "".
func stepToolOf(step string) string {
	lower := strings.ToLower(step)
	for _, st := range stepTools {
		if containsAny(lower, st.hints) && st.re.MatchString(step) {
			return st.tool
		}
	}
	return ""
}
