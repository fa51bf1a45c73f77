// Package action is ghcr-doctor as a step of a GitHub Actions workflow,
// without the App: it reads what the runner sets (the run, the token, the
// event, the job summary and output files), diagnoses the run's failed
// jobs through the App's own data path, and reports where the workflow's
// author looks: the job summary, error annotations on the workflow lines
// that matter (written as workflow commands), the step's outputs and,
// when asked, the App's pull-request comment, which the App and the
// Action share.
package action
