package commands

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

const wfMissing = `name: Release
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - run: docker push ghcr.io/acme/app
`

const wfGranted = `name: Release
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write
    steps:
      - run: docker push ghcr.io/acme/app
`

const wfReusable = `name: Release
on: push
jobs:
  build:
    uses: acme/shared/.github/workflows/build.yml@v1
`

func applier(gh *memGitHub) *Applier {
	return &Applier{GH: gh, Repo: diagnose.Repo{Owner: "acme", Name: "app", OwnerType: "Organization", DefaultBranch: "main"},
		Run: diagnose.Run{ID: 7, HTMLURL: "https://github.com/acme/app/actions/runs/7"}, Requester: "maya",
		DiagnosisURL: "https://github.com/acme/app/pull/12#issuecomment-5"}
}

var prStep = Step{Kind: StepWorkflowPR, Path: planPath, JobID: "build", Cause: diagnose.CauseMissingPackagesWrite,
	CauseSummary: "The job lacks packages: write.", Package: diagnose.PackageRef{Registry: "ghcr.io", Owner: "acme", Name: "app"}}

func TestApplyPullRequest(t *testing.T) {
	gh := newMemGitHub(map[string]string{planPath: wfMissing})
	res := applier(gh).Apply(context.Background(), prStep, false)
	require.Equal(t, StatusDone, res.Status, res.Message)
	want, err := workflow.AddPackagesWrite([]byte(wfMissing), "build")
	require.NoError(t, err)
	branch := "ghcr-doctor/packages-write/release-build"
	assert.Equal(t, string(want.Out), string(gh.branches[branch][planPath]))
	assert.Equal(t, wfMissing, string(gh.branches["main"][planPath]))
	require.Len(t, gh.pulls, 1)
	p := gh.pulls[0]
	assert.Equal(t, "main", p.Base)
	assert.Equal(t, branch, p.Head)
	assert.Contains(t, p.Body, "+      packages: write")
	assert.Contains(t, p.Body, "https://github.com/acme/app/pull/12#issuecomment-5")
	assert.Contains(t, res.Message, "https://github.com/acme/app/pull/100")
	assert.Equal(t, []string{"create " + branch, "commit " + branch + " " + planPath, "pull " + branch}, gh.writes)

	// The same step again finds the open pull request.
	gh.writes = nil
	again := applier(gh).Apply(context.Background(), prStep, false)
	assert.Equal(t, StatusExists, again.Status)
	assert.Contains(t, again.Message, "https://github.com/acme/app/pull/100")
	assert.Empty(t, gh.writes)
}

func TestApplyPullRequestOutcomes(t *testing.T) {
	perm := &gherr.PermissionError{Op: "commit", Accepted: "contents=write,workflows=write", Message: "refusing to allow a GitHub App to create or update workflow"}
	tests := []struct {
		name     string
		files    map[string]string
		fail     map[string]error
		prepare  func(gh *memGitHub)
		dryRun   bool
		want     Status
		contains []string
		writes   []string
		branches []string
	}{
		{name: "dry run writes nothing", files: map[string]string{planPath: wfMissing}, dryRun: true, want: StatusPlanned,
			contains: []string{"Would open a pull request"}, branches: []string{"main"}},
		{name: "already granted on the default branch", files: map[string]string{planPath: wfGranted}, want: StatusUnneeded,
			contains: []string{"already has `packages: write`"}, branches: []string{"main"}},
		{name: "file gone from the default branch", files: map[string]string{}, want: StatusUnneeded,
			contains: []string{"does not exist on the default branch"}, branches: []string{"main"}},
		{name: "reusable workflow in another repository", files: map[string]string{planPath: wfReusable}, want: StatusManual,
			contains: []string{"acme/shared", ".github/workflows/build.yml", "v1"}, branches: []string{"main"}},
		{name: "missing workflows permission deletes the new branch", files: map[string]string{planPath: wfMissing},
			fail: map[string]error{"CommitFile": perm}, want: StatusFailed,
			contains: []string{"`workflows:write`", "`contents:write`", "deleted again", "Permissions & events"},
			writes:   []string{"create ghcr-doctor/packages-write/release-build", "delete ghcr-doctor/packages-write/release-build"},
			branches: []string{"main"}},
		{name: "refused pull request deletes the new branch", files: map[string]string{planPath: wfMissing},
			fail: map[string]error{"CreatePullRequest": &gherr.PermissionError{Op: "pull"}}, want: StatusFailed,
			contains: []string{"`pull_requests:write`", "deleted again"}, branches: []string{"main"}},
		{name: "a branch that cannot be deleted is named", files: map[string]string{planPath: wfMissing},
			fail: map[string]error{"CommitFile": perm, "DeleteBranch": &gherr.PermissionError{Op: "delete"}}, want: StatusFailed,
			contains: []string{"could not be deleted", "delete it by hand"}, branches: []string{"ghcr-doctor/packages-write/release-build", "main"}},
		{name: "a stale branch of the bot is reset, not recreated", files: map[string]string{planPath: wfMissing},
			prepare: func(gh *memGitHub) {
				gh.setBranch("ghcr-doctor/packages-write/release-build", map[string][]byte{planPath: []byte("old")})
			}, want: StatusDone,
			writes:   []string{"reset ghcr-doctor/packages-write/release-build", "commit ghcr-doctor/packages-write/release-build " + planPath, "pull ghcr-doctor/packages-write/release-build"},
			branches: []string{"ghcr-doctor/packages-write/release-build", "main"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gh := newMemGitHub(tt.files)
			for k, v := range tt.fail {
				gh.fail[k] = v
			}
			if tt.prepare != nil {
				tt.prepare(gh)
			}
			res := applier(gh).Apply(context.Background(), prStep, tt.dryRun)
			assert.Equal(t, tt.want, res.Status, res.Message)
			all := res.Message
			for _, d := range res.Details {
				all += "\n" + d
			}
			for _, c := range tt.contains {
				assert.Contains(t, all, c)
			}
			if tt.writes != nil {
				assert.Equal(t, tt.writes, gh.writes)
			}
			if tt.branches != nil {
				assert.Equal(t, tt.branches, gh.branchNames())
			}
			if tt.dryRun || tt.want == StatusUnneeded || tt.want == StatusManual {
				assert.Empty(t, gh.writes)
			}
		})
	}
}

