// Package pkghost names the GitHub Packages registry hosts: the one list
// the workflow model, the preflight analysis and the log scanner share. It
// imports nothing of the project, so every package may import it.
package pkghost

import "strings"

// The registries of github.com.
const (
	GHCR     = "ghcr.io"
	NPM      = "npm.pkg.github.com"
	Maven    = "maven.pkg.github.com"
	NuGet    = "nuget.pkg.github.com"
	RubyGems = "rubygems.pkg.github.com"
	// Docker is the container registry GitHub Packages had before ghcr.io.
	Docker = "docker.pkg.github.com"
)

// GitHub lists github.com's registries, containers first.
var GitHub = []string{GHCR, NPM, Maven, NuGet, RubyGems, Docker}

// SubdomainPrefixes are the registry subdomains of a GitHub Enterprise
// Server instance or a GHE.com tenant (containers.HOST, npm.HOST, …).
var SubdomainPrefixes = []string{"containers.", "npm.", "maven.", "nuget.", "rubygems.", "docker."}

// tenantSuffix ends the hosts of GHE.com tenants (containers.TENANT.ghe.com).
const tenantSuffix = ".ghe.com"

// IsGitHubPackages reports whether host (any case) is a registry of
// github.com or of a GHE.com tenant.
func IsGitHubPackages(host string) bool {
	host = strings.ToLower(strings.TrimSpace(host))
	for _, h := range GitHub {
		if host == h {
			return true
		}
	}
	return strings.HasSuffix(host, tenantSuffix) && HasRegistrySubdomain(host)
}

// HasRegistrySubdomain reports whether host starts with a registry
// subdomain: the form of a GitHub Enterprise Server instance's registries,
// which only a configuration can confirm. The rest must be a host name of
// its own (docker.io is Docker Hub, not docker.HOST).
func HasRegistrySubdomain(host string) bool {
	host = strings.ToLower(host)
	for _, p := range SubdomainPrefixes {
		if rest, ok := strings.CutPrefix(host, p); ok && strings.Contains(rest, ".") {
			return true
		}
	}
	return false
}
