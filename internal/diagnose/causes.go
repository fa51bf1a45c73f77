package diagnose

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

func missingWriteCause(in *input) Cause {
	where := "workflow"
	if in.token.DeclaredAt == "job" {
		where = "job " + code(in.jobName())
	}
	c := Cause{
		ID:         CauseMissingPackagesWrite,
		Confidence: in.tokenConfidence(),
		Summary: fmt.Sprintf("The %s declares `permissions:` (line %d) without `packages: write`, so its GITHUB_TOKEN could not push %s.",
			where, in.token.Declared.Line, code(in.pkg.Display())),
		Evidence: in.evidence(),
	}
	c.Evidence = append(c.Evidence, "Any `permissions:` block sets every scope it does not list to `none`.")
	c.Fix = in.workflowFix("Add `packages: write` to the job's `permissions:`.")
	return c
}

func restrictedDefaultCause(in *input) Cause {
	c := Cause{
		ID:         CauseRestrictedDefault,
		Confidence: in.tokenConfidence(),
		Summary: fmt.Sprintf("The workflow has no `permissions:` and %s is read-only, so the GITHUB_TOKEN could not push %s.",
			strings.TrimPrefix(in.token.Source, "the "), code(in.pkg.Display())),
		Evidence: in.evidence(),
	}
	c.Fix = in.workflowFix("Give the job `packages: write` in the workflow (preferred), or switch the default workflow permissions to read and write.")
	c.Fix.Steps = append(c.Fix.Steps,
		"Alternative, for every workflow of the repository: open "+in.repoActionsSettingsURL()+" → Workflow permissions → Read and write permissions → Save (an organisation policy may lock this).")
	c.Fix.Links = append(c.Fix.Links, Link{"Repository Actions settings", in.repoActionsSettingsURL()})
	if in.f.Repo.IsOrg() {
		c.Fix.Links = append(c.Fix.Links, Link{"Organisation Actions settings", in.orgActionsSettingsURL()})
	}
	return c
}

func forkCause(in *input, conf Confidence) Cause {
	return Cause{
		ID:         CauseForkPullRequest,
		Confidence: conf,
		Summary: fmt.Sprintf("The run comes from a fork (%s), and GitHub gives fork pull requests a read-only GITHUB_TOKEN and no secrets, so it cannot push %s.",
			in.f.Run.HeadRepo, code(in.pkg.Display())),
		Evidence: append(in.evidence(), fmt.Sprintf("Event %s with head repository %s, not %s.", code(in.f.Run.Event), code(in.f.Run.HeadRepo), code(in.f.Repo.FullName()))),
		Fix: Fix{
			Kind:    FixManual,
			Summary: "Do not push from fork pull requests: build them, and push only from branches of this repository.",
			Steps: []string{
				"Guard the push with `if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository`, or set `push: ${{ github.event_name != 'pull_request' }}` on docker/build-push-action.",
				"Granting a fork write access is not possible with `permissions:`; `pull_request_target` would give it, but runs untrusted code with a write token: do not.",
			},
			Links: []Link{{"GITHUB_TOKEN permissions for forks", docsForkTokens}},
			Role:  "write",
		},
	}
}

func dependabotCause(in *input, conf Confidence) Cause {
	c := Cause{
		ID:         CauseDependabot,
		Confidence: conf,
		Summary:    fmt.Sprintf("Dependabot triggered the run, and its runs get a read-only GITHUB_TOKEN and only Dependabot secrets, so it could not push %s.", code(in.pkg.Display())),
		Evidence:   append(in.evidence(), "The run's actor is `dependabot[bot]`; the restriction applies even when someone else re-runs it."),
	}
	c.Fix = in.workflowFix("Give the job `packages: write` explicitly (allowed for Dependabot runs), or skip the push when `github.actor == 'dependabot[bot]'`.")
	c.Fix.Links = append(c.Fix.Links, Link{"Dependabot on GitHub Actions", docsDependabot})
	return c
}

