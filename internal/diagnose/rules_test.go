package diagnose

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

const ruleWorkflowJobBlock = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - run: docker push ghcr.io/acme/app:latest
`

const ruleWorkflowNoBlock = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - run: docker push ghcr.io/acme/app:latest
`

const ruleWorkflowWrite = `on: push
permissions:
  packages: write
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - run: docker push ghcr.io/acme/app:latest
`

const ruleWorkflowPAT = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: acme-bot
          password: ${{ secrets.CR_PAT }}
`

const ruleWorkflowAppToken = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - id: app
        uses: actions/create-github-app-token@v1
        with:
          app-id: 1
          private-key: ${{ secrets.KEY }}
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: x-access-token
          password: ${{ steps.app.outputs.token }}
`

// factsFor builds the facts of a run of job "build" with one finding.
func factsFor(t *testing.T, wf string, kind scan.Kind, perms scan.TokenPermissions, mutate func(*Facts)) *Facts {
	t.Helper()
	f := &Facts{
		Repo: Repo{Owner: "acme", Name: "app", OwnerType: "Organization"},
		Run:  Run{ID: 1, Attempt: 1, Path: ".github/workflows/release.yml", Event: "push", HeadSHA: "abc123", HeadBranch: "main", HeadRepo: "acme/app", Actor: "octocat"},
		Jobs: []JobLog{{ID: 10, Name: "build", Scan: &scan.ScanResult{TokenPermissions: perms, Findings: []scan.Finding{{
			Kind: kind, Registry: scan.RegistryGHCR, Owner: "acme", Package: "app", Tool: "docker", Step: "Run docker push", Line: 40,
			Text: "denied: installation not allowed to Write organization package", Message: "installation not allowed to Write organization package",
		}}}}},
		RepoDefault: KnownFact("write"),
		OrgDefault:  KnownFact("write"),
	}
	if wf != "" {
		file, err := workflow.Parse([]byte(wf))
		require.NoError(t, err)
		f.Workflow = KnownFact(WorkflowFile{Path: f.Run.Path, Source: []byte(wf), File: file})
	} else {
		f.Workflow = UnknownFact[WorkflowFile]("the app lacks a permission (contents:read)", "contents:read")
	}
	if mutate != nil {
		mutate(f)
	}
	return f
}

