package report_test

import (
	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

const (
	headSHA      = "4f2c9a1e8b7d6c5b4a39281706f5e4d3c2b1a098"
	releasePath  = ".github/workflows/release.yml"
	settingsLink = "https://github.com/orgs/acme/packages/container/app/settings"
)

var acme = diagnose.Repo{Owner: "acme", Name: "app", OwnerType: "Organization", DefaultBranch: "main"}

var appPkg = diagnose.PackageRef{Registry: "ghcr.io", Owner: "acme", Name: "app"}

// pushTarget is a failed run of release.yml on a push to main.
func pushTarget() report.Target {
	return report.Target{
		Repo: acme,
		Run: diagnose.Run{
			ID: 9001, Attempt: 1, WorkflowID: 77, WorkflowName: "Release", Path: releasePath,
			Event: "push", HeadSHA: headSHA, HeadBranch: "main", HeadRepo: "acme/app",
			Actor: "octocat", TriggeringActor: "octocat",
			HTMLURL: "https://github.com/acme/app/actions/runs/9001", Conclusion: "failure",
		},
		Jobs: []report.Job{{Name: "build", HTMLURL: "https://github.com/acme/app/actions/runs/9001/job/555"}},
	}
}

// prTarget is a failed run of release.yml for pull request #7.
func prTarget() report.Target {
	t := pushTarget()
	t.Run.Event = "pull_request"
	t.Run.HeadBranch = "feature/login"
	t.Run.PullRequests = []int{7}
	return t
}

func buildFinding(line int, text, message string) scan.Finding {
	return scan.Finding{File: "build", Kind: scan.KindWriteDenied, Registry: "ghcr.io", Owner: "acme", Package: "app",
		Tool: "buildx", Step: "Run docker/build-push-action@v6", Line: line, Text: text, Message: message}
}

// packageAccess is the seed case: `packages: write` declared at job level,
// the log shows `Packages: write`, and the registry says write_package.
func packageAccess() diagnose.Diagnosis {
	line := "ERROR: failed to solve: failed to push ghcr.io/acme/app:1.4.0: denied: permission_denied: write_package"
	return diagnose.Diagnosis{
		Package:  appPkg,
		Findings: []scan.Finding{buildFinding(87, line, "denied: permission_denied: write_package")},
		Causes: []diagnose.Cause{{
			ID:         diagnose.CausePackageAccess,
			Confidence: diagnose.ConfidenceHigh,
			Summary:    "The GITHUB_TOKEN had `packages: write`, but the package ghcr.io/acme/app does not give the repository acme/app Write access (its Manage Actions access list lacks it).",
			Evidence: []string{
				"Job \"build\", step \"Run docker/build-push-action@v6\", log line 87: `" + line + "`",
				"The job's GITHUB_TOKEN had `packages: write` (from the job's `permissions:` (line 14), confirmed by the log's `Packages: write`).",
				"A package that was first pushed by hand, by a personal access token or by another repository does not grant this repository's workflows access.",
			},
			Fix: diagnose.Fix{
				Kind:    diagnose.FixManual,
				Summary: "A package admin must add acme/app with the Write role to the package's Manage Actions access (no API exists for this).",
				Steps: []string{
					"Open " + settingsLink,
					"Under **Manage Actions access**, click **Add repository**.",
					"Choose **app**, then set its role to **Write**.",
					"Re-run the failed jobs (or reply `/ghcr retry`).",
					"To keep new packages linked, add `LABEL org.opencontainers.image.source=https://github.com/acme/app` to the Dockerfile (or pass docker/metadata-action's labels).",
				},
				Links: []diagnose.Link{{Text: "Package settings", URL: settingsLink},
					{Text: "Ensuring workflow access to your package", URL: "https://docs.github.com/en/packages/learn-github-packages/configuring-a-packages-access-control-and-visibility#ensuring-workflow-access-to-your-package"}},
				Role: "package admin",
			},
		}},
		Checks: []diagnose.Check{
			{Name: "GitHub Packages error in the log", Status: diagnose.CheckFailed, Detail: "`denied: permission_denied: write_package` in job \"build\", line 87"},
			{Name: "GITHUB_TOKEN has `packages: write`", Status: diagnose.CheckOK, Detail: "yes, from the job's `permissions:` (line 14), confirmed by the log"},
			{Name: "Workflow `permissions:`", Status: diagnose.CheckOK, Detail: "job `build` declares `packages: write` (line 14)"},
			{Name: "Repository default workflow permissions", Status: diagnose.CheckUnknown, Detail: "needs the app's Administration: read permission"},
			{Name: "Run from this repository (not a fork)", Status: diagnose.CheckOK, Detail: "event push"},
			{Name: "Registry login uses GITHUB_TOKEN", Status: diagnose.CheckOK, Detail: "line 22"},
			{Name: "Package namespace is the repository owner", Status: diagnose.CheckOK, Detail: "`acme` vs `acme`"},
			{Name: "Image name is lower-case", Status: diagnose.CheckOK, Detail: "ghcr.io/acme/app"},
		},
		Unknowns: []diagnose.Unknown{{What: "repository default workflow permissions",
			Reason: "the app may not read the repository's Actions settings", Permission: "administration:read"}},
		Annotations: []diagnose.Annotation{{Path: releasePath, Line: 14, Level: "notice",
			Title: "packages: write is already granted", Message: "The workflow's permissions are right; the package's access list is not."}},
	}
}

const missingWriteDiff = `--- a/.github/workflows/release.yml
+++ b/.github/workflows/release.yml
@@ -12,6 +12,7 @@ jobs:
   build:
     runs-on: ubuntu-latest
     permissions:
       contents: read
+      packages: write
     steps:
       - uses: actions/checkout@v4`

// missingWrite: the job declares permissions without packages: write.
func missingWrite() diagnose.Diagnosis {
	line := "ERROR: failed to push ghcr.io/acme/app:latest: denied: installation not allowed to Write organization package"
	return diagnose.Diagnosis{
		Package:  appPkg,
		Findings: []scan.Finding{buildFinding(64, line, "installation not allowed to Write organization package")},
		Causes: []diagnose.Cause{{
			ID:         diagnose.CauseMissingPackagesWrite,
			Confidence: diagnose.ConfidenceHigh,
			Summary:    "The job `build` declares `permissions:` (line 14) without `packages: write`, so its GITHUB_TOKEN could not push ghcr.io/acme/app.",
			Evidence: []string{
				"Job \"build\", step \"Run docker/build-push-action@v6\", log line 64: `" + line + "`",
				"The job's GITHUB_TOKEN had `packages: none` (from the log's GITHUB_TOKEN Permissions).",
				"Any `permissions:` block sets every scope it does not list to `none`.",
			},
			Fix: diagnose.Fix{
				Kind:    diagnose.FixWorkflowPR,
				Summary: "Add `packages: write` to the job's `permissions:`.",
				Steps:   []string{"Apply this change to `.github/workflows/release.yml` (or reply `/ghcr fix` and the bot opens a pull request)."},
				Diff:    missingWriteDiff,
				JobID:   "build",
				Role:    "write",
				Links: []diagnose.Link{
					{Text: "Workflow file", URL: "https://github.com/acme/app/blob/" + headSHA + "/.github/workflows/release.yml#L12"},
					{Text: "Workflow permissions", URL: "https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#permissions"},
				},
			},
		}},
		Checks: []diagnose.Check{
			{Name: "GitHub Packages error in the log", Status: diagnose.CheckFailed, Detail: "`installation not allowed to Write organization package` in job \"build\", line 64"},
			{Name: "GITHUB_TOKEN has `packages: write`", Status: diagnose.CheckFailed, Detail: "`packages: none`, from the log's GITHUB_TOKEN Permissions"},
			{Name: "Workflow `permissions:`", Status: diagnose.CheckFailed, Detail: "job `build` declares `permissions:` without `packages` (line 14)"},
			{Name: "Repository default workflow permissions", Status: diagnose.CheckFailed, Detail: "read"},
			{Name: "Organisation default workflow permissions", Status: diagnose.CheckFailed, Detail: "read"},
			{Name: "Registry login uses GITHUB_TOKEN", Status: diagnose.CheckOK, Detail: "line 22"},
		},
		Annotations: []diagnose.Annotation{{Path: releasePath, Line: 14, Level: "failure",
			Title: "permissions: without packages: write", Message: "The job `build` declares `permissions:` (line 14) without `packages: write`."}},
	}
}

// forkPR: a pull request from a fork cannot push; a PAT is the runner-up.
func forkPR() diagnose.Diagnosis {
	line := "Error: Error response from daemon: Get \"https://ghcr.io/v2/\": denied: denied"
	f := buildFinding(31, line, "denied: denied")
	f.Kind, f.Tool, f.Step = scan.KindAuthFailed, "docker", "Run docker/login-action@v3"
	return diagnose.Diagnosis{
		Package:  appPkg,
		Findings: []scan.Finding{f},
		Causes: []diagnose.Cause{
			{
				ID:         diagnose.CauseForkPullRequest,
				Confidence: diagnose.ConfidenceHigh,
				Summary:    "The run comes from a fork (contributor/app), and GitHub gives fork pull requests a read-only GITHUB_TOKEN and no secrets, so it cannot push ghcr.io/acme/app.",
				Evidence: []string{
					"Job \"build\", step \"Run docker/login-action@v3\", log line 31: `" + line + "`",
					"Event `pull_request` with head repository `contributor/app`, not `acme/app`.",
				},
				Fix: diagnose.Fix{
					Kind:    diagnose.FixManual,
					Summary: "Do not push from fork pull requests: build them, and push only from branches of this repository.",
					Steps: []string{
						"Guard the push with `if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository`, or set `push: ${{ github.event_name != 'pull_request' }}` on docker/build-push-action.",
						"Granting a fork write access is not possible with `permissions:`; `pull_request_target` would give it, but runs untrusted code with a write token: do not.",
					},
					Links: []diagnose.Link{{Text: "GITHUB_TOKEN permissions for forks", URL: "https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token"}},
					Role:  "write",
				},
			},
			{
				ID:         diagnose.CausePATCredentials,
				Confidence: diagnose.ConfidenceMedium,
				Summary:    "The job logs in with the secret `CR_PAT` instead of GITHUB_TOKEN, and GitHub Packages refused it: it is expired or revoked, lacks `write:packages`, is fine-grained (not supported), or is not authorised for SSO.",
				Fix: diagnose.Fix{Kind: diagnose.FixManual,
					Summary: "Use the GITHUB_TOKEN with `packages: write` (preferred), or replace the secret with a classic PAT that has `write:packages`.",
					Links:   []diagnose.Link{{Text: "Repository secrets", URL: "https://github.com/acme/app/settings/secrets/actions"}}},
			},
		},
		Checks: []diagnose.Check{
			{Name: "GitHub Packages error in the log", Status: diagnose.CheckFailed, Detail: "`denied: denied` in job \"build\", line 31"},
			{Name: "Run from this repository (not a fork)", Status: diagnose.CheckFailed, Detail: "head repository contributor/app"},
			{Name: "Registry login uses GITHUB_TOKEN", Status: diagnose.CheckFailed, Detail: "secret `CR_PAT` on line 25"},
		},
	}
}

// pat: a personal access token lacks write:packages; the log leaks it.
func pat() diagnose.Diagnosis {
	loginLine := "+ echo ghp_0123456789abcdefghijABCDEFGHIJ012345 | docker login ghcr.io -u octocat -p ghp_0123456789abcdefghijABCDEFGHIJ012345"
	denied := "unauthorized: unauthenticated: User cannot be authenticated with the token provided."
	f1 := buildFinding(40, loginLine, "")
	f1.Kind, f1.Tool, f1.Step = scan.KindAuthFailed, "docker", "Run echo $CR_PAT | docker login"
	f2 := buildFinding(41, denied, denied)
	f2.Kind, f2.Tool, f2.Step = scan.KindAuthFailed, "docker", "Run echo $CR_PAT | docker login"
	return diagnose.Diagnosis{
		Package:  appPkg,
		Findings: []scan.Finding{f1, f2},
		Causes: []diagnose.Cause{{
			ID:         diagnose.CausePATCredentials,
			Confidence: diagnose.ConfidenceHigh,
			Summary:    "The job logs in with the secret `CR_PAT` instead of GITHUB_TOKEN, and GitHub Packages refused it: it is expired or revoked, lacks `write:packages`, is fine-grained (not supported), or is not authorised for SSO.",
			Evidence: []string{
				"Job \"build\", step \"Run echo $CR_PAT | docker login\", log line 41: `" + denied + "`",
				"Workflow line 25 logs in to ghcr.io with ${{ secrets.CR_PAT }}.",
			},
			Fix: diagnose.Fix{
				Kind:    diagnose.FixManual,
				Summary: "Use the GITHUB_TOKEN with `packages: write` (preferred), or replace the secret with a classic PAT that has `write:packages`.",
				Steps: []string{
					"Preferred: log in with `password: ${{ secrets.GITHUB_TOKEN }}` and give the job `permissions: packages: write`.",
					"Or create a classic token with `write:packages` at https://github.com/settings/tokens/new?scopes=write:packages&description=GitHub+Packages+push+for+acme%2Fapp, authorise it for SSO if the organisation uses it, and store it at https://github.com/acme/app/settings/secrets/actions.",
				},
				Links: []diagnose.Link{
					{Text: "New classic token", URL: "https://github.com/settings/tokens/new?scopes=write:packages&description=GitHub+Packages+push+for+acme%2Fapp"},
					{Text: "Repository secrets", URL: "https://github.com/acme/app/settings/secrets/actions"},
				},
				Role: "admin",
			},
		}},
		Checks: []diagnose.Check{
			{Name: "GitHub Packages error in the log", Status: diagnose.CheckFailed, Detail: "`" + denied + "` in job \"build\", line 41"},
			{Name: "Registry login uses GITHUB_TOKEN", Status: diagnose.CheckFailed, Detail: "secret `CR_PAT` on line 25"},
		},
		Annotations: []diagnose.Annotation{{Path: releasePath, Line: 25, Level: "failure", Title: "registry login",
			Message: "The job logs in with the secret `CR_PAT` instead of GITHUB_TOKEN."}},
	}
}

// upperCase: the image reference keeps the repository's capital letters.
func upperCase() diagnose.Diagnosis {
	pkg := diagnose.PackageRef{Registry: "ghcr.io", Owner: "Acme", Name: "App"}
	line := `ERROR: invalid tag "ghcr.io/Acme/App:latest": repository name must be lowercase`
	f := buildFinding(52, line, "repository name must be lowercase")
	f.Kind, f.Owner, f.Package = scan.KindInvalidName, "Acme", "App"
	return diagnose.Diagnosis{
		Package:  pkg,
		Findings: []scan.Finding{f},
		Causes: []diagnose.Cause{{
			ID:         diagnose.CauseUppercaseName,
			Confidence: diagnose.ConfidenceHigh,
			Summary:    "The image reference has upper-case letters, which registries refuse; `github.repository` and `github.repository_owner` keep the case of the names on GitHub.",
			Evidence:   []string{"Job \"build\", step \"Run docker/build-push-action@v6\", log line 52: `" + line + "`"},
			Fix: diagnose.Fix{
				Kind:    diagnose.FixLowercasePR,
				Summary: "Lower-case the image name in the workflow.",
				Steps: []string{
					"Lower-case the reference, e.g. `echo \"IMAGE=${GITHUB_REPOSITORY,,}\" >> \"$GITHUB_ENV\"` and use `${{ env.IMAGE }}`, or let docker/metadata-action build the tags (it lower-cases).",
				},
				Links: []diagnose.Link{{Text: "Image reference in the workflow", URL: "https://github.com/acme/app/blob/" + headSHA + "/.github/workflows/release.yml#L30"}},
				Role:  "write",
			},
		}},
		Checks: []diagnose.Check{
			{Name: "GitHub Packages error in the log", Status: diagnose.CheckFailed, Detail: "`repository name must be lowercase` in job \"build\", line 52"},
			{Name: "Image name is lower-case", Status: diagnose.CheckFailed, Detail: "ghcr.io/Acme/App"},
		},
		Annotations: []diagnose.Annotation{{Path: releasePath, Line: 30, Level: "failure", Title: "image ghcr.io/Acme/App",
			Message: "The image reference has upper-case letters."}},
	}
}

// webPackage is missingWrite for a second image, ghcr.io/acme/web.
func webPackage() diagnose.Diagnosis {
	d := missingWrite()
	d.Package.Name = "web"
	d.Causes[0].Summary = "The job `build` declares `permissions:` (line 14) without `packages: write`, so its GITHUB_TOKEN could not push ghcr.io/acme/web."
	return d
}

// diagnoses lists the diagnoses of one run.
func diagnoses(ds ...diagnose.Diagnosis) []diagnose.Diagnosis { return ds }
