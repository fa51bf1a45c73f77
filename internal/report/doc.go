// Package report turns diagnoses into what people read on GitHub: a
// pull-request comment, a tracking issue for push runs, and a check run, all
// within GitHub's size limits and safe to render whatever the logs contain.
// It also publishes them idempotently: each comment, issue and check run
// carries a hidden marker with a stable key and a hash of its content, so a
// redelivered event or a re-run with the same diagnosis writes nothing.
package report