func TestDecide(t *testing.T) {
	read := scan.TokenPermissions{"contents": "read", "packages": "read"}
	write := scan.TokenPermissions{"contents": "read", "packages": "write"}
	none := scan.TokenPermissions{"contents": "read"}
	tests := []struct {
		name    string
		wf      string
		kind    scan.Kind
		perms   scan.TokenPermissions
		mutate  func(*Facts)
		want    CauseID
		conf    Confidence
		fixKind FixKind
	}{
		{name: "job block without packages", wf: ruleWorkflowJobBlock, kind: scan.KindWriteDenied, perms: none,
			want: CauseMissingPackagesWrite, conf: ConfidenceHigh, fixKind: FixWorkflowPR},
		{name: "job block without packages, computed from the file", wf: ruleWorkflowJobBlock, kind: scan.KindWriteDenied,
			want: CauseMissingPackagesWrite, conf: ConfidenceMedium, fixKind: FixWorkflowPR},
		{name: "no block, read-only repository default", wf: ruleWorkflowNoBlock, kind: scan.KindWriteDenied, perms: read,
			mutate: func(f *Facts) { f.RepoDefault = KnownFact("read") }, want: CauseRestrictedDefault, conf: ConfidenceHigh, fixKind: FixWorkflowPR},
		{name: "no block, read-only org default, no log block", wf: ruleWorkflowNoBlock, kind: scan.KindWriteDenied,
			mutate: func(f *Facts) { f.OrgDefault = KnownFact("read") }, want: CauseRestrictedDefault, conf: ConfidenceMedium, fixKind: FixWorkflowPR},
		{name: "fork pull request", wf: ruleWorkflowNoBlock, kind: scan.KindWriteDenied, perms: read,
			mutate: func(f *Facts) { f.Run.Event = "pull_request"; f.Run.HeadRepo = "someone/app" }, want: CauseForkPullRequest, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "fork pull request without log block is downgraded from the default", wf: ruleWorkflowNoBlock, kind: scan.KindWriteDenied,
			mutate: func(f *Facts) { f.Run.Event = "pull_request"; f.Run.HeadRepo = "someone/app" }, want: CauseForkPullRequest, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "dependabot", wf: ruleWorkflowNoBlock, kind: scan.KindWriteDenied, perms: read,
			mutate: func(f *Facts) { f.Run.Actor = "dependabot[bot]" }, want: CauseDependabot, conf: ConfidenceHigh, fixKind: FixWorkflowPR},
		{name: "seed: write granted, package ACL", wf: ruleWorkflowWrite, kind: scan.KindWriteDenied, perms: write,
			want: CausePackageAccess, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "write granted per file only", wf: ruleWorkflowWrite, kind: scan.KindWriteDenied,
			want: CausePackageAccess, conf: ConfidenceMedium, fixKind: FixManual},
		{name: "create refused with write", wf: ruleWorkflowWrite, kind: scan.KindCreateDenied, perms: write,
			want: CausePackageCreation, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "create refused in a user account is about access", wf: ruleWorkflowWrite, kind: scan.KindCreateDenied, perms: write,
			mutate: func(f *Facts) { f.Repo.OwnerType = "User" }, want: CausePackageAccess, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "read refused with write", wf: ruleWorkflowWrite, kind: scan.KindReadDenied, perms: write,
			want: CauseReadAccess, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "PAT login", wf: ruleWorkflowPAT, kind: scan.KindAuthFailed, perms: read,
			want: CausePATCredentials, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "PAT login, write refused", wf: ruleWorkflowPAT, kind: scan.KindWriteDenied, perms: read,
			want: CausePATCredentials, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "PAT secret missing in a fork", wf: ruleWorkflowPAT, kind: scan.KindAuthFailed, perms: read,
			mutate: func(f *Facts) { f.Run.Event = "pull_request"; f.Run.HeadRepo = "someone/app" }, want: CauseForkPullRequest, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "App installation token", wf: ruleWorkflowAppToken, kind: scan.KindWriteDenied, perms: write,
			want: CauseAppToken, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "upper case", wf: ruleWorkflowWrite, kind: scan.KindInvalidName, perms: write,
			want: CauseUppercaseName, conf: ConfidenceHigh, fixKind: FixLowercasePR},
		{name: "owner not found", wf: ruleWorkflowWrite, kind: scan.KindOwnerNotFound, perms: write,
			want: CauseOwnerNotFound, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "image without owner", wf: ruleWorkflowWrite, kind: scan.KindInvalidName, perms: write,
			mutate: func(f *Facts) { f.Jobs[0].Scan.Findings[0].Message = scan.NoOwnerMessage },
			want:   CauseInvalidName, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "maven upper-case artifact id", wf: ruleWorkflowWrite, kind: scan.KindInvalidName, perms: write,
			mutate: func(f *Facts) {
				fd := &f.Jobs[0].Scan.Findings[0]
				fd.Registry, fd.Message = scan.RegistryMaven, scan.MavenUppercaseMessage
			},
			want: CauseInvalidName, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "npm scope is not the owner", wf: ruleWorkflowWrite, kind: scan.KindOwnerNotFound, perms: write,
			mutate: func(f *Facts) {
				fd := &f.Jobs[0].Scan.Findings[0]
				fd.Registry, fd.Owner, fd.Message = scan.RegistryNPM, "someone-else", scan.NpmScopeMismatchMessage
			},
			want: CauseNPMScopeMismatch, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "registry inferred from the wording is said so", wf: ruleWorkflowWrite, kind: scan.KindWriteDenied, perms: write,
			mutate: func(f *Facts) {
				fd := &f.Jobs[0].Scan.Findings[0]
				fd.RegistryFrom, fd.Owner, fd.Package = scan.RegistryFromWording, "", ""
			},
			want: CausePackageAccess, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "other namespace", wf: ruleWorkflowWrite, kind: scan.KindWriteDenied, perms: write,
			mutate: func(f *Facts) { f.Jobs[0].Scan.Findings[0].Owner = "other" }, want: CauseNamespaceMismatch, conf: ConfidenceHigh, fixKind: FixManual},
		{name: "nothing readable", wf: "", kind: scan.KindWriteDenied,
			mutate: func(f *Facts) {
				f.RepoDefault = UnknownFact[string]("no permission", "administration:read")
			}, want: CauseUndetermined, conf: ConfidenceLow, fixKind: FixManual},
		{name: "refused login, job has no login step", wf: ruleWorkflowNoBlock + "  other:\n    runs-on: x\n    steps:\n      - run: docker push ghcr.io/acme/app\n", kind: scan.KindAuthFailed,
			mutate: func(f *Facts) { f.Jobs[0].Name = "other" }, want: CauseNoLogin, conf: ConfidenceMedium, fixKind: FixManual},
		{name: "refused login, workflow unreadable", wf: "", kind: scan.KindAuthFailed,
			want: CauseUndetermined, conf: ConfidenceLow, fixKind: FixManual},
		{name: "log block alone is enough without the file", wf: "", kind: scan.KindWriteDenied, perms: write,
			want: CausePackageAccess, conf: ConfidenceHigh, fixKind: FixManual},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := factsFor(t, tt.wf, tt.kind, tt.perms, tt.mutate)
			ds := Diagnose(f, Options{})
			require.Len(t, ds, 1)
			c := ds[0].Primary()
			assert.Equal(t, tt.want, c.ID, "summary: %s", c.Summary)
			assert.Equal(t, tt.conf, c.Confidence)
			assert.Equal(t, tt.fixKind, c.Fix.Kind)
			assert.NotEmpty(t, c.Summary)
			assert.NotEmpty(t, c.Evidence)
			assert.NotEmpty(t, c.Fix.Summary)
			assert.NotEmpty(t, ds[0].Checks)
			if f.Jobs[0].Scan.Findings[0].RegistryFrom == scan.RegistryFromWording {
				assert.Contains(t, strings.Join(c.Evidence, "\n"), "inferred from its wording")
			}
		})
	}
}