func packageAccessCause(in *input, conf Confidence) Cause {
	role := "Write"
	if in.finding.Kind == scan.KindReadDenied {
		role = "Read"
	}
	summary := fmt.Sprintf("The GITHUB_TOKEN had `packages: write`, but the package %s does not give the repository %s %s access (its Manage Actions access list lacks it).",
		code(in.pkg.Display()), in.f.Repo.FullName(), role)
	if !in.token.known() {
		summary = fmt.Sprintf("The package %s may not give the repository %s %s access in its Manage Actions access list.", code(in.pkg.Display()), in.f.Repo.FullName(), role)
	}
	settings := in.packageSettingsURL()
	return Cause{
		ID:         CausePackageAccess,
		Confidence: conf,
		Summary:    summary,
		Evidence: append(in.evidence(),
			"A package that was first pushed by hand, by a personal access token or by another repository does not grant this repository's workflows access."),
		Fix: Fix{
			Kind:    FixManual,
			Summary: fmt.Sprintf("A package admin must add %s with the %s role to the package's Manage Actions access (no API exists for this).", in.f.Repo.FullName(), role),
			Steps: []string{
				"Open " + settings,
				"Under **Manage Actions access**, click **Add repository**.",
				fmt.Sprintf("Choose **%s**, then set its role to **%s**.", in.f.Repo.Name, role),
				"Re-run the failed jobs (or reply `/ghcr retry`).",
				"To keep new packages linked, add `LABEL org.opencontainers.image.source=" + in.opts.web() + "/" + in.f.Repo.FullName() + "` to the Dockerfile (or pass docker/metadata-action's labels).",
			},
			Links: []Link{{"Package settings", settings}, {"Ensuring workflow access to your package", docsPackageAccess}},
			Role:  "package admin",
		},
	}
}

func readAccessCause(in *input, conf Confidence) Cause {
	c := packageAccessCause(in, conf)
	c.ID = CauseReadAccess
	c.Summary = fmt.Sprintf("The workflow could not read %s: the package does not give %s Read access (pulls, base images, cache imports and blob mounts need it).",
		code(in.pkg.Display()), in.f.Repo.FullName())
	return c
}

func packageCreationCause(in *input, conf Confidence) Cause {
	settings := in.orgPackagesSettingsURL()
	return Cause{
		ID:         CausePackageCreation,
		Confidence: conf,
		Summary: fmt.Sprintf("The GITHUB_TOKEN could write packages, but the organisation %s does not allow this package %s to be created (its Package creation policy).",
			in.f.Repo.Owner, code(in.pkg.Display())),
		Evidence: in.evidence(),
		Fix: Fix{
			Kind:    FixManual,
			Summary: "An organisation owner must allow members to create packages of this visibility (no API exists for this).",
			Steps: []string{
				"Open " + settings,
				"Under **Package creation**, tick the visibility the new package gets (public, private or internal).",
				"Click **Save**, then re-run the failed jobs (or reply `/ghcr retry`).",
			},
			Links: []Link{{"Organisation package settings", settings}},
			Role:  "org owner",
		},
	}
}

func namespaceCause(in *input) Cause {
	return Cause{
		ID:         CauseNamespaceMismatch,
		Confidence: ConfidenceHigh,
		Summary: fmt.Sprintf("The workflow pushes to the namespace %s, but a GITHUB_TOKEN of %s can only create and write packages owned by %s.",
			code(in.pkg.Owner), in.f.Repo.FullName(), code(in.f.Repo.Owner)),
		Evidence: in.evidence(),
		Fix: Fix{
			Kind:    FixManual,
			Summary: fmt.Sprintf("Push to %s, or log in with a classic personal access token that has `write:packages` on %s.", code(in.pkg.Registry+"/"+strings.ToLower(in.f.Repo.Owner)+"/…"), code(in.pkg.Owner)),
			Steps: []string{
				fmt.Sprintf("Change the image reference to `%s/%s/%s`.", in.pkg.Registry, strings.ToLower(in.f.Repo.Owner), strings.ToLower(in.pkg.Name)),
				"Or, to keep the other namespace: store a classic PAT with `write:packages` as a secret and use it as the registry password.",
			},
			Links: []Link{{"About permissions for GitHub Packages", docsClassicPAT}},
			Role:  "write",
		},
	}
}

