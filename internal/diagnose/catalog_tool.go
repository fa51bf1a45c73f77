package diagnose

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
	{"crane", reGGCRError.MatchString},
	{"docker", func(t string) bool {
		return strings.Contains(t, "Error response from daemon") || strings.HasPrefix(t, "docker: ")
	}},
}

// stepTools maps words of a step title ("Run docker/build-push-action@v6",
// "Run mvn -B deploy") to the client the step runs, first match wins.
var stepTools = []struct {
	tool string
	re   *regexp.Regexp
}{
	{"goreleaser", regexp.MustCompile(`(?i)goreleaser`)},
	{"buildx", regexp.MustCompile(`(?i)build-push-action|bake-action|\bbuildx\b|\bdocker (?:image )?build\b`)},
	{"podman", regexp.MustCompile(`(?i)push-to-registry|buildah|podman|skopeo|redhat-actions/`)},
	{"ko", regexp.MustCompile(`(?i)ko-build/|setup-ko|\bko (?:build|publish|resolve|apply)\b`)},
	{"oras", regexp.MustCompile(`(?i)\boras\b`)},
	{"helm", regexp.MustCompile(`(?i)\bhelm\b`)},
	{"crane", regexp.MustCompile(`(?i)\bcrane\b|cosign|\bflux\b`)},
	{"docker", regexp.MustCompile(`(?i)login-action|\bdocker (?:image )?(?:push|login|tag|pull)\b`)},
	{"npm", regexp.MustCompile(`(?i)\bnpm\b|\byarn\b|\bpnpm\b|setup-node`)},
	{"gradle", regexp.MustCompile(`(?i)gradle`)},
	{"maven", regexp.MustCompile(`(?i)\bmvn\b|maven`)},
	{"nuget", regexp.MustCompile(`(?i)nuget|\bdotnet\b`)},
	{"gem", regexp.MustCompile(`(?i)\bgem (?:push|build)\b|rubygems|\bbundle exec rake release\b`)},
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
	for _, shape := range lineToolShapes {
		if shape.match(text) {
			if shape.tool == "helm" && stepToolOf(step) == "oras" {
				return "oras"
			}
			return shape.tool
		}
	}
	fromStep := stepToolOf(step)
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
	for _, st := range stepTools {
		if st.re.MatchString(step) {
			return st.tool
		}
	}
	return ""
}
