package diagnose

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

// packageType is the package_type path segment GitHub uses for a registry,
// github.com's or a GitHub Enterprise Server's (npm.HOST is npm's too).
func packageType(registry string) string {
	if family := scan.RegistryFamily(registry); family != "" {
		return family
	}
	return "container"
}

// packageSettingsURL is the package's settings page, where "Manage Actions
// access" lives. The owner is the package's namespace, an org or a user.
func (in *input) packageSettingsURL() string {
	owner := in.pkg.Owner
	if owner == "" {
		owner = in.f.Repo.Owner
	}
	name := in.pkg.Name
	if name == "" {
		name = in.f.Repo.Name
	}
	kind := "users"
	if in.ownerIsOrg(owner) {
		kind = "orgs"
	}
	return fmt.Sprintf("%s/%s/%s/packages/%s/%s/settings", in.opts.web(), kind, strings.ToLower(owner),
		packageType(in.pkg.Registry), url.PathEscape(strings.ToLower(name)))
}

// ownerIsOrg reports whether owner is an organisation, as far as is known:
// the repository owner's type is, any other namespace is assumed an org.
func (in *input) ownerIsOrg(owner string) bool {
	if strings.EqualFold(owner, in.f.Repo.Owner) {
		return in.f.Repo.OwnerType != "User"
	}
	return true
}

func (in *input) orgPackagesSettingsURL() string {
	return fmt.Sprintf("%s/organizations/%s/settings/packages", in.opts.web(), in.f.Repo.Owner)
}

func (in *input) repoActionsSettingsURL() string {
	return fmt.Sprintf("%s/%s/settings/actions", in.opts.web(), in.f.Repo.FullName())
}

func (in *input) orgActionsSettingsURL() string {
	return fmt.Sprintf("%s/organizations/%s/settings/actions", in.opts.web(), in.f.Repo.Owner)
}

func (in *input) secretsSettingsURL() string {
	return fmt.Sprintf("%s/%s/settings/secrets/actions", in.opts.web(), in.f.Repo.FullName())
}

func (in *input) newClassicPATURL() string {
	return in.opts.web() + "/settings/tokens/new?scopes=write:packages&description=" + url.QueryEscape("GitHub Packages push for "+in.f.Repo.FullName())
}

// workflowLineURL links to a line of the workflow file at the run's commit.
func (in *input) workflowLineURL(line int) string {
	u := fmt.Sprintf("%s/%s/blob/%s/%s", in.opts.web(), in.f.Repo.FullName(), in.f.Run.HeadSHA, in.f.Run.Path)
	if line > 0 {
		u += fmt.Sprintf("#L%d", line)
	}
	return u
}

const (
	docsPermissions     = "https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#permissions"
	docsPackageAccess   = "https://docs.github.com/en/packages/learn-github-packages/configuring-a-packages-access-control-and-visibility#ensuring-workflow-access-to-your-package"
	docsClassicPAT      = "https://docs.github.com/en/packages/learn-github-packages/about-permissions-for-github-packages#about-scopes-and-permissions-for-package-registries"
	docsForkTokens      = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token"
	docsDependabot      = "https://docs.github.com/en/code-security/dependabot/working-with-dependabot/troubleshooting-dependabot-on-github-actions"
	docsPublishPackages = "https://docs.github.com/en/packages/managing-github-packages-using-github-actions-workflows/publishing-and-installing-a-package-with-github-actions"
	docsMavenRegistry   = "https://docs.github.com/en/packages/working-with-a-github-packages-registry/working-with-the-apache-maven-registry"
)
