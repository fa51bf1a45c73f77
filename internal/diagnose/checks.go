package diagnose

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// checks builds the report's table: every fact the verdict rests on, with
// its outcome, so readers can see what was checked and what is unknown.
func checks(in *input) []Check {
	f := in.f
	var cs []Check
	add := func(name string, st CheckStatus, detail string) { cs = append(cs, Check{name, st, detail}) }

	add("GitHub Packages error in the log", CheckFailed,
		fmt.Sprintf("%s in job %s, line %d", code(in.finding.Message), code(in.log.Name), in.finding.Line))

	switch {
	case !in.token.known():
		add("GITHUB_TOKEN has `packages: write`", CheckUnknown, unknownDetail(in.token.Unknown))
	case in.token.canWrite():
		add("GITHUB_TOKEN has `packages: write`", CheckOK, "yes, from "+in.token.Source)
	default:
		add("GITHUB_TOKEN has `packages: write`", CheckFailed, fmt.Sprintf("`packages: %s`, from %s", in.token.Level, in.token.Source))
	}

	if wf, ok := workflowFile(f); ok {
		add("Workflow `permissions:`", permStatus(wf, in.job), permDetail(wf, in.job))
	} else {
		add("Workflow `permissions:`", CheckUnknown, "workflow file not read: "+reason(f.Workflow.Reason))
	}

	switch {
	case f.RepoDefault.NotNeeded:
	case f.RepoDefault.Known:
		add("Repository default workflow permissions", statusIf(f.RepoDefault.Value == "write"), f.RepoDefault.Value)
	default:
		add("Repository default workflow permissions", CheckUnknown, reason(f.RepoDefault.Reason))
	}
	if f.Repo.IsOrg() && !f.OrgDefault.NotNeeded {
		if f.OrgDefault.Known {
			add("Organisation default workflow permissions", statusIf(f.OrgDefault.Value == "write"), f.OrgDefault.Value)
		} else {
			add("Organisation default workflow permissions", CheckUnknown, reason(f.OrgDefault.Reason))
		}
	}

	if f.Run.IsFork(f.Repo) {
		add("Run from this repository (not a fork)", CheckFailed, "head repository "+code(f.Run.HeadRepo))
	} else {
		add("Run from this repository (not a fork)", CheckOK, "event "+f.Run.Event)
	}
	if f.Run.IsDependabot() {
		add("Not a Dependabot run", CheckFailed, "actor dependabot[bot]")
	}

	switch {
	case in.login == nil && in.job == nil:
		add("Registry login", CheckUnknown, "job not found in the workflow file")
	case in.login == nil:
		add("Registry login", CheckUnknown, "no login step for "+in.pkg.Registry+" found in the job")
	case in.login.Credential == workflow.CredentialGitHubToken:
		add("Registry login uses GITHUB_TOKEN", CheckOK, fmt.Sprintf("line %d", in.login.Line))
	default:
		add("Registry login uses GITHUB_TOKEN", CheckFailed, fmt.Sprintf("%s on line %d", credentialName(in.login), in.login.Line))
	}

	if in.pkg.Owner != "" && scan.RegistryFamily(in.pkg.Registry) != "maven" {
		add("Package namespace is the repository owner", statusIf(strings.EqualFold(in.pkg.Owner, f.Repo.Owner)),
			code(in.pkg.Owner)+" vs "+code(f.Repo.Owner))
	}
	if scan.IsContainerRegistry(in.pkg.Registry) {
		lower := in.finding.Kind != scan.KindInvalidName && in.pkg.Owner == strings.ToLower(in.pkg.Owner) && in.pkg.Name == strings.ToLower(in.pkg.Name)
		add("Image name is lower-case", statusIf(lower), code(in.pkg.Display()))
	}
	return cs
}

func statusIf(ok bool) CheckStatus {
	if ok {
		return CheckOK
	}
	return CheckFailed
}

func unknownDetail(u *Unknown) string {
	if u == nil {
		return "unknown"
	}
	s := reason(u.Reason)
	if u.Permission != "" {
		s += " (grant the app " + u.Permission + ")"
	}
	return s
}

