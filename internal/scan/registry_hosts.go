package scan

import (
	"net/url"
	"strings"
)

// family is a kind of registry: which protocol and clients it serves.
type family uint8

const (
	familyUnknown family = iota
	familyContainer
	familyNPM
	familyMaven
	familyNuGet
	familyRubyGems
)

// containerFamilies restricts a rule to container registries.
var containerFamilies = []family{familyContainer}

// githubFamilies are the registries of github.com, in the order they are
// looked for in a line.
var githubFamilies = []struct {
	host   string
	family family
}{
	{RegistryGHCR, familyContainer},
	{RegistryNPM, familyNPM},
	{RegistryMaven, familyMaven},
	{RegistryNuGet, familyNuGet},
	{RegistryRubyGems, familyRubyGems},
	{RegistryDocker, familyContainer},
}

// subdomainFamilies are the registry subdomains of a GitHub Enterprise
// Server host or a GHE.com tenant: containers.HOST, npm.HOST, ….
var subdomainFamilies = []struct {
	prefix string
	family family
}{
	{"containers.", familyContainer},
	{"npm.", familyNPM},
	{"maven.", familyMaven},
	{"nuget.", familyNuGet},
	{"rubygems.", familyRubyGems},
	{"docker.", familyContainer},
}

// RegistryHosts is the set of hosts that are GitHub Packages registries:
// github.com's (ghcr.io, npm.pkg.github.com, …), every GHE.com tenant's
// (containers.TENANT.ghe.com, …) and those of the GitHub Enterprise
// Server instances it was given. The zero value is not usable; use
// DefaultRegistryHosts or NewRegistryHosts.
type RegistryHosts struct {
	// enterprise maps an enterprise registry host to its family;
	// enterpriseHosts are the same hosts in the order they were given.
	enterprise      map[string]family
	enterpriseHosts []string
	// preferred is the registry of each family that a finding whose
	// registry is inferred from its wording is given.
	preferred map[family]string
}

var defaultRegistryHosts = mustRegistryHosts()

func mustRegistryHosts() *RegistryHosts {
	h, err := NewRegistryHosts()
	if err != nil {
		panic(err)
	}
	return h
}

// DefaultRegistryHosts are github.com's and GHE.com's registries.
func DefaultRegistryHosts() *RegistryHosts { return defaultRegistryHosts }

// NewRegistryHosts adds GitHub Enterprise Server registries to the
// default ones. Each argument is either the instance's web address or
// host ("https://ghe.example.com", "ghe.example.com": all its registry
// subdomains), or one registry host ("containers.ghe.example.com"). The
// first instance given is the one wording-inferred findings name.
func NewRegistryHosts(hosts ...string) (*RegistryHosts, error) {
	h := &RegistryHosts{enterprise: map[string]family{}, preferred: map[family]string{}}
	for _, gf := range githubFamilies {
		if h.preferred[gf.family] == "" {
			h.preferred[gf.family] = gf.host
		}
	}
	enterprisePreferred := map[family]bool{}
	for _, raw := range hosts {
		host, err := registryHostArg(raw)
		if err != nil {
			return nil, err
		}
		if fam := subdomainFamily(host); fam != familyUnknown {
			h.addEnterprise(host, fam, enterprisePreferred)
			continue
		}
		if host == "github.com" {
			continue
		}
		for _, sf := range subdomainFamilies {
			h.addEnterprise(sf.prefix+host, sf.family, enterprisePreferred)
		}
	}
	return h, nil
}

func (h *RegistryHosts) addEnterprise(host string, fam family, preferred map[family]bool) {
	if _, seen := h.enterprise[host]; !seen {
		h.enterpriseHosts = append(h.enterpriseHosts, host)
	}
	h.enterprise[host] = fam
	if !preferred[fam] {
		preferred[fam] = true
		h.preferred[fam] = host
	}
}

// registryHostArg reads a host or web address given by the operator.
func registryHostArg(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return "", &invalidHostError{raw: raw}
		}
		s = u.Host
	}
	s = strings.ToLower(strings.TrimSuffix(s, "/"))
	s = strings.TrimSuffix(s, ":443")
	if s == "" || strings.ContainsAny(s, "/ \t@?#") || !strings.Contains(s, ".") {
		return "", &invalidHostError{raw: raw}
	}
	return s, nil
}

type invalidHostError struct{ raw string }

func (e *invalidHostError) Error() string {
	return "not a host name or web address: " + strings.TrimSpace(e.raw)
}

// subdomainFamily is the family a registry subdomain's prefix names.
func subdomainFamily(host string) family {
	for _, sf := range subdomainFamilies {
		if strings.HasPrefix(host, sf.prefix) && len(host) > len(sf.prefix) {
			return sf.family
		}
	}
	return familyUnknown
}

// family is the kind of registry a host is, or familyUnknown when it is
// not a GitHub Packages registry.
func (h *RegistryHosts) family(host string) family {
	for _, gf := range githubFamilies {
		if host == gf.host {
			return gf.family
		}
	}
	if fam, ok := h.enterprise[host]; ok {
		return fam
	}
	if strings.HasSuffix(host, ".ghe.com") {
		return subdomainFamily(host)
	}
	return familyUnknown
}

// isRegistry reports whether host is a GitHub Packages registry.
func (h *RegistryHosts) isRegistry(host string) bool { return h.family(host) != familyUnknown }

// registryOf is the registry a finding of this family is given when only
// its wording tells the registry.
func (h *RegistryHosts) registryOf(fam family) string {
	if r := h.preferred[fam]; r != "" {
		return r
	}
	return RegistryGHCR
}

// IsContainerRegistry reports whether a GitHub Packages host serves
// container images (ghcr.io, docker.pkg.github.com, containers.HOST).
func IsContainerRegistry(host string) bool {
	return RegistryFamily(host) == "container"
}

// RegistryFamily names the kind of a GitHub Packages registry host for
// links and package types: "container", "npm", "maven", "nuget",
// "rubygems", or "" for another host.
func RegistryFamily(host string) string {
	host = strings.ToLower(host)
	fam := defaultRegistryHosts.family(host)
	if fam == familyUnknown {
		fam = subdomainFamily(host) // a GitHub Enterprise Server registry
	}
	switch fam {
	case familyContainer:
		return "container"
	case familyNPM:
		return "npm"
	case familyMaven:
		return "maven"
	case familyNuGet:
		return "nuget"
	case familyRubyGems:
		return "rubygems"
	}
	return ""
}
