package e2e

import "github.com/ghcr-doctor/ghcr-doctor/internal/samples"

// The scenarios' workflow files.
const (
	wfJobPermsWithoutPackages = samples.WorkflowJobPermsWithoutPackages
	wfNoPermissions           = samples.WorkflowNoPermissions
	wfSeed                    = samples.WorkflowSeed
	wfPAT                     = samples.WorkflowPAT
	wfUppercase               = samples.WorkflowUppercase
	wfOtherNamespace          = samples.WorkflowOtherNamespace
)

// jobLog builds a job log in GitHub's format.
var jobLog = samples.JobLog
