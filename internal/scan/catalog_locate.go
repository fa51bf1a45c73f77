package scan

import (
	"regexp"
	"strings"
)

// Line shapes that name a package without a host in the same token.
var (
	// containers/image: "initiating layer upload to /v2/OWNER/NAME/blobs/uploads/ in ghcr.io".
	reContainersImagePath = regexp.MustCompile(`(/v2/\S+) in ([A-Za-z0-9.\-]+\.[a-z]+)`)
	// BuildKit: "[auth] owner/name:pull,push token for ghcr.io".
	reBuildKitAuth = regexp.MustCompile(`\[auth\] (\S+?):[a-z,]+ token for ([A-Za-z0-9.\-]+)`)
	// containers/image: "failed to read from destination repository my_org/my_image: 403".
	reDestinationRepository = regexp.MustCompile(`destination repository ([A-Za-z0-9._\-]+/[A-Za-z0-9._/\-]+?):? `)
	// Maven: "Could not transfer artifact com.example:my-lib:jar:1.0.0 from/to …".
	reMavenArtifact = regexp.MustCompile(`artifacts? ([A-Za-z0-9._\-]+):([A-Za-z0-9._\-]+):[A-Za-z0-9._\-]+:`)
)

// locateReference finds the GitHub Packages package a cleaned log line
// names, with the default hosts.
func locateReference(text string) (ref PackageReference, found bool) {
	return defaultRegistryHosts.locateReference(text)
}

// locateReference finds the GitHub Packages package a cleaned log line
// names. found is false when the line names no GitHub Packages host; the
// reference may then still carry Owner/Package read from a host-less shape
// (containers/image's "destination repository owner/name").
func (h *RegistryHosts) locateReference(text string) (ref PackageReference, found bool) {
	var hostOnly PackageReference
	haveHostOnly := false
	consider := func(r PackageReference) bool {
		if r.Owner != "" {
			ref = r
			return true
		}
		if !haveHostOnly {
			hostOnly, haveHostOnly = r, true
		}
		return false
	}
	if m := reContainersImagePath.FindStringSubmatch(text); m != nil {
		if r, ok := h.parseReference(m[2] + m[1]); ok && consider(r) {
			return ref, true
		}
	}
	if m := reBuildKitAuth.FindStringSubmatch(text); m != nil {
		if r, ok := h.parseReference(m[2] + "/" + m[1]); ok && consider(r) {
			return ref, true
		}
	}
	for _, start := range h.hostPositions(text) {
		if r, ok := h.parseReference(referenceToken(text, start)); ok && consider(r) {
			if h.family(r.Registry) == familyMaven {
				if m := reMavenArtifact.FindStringSubmatch(text); m != nil {
					ref.Package = m[2]
				}
			}
			return ref, true
		}
	}
	if haveHostOnly {
		return hostOnly, true
	}
	if m := reDestinationRepository.FindStringSubmatch(text); m != nil {
		owner, pkg, _ := strings.Cut(m[1], "/")
		if isValidNameSegment(owner) && isValidPackagePath(pkg) {
			return PackageReference{Owner: owner, Package: pkg}, false
		}
	}
	return PackageReference{}, false
}

// hostPositions returns where whole GitHub Packages host names start in
// text, in the order hosts are looked for.
func (h *RegistryHosts) hostPositions(text string) []int {
	var out []int
	find := func(host string) {
		for from := 0; ; {
			i := strings.Index(text[from:], host)
			if i < 0 {
				return
			}
			i += from
			from = i + len(host)
			if isHostBoundary(text, i, i+len(host)) {
				out = append(out, i)
			}
		}
	}
	for _, gf := range githubFamilies {
		find(gf.host)
	}
	for _, host := range h.enterpriseHosts {
		find(host)
	}
	for from := 0; ; {
		i := strings.Index(text[from:], ".ghe.com")
		if i < 0 {
			break
		}
		end := from + i + len(".ghe.com")
		start := from + i
		for start > 0 && isHostByte(text[start-1]) {
			start--
		}
		from = end
		if isHostBoundary(text, start, end) && h.isRegistry(strings.ToLower(text[start:end])) {
			out = append(out, start)
		}
	}
	return out
}

// isHostBoundary reports whether text[start:end] is a whole host name, not
// part of a longer one ("xghcr.io", "ghcr.io.example.com").
func isHostBoundary(text string, start, end int) bool {
	if start > 0 && isHostByte(text[start-1]) {
		return false
	}
	if end < len(text) {
		c := text[end]
		if isHostByte(c) && c != '.' {
			return false
		}
		if c == '.' && end+1 < len(text) && isHostByte(text[end+1]) {
			return false
		}
	}
	return true
}

func isHostByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// referenceToken returns the token of text starting at the host at index i:
// up to the next space or quoting character.
func referenceToken(text string, i int) string {
	end := strings.IndexAny(text[i:], " \t\"'`[]()<>,;|{}")
	if end < 0 {
		return text[i:]
	}
	return text[i : i+end]
}

// foreignRegistryMarkers are registries that print look-alike errors but are
// not GitHub Packages.
var foreignRegistryMarkers = []string{
	"docker.io", ".amazonaws.com", "gcr.io", ".pkg.dev", ".azurecr.io", "quay.io",
	"npmjs", "yarnpkg", "repo.maven.apache.org", "api.nuget.org", "rubygems.org",
}

// namesForeignRegistry reports whether a line that names no GitHub Packages
// host names another registry or URL, so its error is not GitHub's.
func namesForeignRegistry(text string) bool {
	for _, m := range foreignRegistryMarkers {
		if strings.Contains(text, m) {
			return true
		}
	}
	return strings.Contains(text, "://") || namesForeignImage(text)
}

// reImageWithHost is an image reference with a registry host,
// "registry.example.com:5000/team/app:1".
var reImageWithHost = regexp.MustCompile(`(?:^|[\s"'\[(=])([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+(?::\d+)?|localhost(?::\d+)?)/[A-Za-z0-9._-]+`)

// namesForeignImage reports whether a line names an image on a registry
// that is not GitHub Packages ("failed to push registry.example.com/app:1").
func namesForeignImage(text string) bool {
	if !strings.Contains(text, "/") || !strings.Contains(text, ".") && !strings.Contains(text, "localhost") {
		return false
	}
	for _, m := range reImageWithHost.FindAllStringSubmatch(text, -1) {
		host := m[1]
		if i := strings.IndexByte(host, ':'); i >= 0 {
			host = host[:i]
		}
		if !defaultRegistryHosts.isRegistry(host) && host != "github.com" && !strings.HasSuffix(host, ".github.com") {
			return true
		}
	}
	return false
}

// namesForeignURL reports whether a line names a URL on a host that is
// neither GitHub's nor a GitHub Packages registry: the request went
// elsewhere, whatever the message says.
func (h *RegistryHosts) namesForeignURL(text string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], "://")
		if i < 0 {
			return containsAny(text, foreignRegistryMarkers)
		}
		start := from + i + 3
		end := start
		for end < len(text) && isHostByte(text[end]) {
			end++
		}
		from = end
		host := strings.ToLower(strings.TrimSuffix(text[start:end], "."))
		if host == "" {
			continue
		}
		if !h.isRegistry(host) && host != "github.com" && !strings.HasSuffix(host, ".github.com") &&
			!strings.HasSuffix(host, ".githubusercontent.com") && !strings.HasSuffix(host, ".ghe.com") {
			return true
		}
	}
}
