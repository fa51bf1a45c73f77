// Package render prints a list of preflight results (internal/preflight)
// as text, Markdown, JSON or CSV, for every command that audits workflows:
// `bot audit --workflow` (local files) and `bot audit --org/--repo`, whose
// rows are Located: with their repository and a link to the line.
//
// The JSON document is the documented schema of `bot audit --json`:
//
//	{"jobs":[{"file","job","publishes_to","verdict","line","reason","fix","repository","url"}]}
//
// where publishes_to is the GitHub Packages registry host the job publishes
// to (hosts joined by commas when there are several) or "none";
// repository ("owner/name") and url are present only for Located rows.
package render
