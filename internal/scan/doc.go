// Package scan is the log scanner: it reads a job log (raw from the
// runner, or as people paste it) as a stream and finds the GitHub Packages
// refusals in it, with the registry, package, client and step each one
// names, the GITHUB_TOKEN permissions the log printed, and where the
// registry was learnt from. It knows nothing of GitHub's API; `bot scan`
// needs only this package. A new error shape is one catalogue entry
// (catalog.go) and one fixture.
package scan
