package diagnose

import (
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// tokenView is what is known of the GITHUB_TOKEN's packages permission in
// the failing job, and where that knowledge comes from.
type tokenView struct {
	Level string // "read", "write", "none"; "" when unknown
	// FromLog is true when the job log printed the token's permissions.
	FromLog bool
	// Source explains the level: "job log", "job `permissions:` (line 12)", …
	Source string
	// Declared is the permissions block that decided the level, if any.
	Declared *workflow.Permissions
	// DeclaredAt is "job" or "workflow" when Declared is set.
	DeclaredAt string
	Line       int
	// Unknown is why the level could not be worked out.
	Unknown *Unknown
}

func (t tokenView) known() bool    { return t.Level != "" }
func (t tokenView) canWrite() bool { return t.Level == "write" }

// packagesToken works out the token's packages permission for the job,
// preferring what the runner printed over what the files say.
func packagesToken(f *Facts, job *workflow.Job, log *JobLog) tokenView {
	var declared tokenView
	if wf, ok := workflowFile(f); ok && job != nil {
		declared = declaredToken(f, wf, job)
	}
	if log != nil && log.Scan != nil && log.Scan.TokenPermissions != nil {
		level, ok := log.Scan.TokenPermissions["packages"]
		if !ok {
			level = "none"
		}
		declared.Level = level
		declared.FromLog = true
		declared.Source = "the job log's GITHUB_TOKEN Permissions"
		declared.Unknown = nil
		return declared
	}
	if _, ok := workflowFile(f); !ok {
		return tokenView{Unknown: &Unknown{What: "GITHUB_TOKEN packages permission",
			Reason:     "the log has no GITHUB_TOKEN Permissions block and the workflow file could not be read: " + f.Workflow.Reason,
			Permission: f.Workflow.Permission}}
	}
	if job == nil {
		return tokenView{Unknown: &Unknown{What: "GITHUB_TOKEN packages permission",
			Reason: "the log has no GITHUB_TOKEN Permissions block and the failing job could not be matched to a job in the workflow file"}}
	}
	return declared
}

// declaredToken computes the level from the workflow file and the defaults,
// applying the fork and Dependabot downgrades GitHub applies.
func declaredToken(f *Facts, wf *workflow.File, job *workflow.Job) tokenView {
	def, defSource, defUnknown := effectiveDefault(f)
	eff := workflow.EffectivePermission(wf, job, "packages", def)
	t := tokenView{Level: eff.Level, Line: eff.Line}
	switch eff.Source {
	case "job":
		t.Declared, t.DeclaredAt = job.Permissions, "job"
		t.Source = fmt.Sprintf("the job's `permissions:` (line %d)", eff.Line)
	case "workflow":
		t.Declared, t.DeclaredAt = wf.Permissions, "workflow"
		t.Source = fmt.Sprintf("the workflow's `permissions:` (line %d)", eff.Line)
	default:
		t.Source = defSource
		if defUnknown != nil {
			t.Level = ""
			t.Unknown = defUnknown
			return t
		}
	}
	if level, why := RunPackagesLevel(t.Level, t.Declared != nil, f.Run.IsFork(f.Repo) && f.Run.IsPullRequestEvent(), f.Run.IsDependabot()); why != "" {
		t.Level = level
		t.Source += ", " + why
	}
	return t
}

// effectiveDefault returns the default workflow permission in force: the
// repository's setting, which an organisation's read-only setting caps.
func effectiveDefault(f *Facts) (level, source string, unknown *Unknown) {
	repo, org := "", ""
	if f.RepoDefault.Known {
		repo = f.RepoDefault.Value
	}
	if f.OrgDefault.Known {
		org = f.OrgDefault.Value
	}
	if level, source := DefaultWorkflowPermission(repo, org); level != "" {
		return level, source, nil
	}
	return "", "the default workflow permissions", &Unknown{
		What:       "default workflow permissions",
		Reason:     f.RepoDefault.Reason,
		Permission: f.RepoDefault.Permission,
	}
}

func workflowFile(f *Facts) (*workflow.File, bool) {
	if !f.Workflow.Known || f.Workflow.Value.File == nil {
		return nil, false
	}
	return f.Workflow.Value.File, true
}