func TestSeedCaseLinksPackageSettings(t *testing.T) {
	f := factsFor(t, ruleWorkflowWrite, scan.KindWriteDenied, scan.TokenPermissions{"packages": "write"}, nil)
	d := Diagnose(f, Options{})[0]
	c := d.Primary()
	require.Equal(t, CausePackageAccess, c.ID)
	assert.Contains(t, c.Fix.Links, Link{"Package settings", "https://github.com/orgs/acme/packages/container/app/settings"})
	joined := strings.Join(c.Fix.Steps, "\n")
	assert.Contains(t, joined, "Manage Actions access")
	assert.Contains(t, joined, "Add repository")
	assert.Contains(t, joined, "**Write**")
}

func TestMissingWriteFixCarriesTheDiff(t *testing.T) {
	f := factsFor(t, ruleWorkflowJobBlock, scan.KindWriteDenied, scan.TokenPermissions{"contents": "read"}, nil)
	d := Diagnose(f, Options{WebURL: "https://ghe.example.com/"})[0]
	c := d.Primary()
	assert.Contains(t, c.Fix.Diff, "+      packages: write")
	assert.Equal(t, "build", c.Fix.JobID)
	require.NotEmpty(t, d.Annotations)
	assert.Equal(t, 5, d.Annotations[0].Line, "the permissions: line")
	assert.Contains(t, c.Fix.Links[0].URL, "https://ghe.example.com/acme/app/blob/abc123/.github/workflows/release.yml#L3")
}

func TestUnknownFactsNameThePermission(t *testing.T) {
	f := factsFor(t, "", scan.KindWriteDenied, nil, func(f *Facts) {
		f.RepoDefault = UnknownFact[string]("the app lacks a permission (administration:read)", "administration:read")
	})
	d := Diagnose(f, Options{})[0]
	var perms []string
	for _, u := range d.Unknowns {
		perms = append(perms, u.Permission)
	}
	assert.Contains(t, perms, "contents:read")
	assert.Contains(t, perms, "administration:read")
	var unknownChecks int
	for _, c := range d.Checks {
		if c.Status == CheckUnknown {
			unknownChecks++
		}
	}
	assert.GreaterOrEqual(t, unknownChecks, 2)
}

func TestFindingsGroupByPackage(t *testing.T) {
	f := factsFor(t, ruleWorkflowWrite, scan.KindWriteDenied, scan.TokenPermissions{"packages": "write"}, func(f *Facts) {
		sc := f.Jobs[0].Scan
		sc.Findings = append(sc.Findings,
			scan.Finding{Kind: scan.KindWriteDenied, Registry: scan.RegistryGHCR, Owner: "acme", Package: "worker", Line: 50},
			scan.Finding{Kind: scan.KindWriteDenied, Registry: scan.RegistryGHCR, Owner: "ACME", Package: "app", Line: 60},
		)
	})
	ds := Diagnose(f, Options{})
	require.Len(t, ds, 2)
	assert.Equal(t, "app", ds[0].Package.Name)
	assert.Len(t, ds[0].Findings, 2, "owner case does not split a package")
	assert.Equal(t, "worker", ds[1].Package.Name)
}

func TestNoFindingsNoDiagnosis(t *testing.T) {
	f := factsFor(t, ruleWorkflowWrite, scan.KindWriteDenied, nil, func(f *Facts) { f.Jobs[0].Scan.Findings = nil })
	assert.Empty(t, Diagnose(f, Options{}))
}

// A GitHub Enterprise Server registry is read by its kind, not its name:
// the package settings link and the lower-case check work on it too.
func TestEnterpriseRegistriesAreKnownByKind(t *testing.T) {
	cases := []struct{ registry, packageType string }{
		{"containers.ghe.example.com", "container"},
		{"npm.ghe.example.com", "npm"},
		{"maven.octo.ghe.com", "maven"},
		{scan.RegistryGHCR, "container"},
	}
	for _, tc := range cases {
		t.Run(tc.registry, func(t *testing.T) {
			f := factsFor(t, ruleWorkflowWrite, scan.KindWriteDenied, scan.TokenPermissions{"packages": "write"}, func(f *Facts) {
				f.Jobs[0].Scan.Findings[0].Registry = tc.registry
			})
			d := Diagnose(f, Options{})[0]
			assert.Contains(t, d.Primary().Fix.Links, Link{"Package settings", "https://github.com/orgs/acme/packages/" + tc.packageType + "/app/settings"})
			lowerCaseChecked := false
			for _, c := range d.Checks {
				lowerCaseChecked = lowerCaseChecked || strings.Contains(c.Name, "lower-case")
			}
			assert.Equal(t, tc.packageType == "container", lowerCaseChecked)
		})
	}
}