func patCause(in *input) Cause {
	secret := "the personal access token"
	if in.login != nil && in.login.SecretName != "" {
		secret = "the secret " + code(in.login.SecretName)
	}
	summary := fmt.Sprintf("The job logs in with %s instead of GITHUB_TOKEN, and GitHub Packages refused it: it is expired or revoked, lacks `write:packages`, is fine-grained (not supported), or is not authorised for SSO.", secret)
	if strings.Contains(in.finding.Message, "expected scopes") {
		summary = fmt.Sprintf("The job logs in with %s, which lacks the `write:packages` scope (or is a fine-grained token, which GitHub Packages does not accept).", secret)
	} else if in.finding.Kind != scan.KindAuthFailed {
		summary = fmt.Sprintf("The job logs in with %s, whose user may not write %s, or which lacks `write:packages`.", secret, code(in.pkg.Display()))
	}
	conf := ConfidenceHigh
	if in.login == nil || in.login.SecretName == "" {
		conf = ConfidenceMedium
	}
	c := Cause{
		ID:         CausePATCredentials,
		Confidence: conf,
		Summary:    summary,
		Evidence:   in.evidence(),
		Fix: Fix{
			Kind:    FixManual,
			Summary: "Use the GITHUB_TOKEN with `packages: write` (preferred), or replace the secret with a classic PAT that has `write:packages`.",
			Steps: []string{
				"Preferred: log in with `password: ${{ secrets.GITHUB_TOKEN }}` and give the job `permissions: packages: write`.",
				"Or create a classic token with `write:packages` at " + in.newClassicPATURL() + ", authorise it for SSO if the organisation uses it, and store it at " + in.secretsSettingsURL() + ".",
			},
			Links: []Link{{"New classic token", in.newClassicPATURL()}, {"Repository secrets", in.secretsSettingsURL()}, {"Scopes for package registries", docsClassicPAT}},
			Role:  "admin",
		},
	}
	if in.login != nil {
		c.Evidence = append(c.Evidence, fmt.Sprintf("Workflow line %d logs in to %s with %s.", in.login.Line, in.pkg.Registry, strings.TrimSpace(in.login.Password.Str)))
	}
	return c
}

func appTokenCause(in *input) Cause {
	return Cause{
		ID:         CauseAppToken,
		Confidence: ConfidenceHigh,
		Summary:    "The job logs in with a GitHub App installation token, which GitHub Packages does not accept for pushes; only GITHUB_TOKEN and classic PATs work.",
		Evidence:   append(in.evidence(), fmt.Sprintf("Workflow line %d uses %s as the registry password.", in.login.Line, strings.TrimSpace(in.login.Password.Str))),
		Fix: Fix{
			Kind:    FixManual,
			Summary: "Log in with `${{ secrets.GITHUB_TOKEN }}` and give the job `packages: write`.",
			Steps:   []string{"Replace the registry password with `${{ secrets.GITHUB_TOKEN }}`.", "Add `packages: write` to the job's `permissions:`."},
			Links:   []Link{{"Publishing packages with GitHub Actions", docsPublishPackages}},
			Role:    "write",
		},
	}
}

func noLoginCause(in *input) Cause {
	return Cause{
		ID:         CauseNoLogin,
		Confidence: ConfidenceMedium,
		Summary:    fmt.Sprintf("The registry did not accept the job's credentials for %s, and the job has no login step for %s.", code(in.pkg.Display()), in.pkg.Registry),
		Evidence:   in.evidence(),
		Fix: Fix{
			Kind:    FixManual,
			Summary: "Log in to the registry in the same job before pushing, with the GITHUB_TOKEN.",
			Steps: []string{
				fmt.Sprintf("Add a `docker/login-action` step with `registry: %s`, `username: ${{ github.actor }}`, `password: ${{ secrets.GITHUB_TOKEN }}` before the push.", in.pkg.Registry),
				"Logins do not carry over between jobs.",
			},
			Links: []Link{{"Publishing packages with GitHub Actions", docsPublishPackages}},
			Role:  "write",
		},
	}
}

