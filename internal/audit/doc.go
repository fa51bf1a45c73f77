// Package audit walks many repositories — an organisation's, an App
// installation's, or one — and asks the preflight analysis about every
// workflow job that publishes to GitHub Packages: ok, at risk, or unknown,
// with the reason, the fix and the line that decides it.
//
// It reads GitHub through Source, a narrow interface the go-github adapter
// (internal/github/ghapi) implements: the repository list (paginated), the
// workflows directory at the default branch, each workflow file once, the
// few other files the analysis reads (package.json, .npmrc,
// .goreleaser.y*ml, pom.xml, build.gradle*) only when a workflow mentions
// their tool, and the
// repository's and organisation's default workflow permissions when
// readable. Archived repositories are skipped, forks too unless asked for,
// and a repository without workflows (or empty) costs one call.
// Repositories are audited a few at a time.
package audit
