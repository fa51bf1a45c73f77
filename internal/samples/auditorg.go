package samples

import "strings"

// AuditRepo is one repository of AuditOrganisation.
type AuditRepo struct {
	Name     string
	Archived bool
	Fork     bool
	// Files are the repository's files on its default branch, by path.
	Files map[string]string
	// AtRisk are the jobs the audit must list as at risk, as "FILE#JOB".
	AtRisk []string
	// Unknown are the jobs it cannot decide, as "FILE#JOB".
	Unknown []string
}

// AuditOrgName is the organisation AuditOrganisation belongs to.
const AuditOrgName = "acme"

// AuditConfig opts the organisation in to the audit, in its .github repository.
const AuditConfig = "audit:\n  enabled: true\n"

// imageWorkflow is a workflow that logs in to ghcr.io with the job's token
// and pushes image, on events, with the job's permissions block.
func imageWorkflow(events, permissions, image string) string {
	return `name: Image
on:
` + events + `
jobs:
  image:
    runs-on: ubuntu-latest
` + permissions + `    steps:
      - uses: actions/checkout@v4
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ` + image + `
`
}

const (
	onPushMain      = "  push:\n    branches: [main]"
	onPushAndPR     = "  push:\n    branches: [main]\n  pull_request:"
	readOnly        = "    permissions:\n      contents: read\n"
	withPackages    = "    permissions:\n      contents: read\n      packages: write\n"
	testsOnly       = "name: CI\non: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: go test ./...\n"
	callsElsewhere  = "name: Release\non:\n  push:\n    tags: ['v*']\npermissions:\n  contents: read\n  packages: write\njobs:\n  release:\n    uses: acme-platform/workflows/.github/workflows/image.yml@v2\n    secrets: inherit\n"
	npmToGitHub     = "name: Package\non:\n  release:\n    types: [published]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n      packages: write\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 22\n          registry-url: https://npm.pkg.github.com\n      - run: npm ci\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n"
	npmPackageJSON  = `{"name": "@acme/widgets", "version": "1.0.0", "publishConfig": {"registry": "https://npm.pkg.github.com"}}`
	workflowsFolder = ".github/workflows/"
)

// AuditOrganisation is an organisation of 12 repositories for audits end
// to end: jobs at risk of every kind, clean publishing jobs, jobs that
// cannot be decided, workflows that publish nothing, a repository
// without workflows, and an archived repository and a fork whose risky
// workflows are skipped. Every repository's default workflow permissions
// are read-only.
func AuditOrganisation() []AuditRepo {
	release := workflowsFolder + "release.yml"
	return []AuditRepo{
		{Name: ".github", Files: map[string]string{".github/ghcr-doctor.yml": AuditConfig, "profile/README.md": "# Acme\n"}},
		{Name: "app", Files: map[string]string{release: imageWorkflow(onPushMain, readOnly, "ghcr.io/acme/app:latest")},
			AtRisk: []string{release + "#image"}},
		{Name: "web", Files: map[string]string{release: imageWorkflow(onPushMain, withPackages, "ghcr.io/acme/web:latest"),
			workflowsFolder + "ci.yml": testsOnly}},
		{Name: "api", Files: map[string]string{release: imageWorkflow(onPushMain, withPackages, "ghcr.io/acme/API:latest")},
			AtRisk: []string{release + "#image"}},
		{Name: "preview", Files: map[string]string{workflowsFolder + "preview.yaml": imageWorkflow(onPushAndPR, withPackages, "ghcr.io/acme/preview:pr")},
			AtRisk: []string{workflowsFolder + "preview.yaml#image"}},
		{Name: "widgets", Files: map[string]string{workflowsFolder + "package.yml": npmToGitHub, "package.json": npmPackageJSON}},
		{Name: "platform", Files: map[string]string{release: callsElsewhere},
			Unknown: []string{release + "#release"}},
		{Name: "mirror", Files: map[string]string{release: imageWorkflow(onPushMain, withPackages, "ghcr.io/acme-labs/mirror:latest")},
			AtRisk: []string{release + "#image"}},
		{Name: "docs", Files: map[string]string{"README.md": "# Docs\n"}},
		{Name: "tools", Files: map[string]string{workflowsFolder + "ci.yml": testsOnly}},
		{Name: "legacy", Archived: true, Files: map[string]string{release: imageWorkflow(onPushMain, readOnly, "ghcr.io/acme/legacy:latest")}},
		{Name: "upstream-fork", Fork: true, Files: map[string]string{release: imageWorkflow(onPushMain, readOnly, "ghcr.io/acme/upstream:latest")}},
	}
}

// AuditExpected lists the jobs of AuditOrganisation at risk and unknown,
// as "REPO FILE#JOB".
func AuditExpected() (atRisk, unknown []string) {
	for _, r := range AuditOrganisation() {
		for _, j := range r.AtRisk {
			atRisk = append(atRisk, AuditOrgName+"/"+r.Name+" "+j)
		}
		for _, j := range r.Unknown {
			unknown = append(unknown, AuditOrgName+"/"+r.Name+" "+j)
		}
	}
	return atRisk, unknown
}

// IsWorkflow reports whether a path of AuditOrganisation is a workflow file.
func IsWorkflow(path string) bool { return strings.HasPrefix(path, workflowsFolder) }