func uppercaseCause(in *input) Cause {
	c := Cause{
		ID:         CauseUppercaseName,
		Confidence: ConfidenceHigh,
		Summary:    "The image reference has upper-case letters, which registries refuse; `github.repository` and `github.repository_owner` keep the case of the names on GitHub.",
		Evidence:   in.evidence(),
		Fix: Fix{
			Kind:    FixLowercasePR,
			Summary: "Lower-case the image name in the workflow.",
			Steps: []string{
				"Lower-case the reference, e.g. `echo \"IMAGE=${GITHUB_REPOSITORY,,}\" >> \"$GITHUB_ENV\"` and use `${{ env.IMAGE }}`, or let docker/metadata-action build the tags (it lower-cases).",
			},
			Links: []Link{{"Publishing packages with GitHub Actions", docsPublishPackages}},
			Role:  "write",
		},
	}
	if ref := in.imageRefLine(); ref > 0 {
		c.Fix.Links = append(c.Fix.Links, Link{"Image reference in the workflow", in.workflowLineURL(ref)})
	}
	return c
}

func invalidNameCause(in *input) Cause {
	owner := strings.ToLower(in.f.Repo.Owner)
	if owner == "" {
		owner = "OWNER"
	}
	return Cause{
		ID:         CauseInvalidName,
		Confidence: ConfidenceHigh,
		Summary:    fmt.Sprintf("%s has no owner namespace; %s refuses it (400 Bad Request).", code(in.pkg.Display()), in.pkg.Registry),
		Evidence:   in.evidence(),
		Fix: Fix{
			Kind:    FixManual,
			Summary: fmt.Sprintf("Name the image `%s/%s/NAME`: GitHub Packages keeps every package under a user or organisation namespace.", in.pkg.Registry, owner),
			Steps:   []string{"Put the owner's login between the registry and the image name, e.g. `${{ github.repository_owner }}` lower-cased, or use docker/metadata-action with `images: ghcr.io/${{ github.repository }}`."},
			Links:   []Link{{"Publishing packages with GitHub Actions", docsPublishPackages}},
			Role:    "write",
		},
	}
}

func mavenUppercaseCause(in *input) Cause {
	return Cause{
		ID:         CauseInvalidName,
		Confidence: ConfidenceHigh,
		Summary:    fmt.Sprintf("maven.pkg.github.com answered 422 Unprocessable Entity for %s: GitHub Packages accepts only lower-case artifact ids.", code(in.pkg.Display())),
		Evidence:   in.evidence(),
		Fix: Fix{
			Kind:    FixManual,
			Summary: "Lower-case the `artifactId` in pom.xml (or the Gradle publication's `artifactId`).",
			Steps:   []string{"Group ids may keep their case; the artifact id (the last part of the package name) must be lower case."},
			Links:   []Link{{"Working with the Apache Maven registry", docsMavenRegistry}},
			Role:    "write",
		},
	}
}

func npmScopeCause(in *input) Cause {
	owner := strings.ToLower(in.f.Repo.Owner)
	if owner == "" {
		owner = "OWNER"
	}
	return Cause{
		ID:         CauseNPMScopeMismatch,
		Confidence: ConfidenceHigh,
		Summary:    fmt.Sprintf("npm.pkg.github.com answered 404 to the publish of %s: the package's scope must be the login of the user or organisation that owns the repository.", code(in.pkg.Display())),
		Evidence:   in.evidence(),
		Fix: Fix{
			Kind:    FixManual,
			Summary: fmt.Sprintf("Name the package `@%s/NAME` in package.json (and the registry line `@%s:registry=https://npm.pkg.github.com` in .npmrc).", owner, owner),
			Steps: []string{
				"Check `name` and `publishConfig.registry` in package.json and the scope line in .npmrc.",
				"A `repository` field that points to another repository also makes the publish go to that repository's owner.",
			},
			Links: []Link{{"Publishing packages with GitHub Actions", docsPublishPackages}},
			Role:  "write",
		},
	}
}

