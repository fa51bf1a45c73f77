package commands

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

const planPath = ".github/workflows/release.yml"

const wfUpper = `name: Release
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      packages: write
    steps:
      - run: docker build -t ghcr.io/${{ github.repository }}:latest .
`

func planFacts(t *testing.T, src string) *diagnose.Facts {
	f := &diagnose.Facts{
		Repo: diagnose.Repo{Owner: "acme", Name: "app", OwnerType: "Organization", DefaultBranch: "main"},
		Run:  diagnose.Run{ID: 7, Path: planPath},
	}
	if src != "" {
		wf, err := workflow.Parse([]byte(src))
		require.NoError(t, err)
		f.Workflow = diagnose.KnownFact(diagnose.WorkflowFile{Path: planPath, Source: []byte(src), File: wf})
	}
	return f
}

func diagnosis(id diagnose.CauseID, fix diagnose.Fix) diagnose.Diagnosis {
	return diagnose.Diagnosis{
		Package:  diagnose.PackageRef{Registry: "ghcr.io", Owner: "acme", Name: "app"},
		Findings: []scan.Finding{{File: "build"}},
		Causes:   []diagnose.Cause{{ID: id, Summary: string(id) + " summary", Fix: fix}},
	}
}

var (
	workflowFix = diagnose.Fix{Kind: diagnose.FixWorkflowPR, JobID: "build", Role: "write"}
	manualFix   = diagnose.Fix{Kind: diagnose.FixManual, Summary: "Click things.", Steps: []string{"Open settings"}, Role: "package admin"}
)

