// Package version holds the build's version, set with
// -ldflags "-X github.com/ghcr-doctor/ghcr-doctor/internal/version.Version=v1.2.3".
package version

// Version is the running build's version.
var Version = "dev"