func ownerNotFoundCause(in *input) Cause {
	return Cause{
		ID:         CauseOwnerNotFound,
		Confidence: ConfidenceHigh,
		Summary:    fmt.Sprintf("The namespace %s of %s is not a GitHub user or organisation login.", code(in.pkg.Owner), code(in.pkg.Display())),
		Evidence:   in.evidence(),
		Fix: Fix{
			Kind:    FixManual,
			Summary: fmt.Sprintf("Use the repository owner's login, %s, as the namespace (for npm, the package scope must be %s).", code(strings.ToLower(in.f.Repo.Owner)), code("@"+strings.ToLower(in.f.Repo.Owner))),
			Steps:   []string{"Check the image name or npm scope for a typo, a display name used instead of a login, or a renamed organisation."},
			Role:    "write",
		},
	}
}

func undeterminedCause(in *input) Cause {
	c := Cause{
		ID:         CauseUndetermined,
		Confidence: ConfidenceLow,
		Summary:    fmt.Sprintf("GitHub Packages refused %s, and the facts needed to tell why could not all be read.", code(in.pkg.Display())),
		Evidence:   in.evidence(),
	}
	c.Fix = in.workflowFix("Make sure the job has `packages: write`; if it already has, check the package's Manage Actions access.")
	c.Fix.Links = append(c.Fix.Links, Link{"Package settings", in.packageSettingsURL()})
	return c
}

// workflowFix builds the fix that edits the failing job's permissions,
// with the exact diff when the workflow file could be edited.
func (in *input) workflowFix(summary string) Fix {
	fix := Fix{Kind: FixWorkflowPR, Summary: summary, JobID: in.jobName(), Role: "write",
		Links: []Link{{"Workflow permissions", docsPermissions}}}
	if in.wf == nil || in.job == nil {
		fix.Kind = FixManual
		fix.Steps = []string{"Add `packages: write` to the `permissions:` of the job that pushes (and `contents: read` if you create the block)."}
		return fix
	}
	fix.Links = append([]Link{{"Workflow file", in.workflowLineURL(in.job.Line)}}, fix.Links...)
	edit, err := workflow.AddPackagesWrite(in.f.Workflow.Value.Source, in.job.ID)
	var elsewhere *workflow.ReusableWorkflowError
	switch {
	case errors.As(err, &elsewhere):
		fix.Kind = FixManual
		fix.Steps = []string{"The job calls a reusable workflow; its own jobs' `permissions:` decide. " + markdown.Text(elsewhere.Error(), 500)}
	case err != nil:
		fix.Kind = FixManual
		fix.Steps = []string{fmt.Sprintf("Add `packages: write` to the `permissions:` of job %s (the bot could not prepare the edit: %s).", code(in.job.ID), markdown.Text(err.Error(), 500))}
	case edit.Changed:
		fix.Diff = edit.Diff
		fix.Steps = []string{fmt.Sprintf("Apply this change to %s (or reply `/ghcr fix` and the bot opens a pull request).", code(in.f.Run.Path))}
	}
	return fix
}

func (in *input) tokenConfidence() Confidence {
	if in.token.FromLog {
		return ConfidenceHigh
	}
	if in.token.known() {
		return ConfidenceMedium
	}
	return ConfidenceLow
}

// imageRefLine is the workflow line that names the failing image, or 0.
func (in *input) imageRefLine() int {
	if in.job == nil {
		return 0
	}
	for _, r := range in.job.ImageRefs() {
		if in.pkg.Name != "" && strings.Contains(strings.ToLower(r.Ref), strings.ToLower(in.pkg.Name)) {
			return r.Line
		}
	}
	refs := in.job.ImageRefs()
	if len(refs) > 0 {
		return refs[0].Line
	}
	return 0
}