func TestBuildPlan(t *testing.T) {
	user := planFacts(t, "")
	user.Repo.OwnerType = "User"
	tests := []struct {
		name  string
		facts *diagnose.Facts
		ds    []diagnose.Diagnosis
		opts  PlanOptions
		want  []StepKind
		check func(t *testing.T, p Plan)
	}{
		{name: "missing packages write opens a pull request", facts: planFacts(t, ""),
			ds:   []diagnose.Diagnosis{diagnosis(diagnose.CauseMissingPackagesWrite, workflowFix)},
			want: []StepKind{StepWorkflowPR},
			check: func(t *testing.T, p Plan) {
				assert.Equal(t, "build", p.Steps[0].JobID)
				assert.Equal(t, planPath, p.Steps[0].Path)
				assert.Equal(t, ActionFixPR, p.Steps[0].Action())
			}},
		{name: "dependabot opens a pull request", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseDependabot, workflowFix)}, want: []StepKind{StepWorkflowPR}},
		{name: "restricted default prefers the pull request", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseRestrictedDefault, workflowFix)}, opts: PlanOptions{RepoOptIn: true},
			want: []StepKind{StepWorkflowPR},
			check: func(t *testing.T, p Plan) {
				assert.Contains(t, p.Steps[0].Reason, "narrower")
				require.Len(t, p.Steps[0].Alternatives, 1)
				assert.Contains(t, p.Steps[0].Alternatives[0], "/ghcr fix --settings")
			}},
		{name: "restricted default by the organisation points at the organisation", facts: func() *diagnose.Facts {
			f := planFacts(t, "")
			f.OrgDefault = diagnose.KnownFact("read")
			return f
		}(),
			ds:   []diagnose.Diagnosis{diagnosis(diagnose.CauseRestrictedDefault, workflowFix)},
			want: []StepKind{StepWorkflowPR},
			check: func(t *testing.T, p Plan) {
				assert.Contains(t, p.Steps[0].Alternatives[0], "https://github.com/organizations/acme/settings/actions")
			}},
		{name: "--settings with the repository's opt-in", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseRestrictedDefault, workflowFix)}, opts: PlanOptions{Settings: true, RepoOptIn: true},
			want:  []StepKind{StepRepoSetting},
			check: func(t *testing.T, p Plan) { assert.Equal(t, ActionRepoSettings, p.Steps[0].Action()) }},
		{name: "--settings without opt-in is declined", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseRestrictedDefault, workflowFix)}, opts: PlanOptions{Settings: true, OrgOptIn: true},
			want: []StepKind{StepDeclined},
			check: func(t *testing.T, p Plan) {
				assert.Contains(t, p.Steps[0].Reason, "allow_settings_changes")
				assert.Contains(t, p.Steps[0].Reason, "https://github.com/acme/app/settings/actions")
				assert.False(t, p.Steps[0].Changes())
			}},
		{name: "--org-settings with the organisation's opt-in", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseRestrictedDefault, workflowFix)}, opts: PlanOptions{OrgSettings: true, OrgOptIn: true},
			want:  []StepKind{StepOrgSetting},
			check: func(t *testing.T, p Plan) { assert.Equal(t, ActionOrgSettings, p.Steps[0].Action()) }},
		{name: "--org-settings without the organisation's opt-in", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseRestrictedDefault, workflowFix)}, opts: PlanOptions{OrgSettings: true, RepoOptIn: true},
			want: []StepKind{StepDeclined},
			check: func(t *testing.T, p Plan) {
				assert.Contains(t, p.Steps[0].Reason, "acme/.github")
				assert.Contains(t, p.Steps[0].Reason, "allow_org_settings_changes", "the organisation's own key")
			}},
		{name: "--org-settings for a user's repository", facts: user,
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseRestrictedDefault, workflowFix)}, opts: PlanOptions{OrgSettings: true, OrgOptIn: true},
			want: []StepKind{StepDeclined}},
		{name: "--settings for another cause is declined, the fix still planned", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseMissingPackagesWrite, workflowFix)}, opts: PlanOptions{Settings: true, RepoOptIn: true},
			want: []StepKind{StepDeclined, StepWorkflowPR}},
		{name: "package access is manual", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CausePackageAccess, manualFix)}, want: []StepKind{StepManual},
			check: func(t *testing.T, p Plan) { assert.False(t, p.Steps[0].Changes()) }},
		{name: "fork pull request is manual", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseForkPullRequest, manualFix)}, want: []StepKind{StepManual}},
		{name: "a workflow fix the diagnosis could not prepare is manual", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseMissingPackagesWrite, diagnose.Fix{Kind: diagnose.FixManual, Steps: []string{"reusable"}})}, want: []StepKind{StepManual}},
		{name: "upper-case name opens a lower-casing pull request", facts: planFacts(t, wfUpper),
			ds:   []diagnose.Diagnosis{diagnosis(diagnose.CauseUppercaseName, diagnose.Fix{Kind: diagnose.FixLowercasePR})},
			want: []StepKind{StepLowercasePR},
			check: func(t *testing.T, p Plan) {
				assert.Equal(t, "build", p.Steps[0].JobID)
				assert.Equal(t, "ghcr.io/${{ github.repository }}:latest", p.Steps[0].ImageRef)
			}},
		{name: "upper-case name without the workflow is manual", facts: planFacts(t, ""),
			ds: []diagnose.Diagnosis{diagnosis(diagnose.CauseUppercaseName, diagnose.Fix{Kind: diagnose.FixLowercasePR})}, want: []StepKind{StepManual}},
		{name: "two packages of one job get one pull request", facts: planFacts(t, ""),
			ds: func() []diagnose.Diagnosis {
				a, b := diagnosis(diagnose.CauseMissingPackagesWrite, workflowFix), diagnosis(diagnose.CauseMissingPackagesWrite, workflowFix)
				b.Package.Name = "other"
				return []diagnose.Diagnosis{a, b}
			}(),
			want: []StepKind{StepWorkflowPR}},
		{name: "a diagnosis without causes is skipped", facts: planFacts(t, ""), ds: []diagnose.Diagnosis{{}}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := BuildPlan(tt.facts, tt.ds, tt.opts)
			var kinds []StepKind
			for _, s := range p.Steps {
				kinds = append(kinds, s.Kind)
			}
			assert.Equal(t, tt.want, kinds)
			if tt.check != nil && len(p.Steps) > 0 {
				tt.check(t, p)
			}
		})
	}
}

func TestBranchName(t *testing.T) {
	tests := []struct {
		step Step
		want string
	}{
		{Step{Kind: StepWorkflowPR, Path: ".github/workflows/release.yml", JobID: "build"}, "ghcr-doctor/packages-write/release-build"},
		{Step{Kind: StepLowercasePR, Path: ".github/workflows/ci.yaml", JobID: "push"}, "ghcr-doctor/lowercase/ci-push"},
		{Step{Kind: StepWorkflowPR, Path: ".github/workflows/a b.yml", JobID: "x..y~^:z"}, "ghcr-doctor/packages-write/a-b-x.y-z"},
		{Step{Kind: StepWorkflowPR, Path: ".github/workflows/w.yml", JobID: "job.lock"}, "ghcr-doctor/packages-write/w-job"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, BranchName(tt.step))
	}
}
