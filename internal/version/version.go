// Package version holds the build's version, commit and build date, set
// at link time:
//
//	-ldflags "-X github.com/ghcr-doctor/ghcr-doctor/internal/version.Version=v1.2.3
//	          -X github.com/ghcr-doctor/ghcr-doctor/internal/version.Commit=$(git rev-parse HEAD)
//	          -X github.com/ghcr-doctor/ghcr-doctor/internal/version.Date=2026-01-02T03:04:05Z"
//
// A build without them reports "dev" and, when the Go toolchain recorded
// them, the commit and its time from the module's build information.
package version

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// Set at link time.
var (
	// Version is the running build's version.
	Version = "dev"
	// Commit is the git commit the build was made from.
	Commit = ""
	// Date is when the build was made (RFC 3339).
	Date = ""
)

// Build describes the running binary.
type Build struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
}

var vcs = sync.OnceValues(func() (revision, time string) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", ""
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			time = s.Value
		}
	}
	return revision, time
})

// Info is the running binary's build: the link-time values, else what the
// Go toolchain recorded, else "unknown".
func Info() Build {
	b := Build{Version: Version, Commit: Commit, Date: Date, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	rev, at := vcs()
	if b.Commit == "" {
		b.Commit = rev
	}
	if b.Date == "" {
		b.Date = at
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Date == "" {
		b.Date = "unknown"
	}
	return b
}
