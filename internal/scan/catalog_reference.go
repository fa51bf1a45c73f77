package scan

import (
	"net/url"
	"strings"
)

// PackageReference names a package on a GitHub Packages registry as a log
// prints it. Owner and Package keep the case they were printed in.
type PackageReference struct {
	// Registry is the GitHub Packages host, e.g. "ghcr.io".
	Registry string
	// Owner is the user or organisation namespace (the npm scope for npm), or "".
	Owner string
	// Package is the package name without owner, tag or digest, or "".
	Package string
}

// ParsePackageReference reads one token a client printed: an image reference
// ("ghcr.io/owner/name:tag", "ghcr.io/owner/name@sha256:…"), a registry URL
// ("https://ghcr.io/v2/owner/name/blobs/uploads/",
// "https://npm.pkg.github.com/@scope%2fname",
// "https://maven.pkg.github.com/owner/repo/group/artifact/1.0/artifact-1.0.jar",
// "https://nuget.pkg.github.com/owner/index.json",
// "https://rubygems.pkg.github.com/owner"), or a container token-endpoint URL
// whose scope parameter names the repository. ok is false when the token does
// not name a GitHub Packages host of github.com or GHE.com; Owner and Package
// are empty when the token names the host only or an unusable name.
func ParsePackageReference(token string) (ref PackageReference, ok bool) {
	return defaultRegistryHosts.parseReference(token)
}

// parseReference is ParsePackageReference for this set of hosts.
func (h *RegistryHosts) parseReference(token string) (ref PackageReference, ok bool) {
	token = trimReferenceToken(token)
	for _, scheme := range [...]string{"https://", "http://", "docker://", "oci://"} {
		if len(token) >= len(scheme) && strings.EqualFold(token[:len(scheme)], scheme) {
			token = token[len(scheme):]
			break
		}
	}
	hostEnd := strings.IndexAny(token, "/?")
	if hostEnd < 0 {
		hostEnd = len(token)
	}
	host := strings.ToLower(token[:hostEnd])
	host = strings.TrimSuffix(host, ":443")
	fam := h.family(host)
	if fam == familyUnknown {
		return PackageReference{}, false
	}
	rest := token[hostEnd:]
	path, query, _ := strings.Cut(rest, "?")
	path = strings.Trim(path, "/")
	ref = PackageReference{Registry: host}
	switch fam {
	case familyContainer:
		ref.Owner, ref.Package = containerName(path, query)
	case familyNPM:
		ref.Owner, ref.Package = npmName(path)
	case familyMaven:
		ref.Owner, ref.Package = mavenName(path)
	case familyNuGet:
		ref.Owner, ref.Package = nugetName(path)
	case familyRubyGems:
		ref.Owner, _, _ = strings.Cut(path, "/")
	}
	if !isValidNameSegment(ref.Owner) {
		ref.Owner, ref.Package = "", ""
	}
	if !isValidPackagePath(ref.Package) {
		ref.Package = ""
	}
	return ref, true
}

// isGitHubPackagesHost reports whether host is one of GitHub Packages'
// registries on github.com or GHE.com.
func isGitHubPackagesHost(host string) bool {
	return defaultRegistryHosts.isRegistry(host)
}

// trimReferenceToken drops the punctuation a log wraps a reference in:
// quotes, brackets, trailing colons, commas and sentence dots.
func trimReferenceToken(token string) string {
	token = strings.TrimLeft(token, "\"'`[(<")
	return strings.TrimRight(token, "\"'`])>,;:.")
}

// containerName splits a container path ("owner/name:tag", "v2/owner/name/blobs/…",
// "token" with a scope query) into owner and package.
func containerName(path, query string) (owner, pkg string) {
	switch {
	case path == "token" || strings.HasSuffix(path, "/token"):
		path = scopeRepository(query)
	case path == "v2" || strings.HasPrefix(path, "v2/"):
		path = strings.TrimPrefix(strings.TrimPrefix(path, "v2"), "/")
		for _, api := range [...]string{"/blobs/", "/manifests/", "/tags/", "/referrers/"} {
			if i := strings.LastIndex(path+"/", api); i >= 0 {
				path = path[:i]
			}
		}
	default:
		if i := strings.IndexByte(path, '@'); i >= 0 {
			path = path[:i]
		}
		if i := strings.LastIndexByte(path, '/'); i >= 0 {
			if j := strings.IndexByte(path[i:], ':'); j >= 0 {
				path = path[:i+j]
			}
		} else if j := strings.IndexByte(path, ':'); j >= 0 {
			path = path[:j]
		}
	}
	owner, pkg, _ = strings.Cut(path, "/")
	return owner, pkg
}

// scopeRepository returns "owner/name" from a token request's
// "scope=repository:owner/name:push,pull" parameter.
func scopeRepository(query string) string {
	values, err := url.ParseQuery(query)
	if err != nil {
		return ""
	}
	scope := values.Get("scope")
	name, ok := strings.CutPrefix(scope, "repository:")
	if !ok {
		return ""
	}
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		name = name[:i]
	}
	return name
}

// npmName reads "@scope%2fname", "@scope/name" or "download/@scope/name/…";
// the owner is the scope.
func npmName(path string) (owner, pkg string) {
	path = strings.TrimPrefix(path, "download/")
	if unescaped, err := url.PathUnescape(path); err == nil {
		path = unescaped
	}
	if !strings.HasPrefix(path, "@") {
		owner, _, _ = strings.Cut(path, "/")
		return owner, ""
	}
	owner, rest, _ := strings.Cut(path[1:], "/")
	pkg, _, _ = strings.Cut(rest, "/")
	return owner, pkg
}

// mavenName reads "OWNER/REPO[/group…/artifact/version/file]": the package
// is the artifact id when the path names a file, else the repository.
func mavenName(path string) (owner, pkg string) {
	segs := strings.Split(path, "/")
	if len(segs) < 2 {
		return segs[0], ""
	}
	owner, pkg = segs[0], segs[1]
	if len(segs) >= 6 && strings.Contains(segs[len(segs)-1], ".") {
		pkg = segs[len(segs)-3]
	}
	return owner, pkg
}

// nugetName reads "OWNER/", "OWNER/index.json" or "OWNER/download/NAME/…".
func nugetName(path string) (owner, pkg string) {
	segs := strings.Split(path, "/")
	owner = segs[0]
	if len(segs) >= 3 && segs[1] == "download" {
		pkg = segs[2]
	}
	return owner, pkg
}

// isValidNameSegment reports whether s looks like one name segment
// (a login, scope or image path component).
func isValidNameSegment(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return s != "." && s != ".."
}

// isValidPackagePath reports whether s is "" or slash-separated name segments.
func isValidPackagePath(s string) bool {
	if s == "" {
		return true
	}
	for _, seg := range strings.Split(s, "/") {
		if !isValidNameSegment(seg) {
			return false
		}
	}
	return true
}
