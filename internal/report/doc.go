// Package report turns diagnoses into what people read on GitHub: one
// report per workflow of a failed run, listing every refused package, as
// a pull-request comment or, for push runs, a tracking issue of the
// branch; and a check run. All stay within GitHub's size limits and are
// safe to render whatever the logs contain. It also publishes them
// idempotently: each comment, issue and check run carries a hidden marker
// with a stable key and a hash of its content, so a redelivered event or a
// re-run with the same diagnosis writes nothing, and the per-package
// reports of earlier versions are adopted rather than duplicated.
package report
