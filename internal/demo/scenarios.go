package demo

import (
	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// Scenario is one failed run the demo plays: the workflow file, the job's
// log, how the run was triggered and the settings around it.
type Scenario struct {
	// Name picks the scenario with --scenario.
	Name string
	// Title is one line for the list.
	Title string
	// Story says what happened, as the user would tell it.
	Story string
	// Workflow is .github/workflows/release.yml at the run's commit.
	Workflow string
	// TokenPermissions are the GITHUB_TOKEN permissions the "Set up job"
	// section of the log prints; nil leaves the section out.
	TokenPermissions []string
	// Step is the failing step's header ("docker/build-push-action@v6").
	Step string
	// Output is what the failing step printed.
	Output []string
	// Event triggered the run; "push" when empty.
	Event string
	// PullRequest is the number of the run's pull request, 0 for none.
	PullRequest int
	// HeadRepo is the fork the pull request comes from, "" for the repository itself.
	HeadRepo string
	// Actor started the run; "octocat" when empty.
	Actor string
	// RepoDefault and OrgDefault are the default GITHUB_TOKEN permissions
	// ("read" or "write"); "write" when empty.
	RepoDefault string
	OrgDefault  string
	// Cause is what ghcr-doctor must find.
	Cause diagnose.CauseID
	// Expect are texts the demo's output must contain: the cause and the fix.
	Expect []string
}

// Scenarios lists the built-in scenarios; the first is the default, and it
// ends with the bot's fix pull request, as the quick start promises.
func Scenarios() []Scenario {
	return []Scenario{
		{
			Name:  "job-permissions",
			Title: "the job's permissions: block lacks packages: write (pull request)",
			Story: "A pull request's build fails: the job lists its permissions and packages is not among them,\n" +
				"so the token has none.",
			Workflow: wfJobPermsWithoutPackages, TokenPermissions: permsNoPackages, Step: "docker/build-push-action@v6",
			Output: buildxDenied("installation not allowed to Write organization package"), Event: "pull_request", PullRequest: 12,
			Cause:  diagnose.CauseMissingPackagesWrite,
			Expect: []string{"+      packages: write", "Opened pull request"},
		},
		{
			Name:  "package-access",
			Title: "packages: write is granted, but the package's access list lacks the repository",
			Story: "The workflow declares packages: write and the push still fails: the package was first pushed\n" +
				"by hand, so the repository has no write access to it under \"Manage Actions access\".",
			Workflow: wfSeed, TokenPermissions: permsWrite, Step: "docker/build-push-action@v6",
			Output: buildxDenied("permission_denied: write_package"),
			Cause:  diagnose.CausePackageAccess,
			Expect: []string{"Manage Actions access", "https://github.com/orgs/acme/packages/container/app/settings", "Only a person can do this"},
		},
		{
			Name:  "missing-permissions",
			Title: "no permissions: entry while the repository's default token is read-only",
			Story: "The workflow has no permissions: block, and the repository's default GITHUB_TOKEN\n" +
				"permissions are read-only, so the token cannot write packages.",
			Workflow: wfNoPermissions, TokenPermissions: permsRead, Step: "docker/build-push-action@v6",
			Output: buildxDenied("installation not allowed to Write organization package"), RepoDefault: "read",
			Cause:  diagnose.CauseRestrictedDefault,
			Expect: []string{"https://github.com/acme/app/settings/actions", "+      packages: write", "Opened pull request"},
		},
		{
			Name:  "fork-pull-request",
			Title: "a pull request from a fork gets a read-only token",
			Story: "A contributor's pull request from their fork runs the release workflow; GitHub gives\n" +
				"runs from forks a read-only token, whatever the workflow asks for.",
			Workflow: wfNoPermissions, TokenPermissions: permsRead, Step: "docker/build-push-action@v6",
			Output: buildxDenied("installation not allowed to Write organization package"),
			Event:  "pull_request", PullRequest: 31, HeadRepo: "contributor/app", Actor: "contributor",
			Cause:  diagnose.CauseForkPullRequest,
			Expect: []string{"contributor/app", "head.repo.full_name", "Only a person can do this"},
		},
		{
			Name:  "pat-scopes",
			Title: "a personal access token without write:packages",
			Story: "The workflow logs in with a personal access token stored in the CR_PAT secret; the token\n" +
				"lacks the write:packages scope.",
			Workflow: wfPAT, TokenPermissions: permsRead, Step: "docker push ghcr.io/acme/app:latest",
			Output: []string{
				"The push refers to repository [ghcr.io/acme/app]",
				"5f70bf18a086: Preparing",
				"denied: permission_denied: The token provided does not match expected scopes.",
				"##[error]Process completed with exit code 1.",
			},
			Cause:  diagnose.CausePATCredentials,
			Expect: []string{"CR_PAT", "write:packages", "https://github.com/acme/app/settings/secrets/actions"},
		},
		{
			Name:  "uppercase-name",
			Title: "an image name with upper-case letters",
			Story: "The image is tagged with ${{ github.repository }}, which keeps the owner's capital letters;\n" +
				"registry names must be lower-case.",
			Workflow: wfUppercase, TokenPermissions: permsWrite, Step: "docker build -t ghcr.io/${{ github.repository }}:latest .",
			Output: []string{
				`ERROR: invalid tag "ghcr.io/Acme/App:latest": repository name must be lowercase`,
				"##[error]Process completed with exit code 1.",
			},
			Cause:  diagnose.CauseUppercaseName,
			Expect: []string{"lower", "Opened pull request", "github.repository"},
		},
	}
}

// Find returns the scenario with the name.
func Find(name string) (Scenario, bool) {
	for _, s := range Scenarios() {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// Names lists the scenarios' names.
func Names() []string {
	var out []string
	for _, s := range Scenarios() {
		out = append(out, s.Name)
	}
	return out
}

// Token permissions as the "Set up job" section prints them.
var (
	permsNoPackages = []string{"Contents: read", "Metadata: read"}
	permsRead       = []string{"Contents: read", "Metadata: read", "Packages: read"}
	permsWrite      = []string{"Contents: read", "Metadata: read", "Packages: write"}
)

// buildxDenied is docker/build-push-action's output for a refused push.
func buildxDenied(message string) []string {
	return []string{
		"#12 [auth] acme/app:pull,push token for ghcr.io",
		"#13 ERROR: failed to push ghcr.io/acme/app:latest: denied: " + message,
		"ERROR: failed to build: failed to solve: failed to push ghcr.io/acme/app:latest: denied: " + message,
		"##[error]buildx failed with: ERROR: failed to build: failed to solve: failed to push ghcr.io/acme/app:latest: denied: " + message,
	}
}
