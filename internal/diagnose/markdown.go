package diagnose

import "github.com/ghcr-doctor/ghcr-doctor/internal/markdown"

// code puts an untrusted value (a job, step or image name, a log line) into
// one of the diagnosis's Markdown sentences as a code span it cannot close.
func code(s string) string { return markdown.Code(s, 300) }

// reason puts why a fact is unknown (an error that may quote a file name)
// into a sentence as text.
func reason(s string) string { return markdown.Text(s, 500) }
