package scan

import (
	"regexp"
	"strings"
)

// operation is what a job was doing with a registry when it was refused.
type operation uint8

const (
	opUnknown operation = iota
	opPush
	opPull
	opLogin
)

// Where a finding's registry came from (Finding.RegistryFrom).
const (
	// RegistryFromLine: the error line names the registry.
	RegistryFromLine = "line"
	// RegistryFromStep: another line of the same step names it (before
	// the error, or just after it).
	RegistryFromStep = "step"
	// RegistryFromJob: an earlier step of the job names it.
	RegistryFromJob = "job"
	// RegistryFromWording: nothing names it; the error's wording is GitHub
	// Packages' own.
	RegistryFromWording = "wording"
)

// registryContext is the most recent registry a log named: a GitHub
// Packages host with the package, or another registry.
type registryContext struct {
	// registry is a GitHub Packages host, or "".
	registry string
	// foreign is true when the line named another registry.
	foreign bool
	owner   string
	pkg     string
	// tool is the client the context line came from, if its shape tells.
	tool string
	// line is the log line that named it; step the step it is in.
	line int
	step int
	// looksBack is true when the line refers back to an error printed
	// before it (see looksBack) rather than starting something new.
	looksBack bool
}

// looksBack reports whether a context line refers back to the operation
// whose error was printed just before it: buildx's summary
// "> pushing ghcr.io/acme/widget:1 with docker:", or a client's closing
// "failed to push ghcr.io/…" line.
func looksBack(text string) bool {
	return strings.Contains(text, " with docker:") || strings.Contains(text, "failed to push ") ||
		strings.Contains(text, "Pushing to ") || strings.Contains(text, "error pushing ")
}

// known reports whether the context names any registry.
func (c registryContext) known() bool { return c.registry != "" || c.foreign }

// foreignReference reports whether a line that names no GitHub Packages
// registry (the caller looked first) names another one: a known registry's
// host ("docker.io", "x.azurecr.io", …), or the docker CLI's
// "The push refers to repository [NAME]", whose NAME is then not GitHub's.
func foreignReference(text string) bool {
	return strings.Contains(text, "refers to repository [") || containsAny(text, foreignRegistryMarkers)
}

// Command lines and step titles that say what the job does.
var (
	reCommandOperation = regexp.MustCompile(`(?i)\b(?:docker|podman|buildah|nerdctl|skopeo|crane|oras|helm|ko|kubectl|ctr|singularity|apptainer)(?:\.exe)?(?:\s+--?[a-z-]+(?:[ =]\S+)?)*\s+(push|pull|run|login|create|copy|cp|publish|install|upgrade|build|tag)\b`)
	rePackageCommand   = regexp.MustCompile(`(?i)\b(?:npm|yarn|pnpm|mvn|gradle|gradlew|dotnet nuget|nuget|gem)\b[^|;&]*?\b(publish|deploy|push|install|ci|add|restore|build|login)\b`)
)

// commandWords are the clients reCommandOperation and rePackageCommand
// know (lower case): a line naming none of them is no such command.
var commandWords = []string{
	"docker", "podman", "buildah", "nerdctl", "skopeo", "crane", "oras", "helm", "ko ", "kubectl", "ctr ", "singularity", "apptainer",
	"npm", "yarn", "mvn", "gradle", "nuget", "gem ",
}

// commandOperation reads what a command line or step title does.
func commandOperation(text string) operation {
	if !containsAny(strings.ToLower(text), commandWords) {
		return opUnknown
	}
	if m := reCommandOperation.FindStringSubmatch(text); m != nil {
		switch strings.ToLower(m[1]) {
		case "push", "copy", "cp", "publish":
			return opPush
		case "build":
			if strings.Contains(text, "--push") {
				return opPush
			}
		case "login":
			return opLogin
		default:
			return opPull
		}
	}
	if m := rePackageCommand.FindStringSubmatch(text); m != nil {
		switch strings.ToLower(m[1]) {
		case "publish", "deploy", "push":
			return opPush
		case "login":
			return opLogin
		}
		return opPull
	}
	return opUnknown
}

// stepOperation reads what a step title says the step does.
func stepOperation(title string) operation {
	if op := commandOperation(title); op != opUnknown {
		return op
	}
	lower := strings.ToLower(title)
	switch {
	case containsAny(lower, []string{"login-action", "docker login", "log in", "login"}):
		return opLogin
	case containsAny(lower, []string{"build-push-action", "bake-action", "push-to-registry", "goreleaser", "publish", "release", "deploy", "push"}):
		return opPush
	case containsAny(lower, []string{"initialize containers", "pull", "docker run", "container"}):
		return opPull
	}
	return opUnknown
}

// lineOperation reads what an output line says was being done, or
// opUnknown.
func lineOperation(text string) operation {
	switch {
	case containsAny(text, pushLineWords):
		return opPush
	case containsAny(text, pullLineWords):
		return opPull
	case containsAny(text, loginLineWords):
		return opLogin
	}
	return opUnknown
}

var (
	pushLineWords = []string{
		"failed to push", "pushing ", "Pushing ", "The push refers", "writing blob", "trying to reuse blob",
		"initiating layer upload", "exporting to image", "error writing layer", "failed to publish", "Publishing to",
		"publishing ", "Uploading to", "Could not PUT", "failed to perform \"Push\"",
	}
	pullLineWords = []string{
		"failed to pull", "Pulling ", "pulling from host", "pull access denied", "Unable to find image",
		"failed to resolve reference", "failed to resolve source metadata", "error pulling image", "Failed to pull image",
		"Pull down action image", "pulling image", "Error: pulling", "/usr/bin/docker pull", "reading manifest",
	}
	loginLineWords = []string{"Logging into", "login attempt", "Docker login for", "docker login"}
)