func TestApplyLowercase(t *testing.T) {
	gh := newMemGitHub(map[string]string{planPath: wfUpper})
	step := Step{Kind: StepLowercasePR, Path: planPath, JobID: "build", ImageRef: "ghcr.io/${{ github.repository }}:latest"}
	res := applier(gh).Apply(context.Background(), step, false)
	require.Equal(t, StatusDone, res.Status, res.Message)
	got := string(gh.branches["ghcr-doctor/lowercase/release-build"][planPath])
	assert.Contains(t, got, "REPOSITORY_LC")

	gone := newMemGitHub(map[string]string{planPath: wfMissing})
	res = applier(gone).Apply(context.Background(), step, false)
	assert.Equal(t, StatusUnneeded, res.Status, res.Message)
	assert.Empty(t, gone.writes)
}

func TestApplySettings(t *testing.T) {
	ctx := context.Background()
	t.Run("repository", func(t *testing.T) {
		gh := newMemGitHub(nil)
		res := applier(gh).Apply(ctx, Step{Kind: StepRepoSetting}, false)
		assert.Equal(t, StatusDone, res.Status)
		assert.Equal(t, "write", gh.repoPerm)
		assert.Contains(t, res.Message, "/ghcr retry")
	})
	t.Run("repository dry run", func(t *testing.T) {
		gh := newMemGitHub(nil)
		res := applier(gh).Apply(ctx, Step{Kind: StepRepoSetting}, true)
		assert.Equal(t, StatusPlanned, res.Status)
		assert.Equal(t, "read", gh.repoPerm)
	})
	t.Run("locked by the organisation", func(t *testing.T) {
		gh := newMemGitHub(nil)
		gh.fail["SetRepoWorkflowDefault"] = &gherr.ConflictError{Op: "set", Message: "Conflict"}
		res := applier(gh).Apply(ctx, Step{Kind: StepRepoSetting}, false)
		assert.Equal(t, StatusFailed, res.Status)
		assert.Contains(t, res.Message, "409")
		assert.Contains(t, res.Details[0], "https://github.com/organizations/acme/settings/actions")
	})
	t.Run("without administration write", func(t *testing.T) {
		gh := newMemGitHub(nil)
		gh.fail["SetRepoWorkflowDefault"] = &gherr.PermissionError{Op: "set", Accepted: "administration=write"}
		res := applier(gh).Apply(ctx, Step{Kind: StepRepoSetting}, false)
		assert.Equal(t, []string{"administration:write"}, res.Permissions)
		assert.Contains(t, res.Details[0], "Repository permissions → Administration → Read and write")
	})
	t.Run("organisation without the permission, header missing", func(t *testing.T) {
		gh := newMemGitHub(nil)
		gh.fail["SetOrgWorkflowDefault"] = &gherr.PermissionError{Op: "set"}
		res := applier(gh).Apply(ctx, Step{Kind: StepOrgSetting}, false)
		assert.Equal(t, []string{"organization_administration:write"}, res.Permissions)
	})
	t.Run("organisation", func(t *testing.T) {
		gh := newMemGitHub(nil)
		a := applier(gh)
		a.Facts = &diagnose.Facts{RepoDefault: diagnose.KnownFact("read")}
		res := a.Apply(ctx, Step{Kind: StepOrgSetting}, false)
		assert.Equal(t, StatusDone, res.Status)
		assert.Equal(t, "write", gh.orgPerm)
		assert.Contains(t, res.Details[0], "/ghcr fix --settings")
	})
}

func TestApplyManualAndDeclined(t *testing.T) {
	gh := newMemGitHub(nil)
	manual := Step{Kind: StepManual, Fix: diagnose.Fix{Summary: "A package admin must add the repository.",
		Steps: []string{"Open https://github.com/orgs/acme/packages/container/app/settings"},
		Links: []diagnose.Link{{Text: "Package settings", URL: "https://github.com/orgs/acme/packages/container/app/settings"}, {Text: "bad", URL: "javascript:alert(1)"}},
		Role:  "package admin"}}
	res := applier(gh).Apply(context.Background(), manual, false)
	assert.Equal(t, StatusManual, res.Status)
	all := res.Message + "\n" + joinDetails(res)
	assert.Contains(t, all, "[Package settings](https://github.com/orgs/acme/packages/container/app/settings)")
	assert.NotContains(t, all, "](javascript:", "a refused address is never a link")
	assert.Contains(t, all, "bad (`javascript:alert(1)`)", "it is shown as code")
	assert.Contains(t, all, "/ghcr retry")
	assert.Contains(t, all, "package admin")

	declined := applier(gh).Apply(context.Background(), Step{Kind: StepDeclined, Reason: "Not opted in.", Alternatives: []string{"Use `/ghcr fix`."}}, false)
	assert.Equal(t, StatusDeclined, declined.Status)
	assert.Equal(t, "Not opted in.", declined.Message)
	assert.Empty(t, gh.writes)
}

func joinDetails(r StepResult) string {
	s := ""
	for _, d := range r.Details {
		s += d
	}
	return s
}
