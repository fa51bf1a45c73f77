package pkghost

import "testing"

func TestIsGitHubPackages(t *testing.T) {
	tests := []struct {
		host      string
		packages  bool
		subdomain bool
	}{
		{"ghcr.io", true, false},
		{"GHCR.IO", true, false},
		{"npm.pkg.github.com", true, true},
		{"docker.pkg.github.com", true, true},
		{"containers.acme.ghe.com", true, true},
		{"npm.acme.ghe.com", true, true},
		{"acme.ghe.com", false, false},
		{"containers.ghe.example.com", false, true},
		{"docker.io", false, false},
		{"registry.npmjs.org", false, false},
		{"npm.", false, false},
		{"npm.local", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			if got := IsGitHubPackages(tt.host); got != tt.packages {
				t.Errorf("IsGitHubPackages(%q) = %v, want %v", tt.host, got, tt.packages)
			}
			if got := HasRegistrySubdomain(tt.host); got != tt.subdomain {
				t.Errorf("HasRegistrySubdomain(%q) = %v, want %v", tt.host, got, tt.subdomain)
			}
		})
	}
}
