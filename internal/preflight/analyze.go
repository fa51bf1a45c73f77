package preflight

import "github.com/ghcr-doctor/ghcr-doctor/internal/workflow"

// Settings is what is known of the repository the workflow belongs to.
// Empty strings mean unknown.
type Settings struct {
	// Owner and Repo name the repository ("octo-org", "api").
	Owner, Repo string
	// OwnerIsOrg is true for organisation-owned repositories.
	OwnerIsOrg bool
	// RepoDefault is the repository's default_workflow_permissions,
	// "read" or "write"; "" when unknown (offline, or not readable).
	RepoDefault string
	// OrgDefault is the organisation's default_workflow_permissions, which
	// caps the repository's; "" when unknown or not an organisation.
	OrgDefault string
}

// Input is one workflow file to analyse.
type Input struct {
	// Path is the file's path in the repository (".github/workflows/release.yml").
	Path string
	// Source is the file's bytes.
	Source []byte
	// Files holds other repository files the analysis may read, by path
	// (package.json, .npmrc, .goreleaser.yaml, local composite actions under
	// .github/actions/…). A file missing here is treated as unknown, never as absent.
	Files map[string][]byte
	// Settings describe the repository.
	Settings Settings
}

// Result is the verdict for one job of the file.
type Result struct {
	// File is Input.Path.
	File string
	// Job is the job's ID.
	Job string
	// PublishesTo lists the GitHub Packages registry hosts the job publishes
	// to ("ghcr.io", "npm.pkg.github.com"), empty when it publishes nowhere.
	PublishesTo []string
	// Verdict is the most serious problem found (OK when none).
	Verdict Verdict
	// Line is the 1-based line in File that decides the verdict (the push
	// step, the permissions entry, the image name), 0 when none.
	Line int
	// Reason says why, in one or two sentences of plain text.
	Reason string
	// Fix says what to change, in plain text.
	Fix string
	// Edit is the suggested change to File for MissingPackagesWrite (the
	// edit /ghcr fix would make), nil otherwise or when no safe edit exists.
	Edit *workflow.Edit
	// Problems lists everything found in the job, most serious first; the
	// first one is the Verdict's (empty for OK and NotPublishing).
	Problems []Problem
}

// Problem is one thing found in a job: what, where, on which registry.
type Problem struct {
	// Verdict classifies the problem (never OK or NotPublishing).
	Verdict Verdict
	// Registry is the GitHub Packages host concerned, "" when not known.
	Registry string
	// Line is the 1-based line in the file that decides it, 0 when none.
	Line int
	// Reason and Fix are plain text, as in Result.
	Reason, Fix string
}
