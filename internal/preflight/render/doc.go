// Package render prints a list of preflight results (internal/preflight)
// as text, Markdown, JSON or CSV, for every command that audits workflows:
// `bot audit --workflow` now, the organisation and repository audits later.
//
// The JSON document is the documented schema of `bot audit --json`:
//
//	{"jobs":[{"file","job","publishes_to","verdict","line","reason","fix"}]}
//
// where publishes_to is the GitHub Packages registry host the job publishes
// to (hosts joined by commas when there are several) or "none".
package render