func permStatus(wf *workflow.File, job *workflow.Job) CheckStatus {
	if job == nil {
		return CheckUnknown
	}
	p := job.Permissions
	if p == nil {
		p = wf.Permissions
	}
	if p == nil {
		return CheckUnknown
	}
	return statusIf(p.Level("packages") == "write")
}

func permDetail(wf *workflow.File, job *workflow.Job) string {
	switch {
	case job == nil:
		return "failing job not matched to a job of the workflow"
	case job.Permissions != nil:
		return fmt.Sprintf("job %s (line %d): %s", code(job.ID), job.Permissions.Line, code("packages: "+job.Permissions.Level("packages")))
	case wf.Permissions != nil:
		return fmt.Sprintf("workflow (line %d): `packages: %s`", wf.Permissions.Line, wf.Permissions.Level("packages"))
	}
	return "none declared: the default applies"
}

func credentialName(l *workflow.Login) string {
	switch l.Credential {
	case workflow.CredentialSecret:
		return "secret " + code(l.SecretName)
	case workflow.CredentialAppToken:
		return "a GitHub App token"
	case workflow.CredentialEmpty:
		return "an empty password"
	}
	return code(strings.TrimSpace(l.Password.Str))
}

// unknowns lists every fact that could not be read, with the reason.
func unknowns(in *input) []Unknown {
	f := in.f
	var us []Unknown
	addFact := func(what string, known bool, reason, perm string) {
		if !known {
			us = append(us, Unknown{What: what, Reason: reason, Permission: perm})
		}
	}
	addFact("workflow file "+code(f.Run.Path), f.Workflow.Known, f.Workflow.Reason, f.Workflow.Permission)
	addFact("repository default workflow permissions", f.RepoDefault.Known || f.RepoDefault.NotNeeded, f.RepoDefault.Reason, f.RepoDefault.Permission)
	if f.Repo.IsOrg() {
		addFact("organisation default workflow permissions", f.OrgDefault.Known || f.OrgDefault.NotNeeded, f.OrgDefault.Reason, f.OrgDefault.Permission)
	}
	for _, j := range f.Jobs {
		if j.Scan == nil {
			addFact("log of job "+code(j.Name), false, j.Err.Reason, j.Err.Permission)
		}
	}
	return us
}

// annotations marks the workflow lines that matter for the primary cause.
func annotations(in *input, c Cause) []Annotation {
	if in.wf == nil || in.job == nil {
		return nil
	}
	path := in.f.Run.Path
	var as []Annotation
	if in.token.Declared != nil && (c.ID == CauseMissingPackagesWrite || c.ID == CauseDependabot) {
		as = append(as, Annotation{Path: path, Line: in.token.Declared.Line, Level: "failure",
			Title: "permissions: without packages: write", Message: c.Summary})
	}
	if in.token.Declared == nil && (c.ID == CauseRestrictedDefault || c.ID == CauseDependabot) {
		as = append(as, Annotation{Path: path, Line: in.job.Line, Level: "failure",
			Title: "job has no permissions:", Message: c.Summary})
	}
	if in.login != nil && (c.ID == CausePATCredentials || c.ID == CauseAppToken) {
		as = append(as, Annotation{Path: path, Line: in.login.Line, Level: "failure", Title: "registry login", Message: c.Summary})
	}
	if line := in.imageRefLine(); line > 0 {
		level := "notice"
		if c.ID == CauseUppercaseName || c.ID == CauseNamespaceMismatch || c.ID == CauseOwnerNotFound || c.ID == CauseInvalidName {
			level = "failure"
		}
		as = append(as, Annotation{Path: path, Line: line, Level: level, Title: "image " + in.pkg.Display(), Message: c.Summary})
	}
	if c.ID == CausePackageAccess && in.token.Declared != nil {
		as = append(as, Annotation{Path: path, Line: in.token.Declared.Line, Level: "notice",
			Title: "packages: write is already granted", Message: "The workflow's permissions are right; the package's access list is not."})
	}
	return as
}
