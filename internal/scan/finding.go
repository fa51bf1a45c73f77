package scan

import "github.com/ghcr-doctor/ghcr-doctor/internal/pkghost"

// Kind classifies what the registry refused.
type Kind string

// The kinds of finding the scanner reports.
const (
	// KindWriteDenied: authenticated, but not allowed to push to an existing package.
	KindWriteDenied Kind = "write_denied"
	// KindCreateDenied: not allowed to create a package that does not exist yet.
	KindCreateDenied Kind = "create_denied"
	// KindReadDenied: not allowed to read (pull, blob mount, cache import) a package.
	KindReadDenied Kind = "read_denied"
	// KindAuthFailed: the credentials themselves were rejected (bad, expired,
	// wrong type or scope of token, empty password).
	KindAuthFailed Kind = "auth_failed"
	// KindOwnerNotFound: the namespace in the reference is not a GitHub user or org.
	KindOwnerNotFound Kind = "owner_not_found"
	// KindInvalidName: the reference is not a valid name (upper case), so
	// nothing was sent.
	KindInvalidName Kind = "invalid_name"
)

// Registry host names of GitHub Packages.
const (
	RegistryGHCR     = pkghost.GHCR
	RegistryNPM      = pkghost.NPM
	RegistryMaven    = pkghost.Maven
	RegistryNuGet    = pkghost.NuGet
	RegistryRubyGems = pkghost.RubyGems
	RegistryDocker   = pkghost.Docker
)

// Finding is one GitHub Packages permission error found in a log.
// Its JSON form is the documented output of `bot scan --json`.
type Finding struct {
	// File names the log the finding came from (a path, a zip member, or a job name).
	File string `json:"file"`
	Kind Kind   `json:"kind"`
	// Registry is the GitHub Packages host, e.g. "ghcr.io".
	Registry string `json:"registry"`
	// RegistryFrom says what named the registry: "line" (the error line),
	// "step" (another line of the same step), "job" (an earlier step) or
	// "wording" (nothing did; the message is GitHub Packages' own).
	RegistryFrom string `json:"registry_from"`
	// Owner is the user or organisation namespace of the package, when the text has it.
	Owner string `json:"owner"`
	// Package is the package or image name without owner, tag or digest
	// (e.g. "ere/ere-base" for ghcr.io/eth-act/ere/ere-base:0.1), when the text has it.
	Package string `json:"package"`
	// Tool is the client that printed the error: docker, buildx, podman,
	// crane, helm, goreleaser, npm, maven, gradle, nuget, gem, or "unknown".
	Tool string `json:"tool"`
	// Step is the title of the step section ("Run docker/build-push-action@v6") the line is in.
	Step string `json:"step"`
	// Line is the 1-based line number in the log.
	Line int `json:"line"`
	// Text is the cleaned line (no timestamp, no ANSI codes), truncated to a sane length.
	Text string `json:"text"`
	// Message is the registry's own error message, e.g.
	// "installation not allowed to Write organization package" or "403 Forbidden".
	Message string `json:"-"`
}

// TokenPermissions is the "GITHUB_TOKEN Permissions" block of a job's
// "Set up job" section: lower-case scope ("packages", "contents", "id-token")
// to level ("read", "write", "none").
type TokenPermissions map[string]string

// ScanResult is everything the scanner learnt from one log.
type ScanResult struct {
	Findings []Finding
	// TokenPermissions is nil when the log has no GITHUB_TOKEN Permissions block.
	TokenPermissions TokenPermissions
	// SecretSource is the value of the "Secret source:" line ("Actions", "None", "Dependabot"), if printed.
	SecretSource string
	// Lines is the number of lines read.
	Lines int
}
