package commands

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// StepKind is what a step of a plan does.
type StepKind string

// Step kinds.
const (
	// StepWorkflowPR opens a pull request that adds packages: write to a job.
	StepWorkflowPR StepKind = "workflow_pr"
	// StepLowercasePR opens a pull request that lower-cases an image name.
	StepLowercasePR StepKind = "lowercase_pr"
	// StepRepoSetting switches the repository's default workflow permissions to write.
	StepRepoSetting StepKind = "repo_setting"
	// StepOrgSetting switches the organisation's default workflow permissions to write.
	StepOrgSetting StepKind = "org_setting"
	// StepManual is what only a person can do; the bot changes nothing.
	StepManual StepKind = "manual"
	// StepDeclined is a change the command asked for that the bot will not
	// make, with the reason.
	StepDeclined StepKind = "declined"
)

// Step is one thing to do about one diagnosis.
type Step struct {
	Kind    StepKind
	Package diagnose.PackageRef
	Cause   diagnose.CauseID
	// CauseSummary is the diagnosis in one sentence (untrusted text: sanitise it).
	CauseSummary string
	// Path is the workflow file a pull request edits.
	Path string
	// JobID is the job a pull request edits.
	JobID string
	// ImageRef is the reference as written that a lowercase pull request rewrites.
	ImageRef string
	// Fix is the diagnosis's fix, for the manual steps and links.
	Fix diagnose.Fix
	// Reason says why a step was declined, or why this route was chosen.
	Reason string
	// Alternatives are other routes the reply mentions.
	Alternatives []string
}

// Action is what the step needs to be authorised for.
func (s Step) Action() Action {
	switch s.Kind {
	case StepWorkflowPR, StepLowercasePR:
		return ActionFixPR
	case StepRepoSetting:
		return ActionRepoSettings
	case StepOrgSetting:
		return ActionOrgSettings
	}
	return ActionDryRun
}

// Changes reports whether applying the step changes anything.
func (s Step) Changes() bool { return s.Action() != ActionDryRun }

// Plan is the steps for every diagnosis of a run.
type Plan struct {
	Steps []Step
}

// PlanOptions are the command's flags and the owners' opt-ins.
type PlanOptions struct {
	// Settings and OrgSettings are the command's --settings and --org-settings.
	Settings    bool
	OrgSettings bool
	// RepoOptIn is the repository's fix.allow_settings_changes.
	RepoOptIn bool
	// OrgOptIn is fix.allow_org_settings_changes in the organisation's .github
	// repository (and only there).
	OrgOptIn bool
	// WebURL is GitHub's web address, for settings links.
	WebURL string
}

func (o PlanOptions) web() string {
	if o.WebURL == "" {
		return "https://github.com"
	}
	return strings.TrimRight(o.WebURL, "/")
}

// BuildPlan decides, for each diagnosis of a fresh examination of the run,
// what the bot does and what is left to a person:
//
//   - missing_packages_write, dependabot (and undetermined, when its fix is
//     the workflow edit): a pull request adding packages: write to the job,
//     one per (workflow, job);
//   - restricted_default: the same pull request, which is narrower than
//     changing the default; with --settings, the repository default (only
//     when the repository opted in with fix.allow_settings_changes); with
//     --org-settings, the organisation default (only when the organisation's
//     .github repository opted in with fix.allow_org_settings_changes);
//   - uppercase_name: a pull request that lower-cases the image name;
//   - everything else: the manual steps, since no API exists.
func BuildPlan(f *diagnose.Facts, ds []diagnose.Diagnosis, o PlanOptions) Plan {
	var p Plan
	seen := map[string]bool{}
	for _, d := range ds {
		if len(d.Causes) == 0 {
			continue
		}
		for _, s := range planDiagnosis(f, d, o) {
			key := string(s.Kind) + "\x00" + s.Path + "\x00" + s.JobID + "\x00" + s.ImageRef
			if s.Kind == StepRepoSetting || s.Kind == StepOrgSetting {
				key = string(s.Kind)
			}
			if s.Changes() && seen[key] {
				continue
			}
			seen[key] = true
			p.Steps = append(p.Steps, s)
		}
	}
	return p
}

func planDiagnosis(f *diagnose.Facts, d diagnose.Diagnosis, o PlanOptions) []Step {
	c := d.Primary()
	base := Step{Package: d.Package, Cause: c.ID, CauseSummary: c.Summary, Fix: c.Fix, Path: f.Run.Path}
	settingsAsked := o.Settings || o.OrgSettings

	if c.ID == diagnose.CauseRestrictedDefault && settingsAsked {
		return []Step{settingsStep(f, base, o)}
	}
	var steps []Step
	if settingsAsked {
		s := base
		s.Kind = StepDeclined
		s.Reason = fmt.Sprintf("Changing the default workflow permissions would not fix this: the cause is %s, not a read-only default.", c.ID)
		steps = append(steps, s)
	}
	switch c.Fix.Kind {
	case diagnose.FixWorkflowPR:
		s := base
		s.Kind, s.JobID = StepWorkflowPR, c.Fix.JobID
		if c.ID == diagnose.CauseRestrictedDefault {
			s.Reason = "A pull request that grants `packages: write` to this job only is narrower than switching every workflow's default token to write."
			s.Alternatives = append(s.Alternatives, settingsAlternative(f, o))
		}
		return append(steps, s)
	case diagnose.FixLowercasePR:
		if job, ref, ok := lowercaseTarget(f, d); ok {
			s := base
			s.Kind, s.JobID, s.ImageRef = StepLowercasePR, job, ref
			return append(steps, s)
		}
		s := base
		s.Kind = StepManual
		s.Reason = "The bot could not find the upper-case image reference in the workflow file, so it cannot edit it."
		return append(steps, s)
	}
	s := base
	s.Kind = StepManual
	return append(steps, s)
}

// settingsStep is the settings change asked for with --settings or
// --org-settings, or why it is declined.
func settingsStep(f *diagnose.Facts, base Step, o PlanOptions) Step {
	s := base
	repoLink := o.web() + "/" + f.Repo.FullName() + "/settings/actions"
	switch {
	case o.OrgSettings && !f.Repo.IsOrg():
		s.Kind = StepDeclined
		s.Reason = "The repository belongs to a user account, which has no organisation settings; use `/ghcr fix --settings` for the repository's own default."
	case o.OrgSettings && !o.OrgOptIn:
		s.Kind = StepDeclined
		s.Reason = fmt.Sprintf("The organisation has not allowed ghcr-doctor to change its settings: that needs `fix: {allow_org_settings_changes: true}` in `.github/ghcr-doctor.yml` of the `%s/.github` repository (`allow_settings_changes` there opts in repository settings only). An owner can change it by hand at %s → Workflow permissions → Read and write permissions → Save.",
			f.Repo.Owner, o.web()+"/organizations/"+f.Repo.Owner+"/settings/actions")
	case o.OrgSettings:
		s.Kind = StepOrgSetting
	case !o.RepoOptIn:
		s.Kind = StepDeclined
		s.Reason = fmt.Sprintf("The repository has not allowed ghcr-doctor to change its settings (it widens every workflow's token): that needs `fix: {allow_settings_changes: true}` in `.github/ghcr-doctor.yml`. An admin can change it by hand at %s → Workflow permissions → Read and write permissions → Save.", repoLink)
	default:
		s.Kind = StepRepoSetting
	}
	if s.Kind == StepDeclined && base.Fix.Kind == diagnose.FixWorkflowPR {
		s.Alternatives = append(s.Alternatives, "`/ghcr fix` opens a pull request that grants `packages: write` to the job only, which needs no settings change.")
	}
	return s
}

func settingsAlternative(f *diagnose.Facts, o PlanOptions) string {
	if f.Repo.IsOrg() && f.OrgDefault.Known && f.OrgDefault.Value == "read" {
		return "The organisation's default workflow permissions are read-only and cap the repository's; switching them instead is for an organisation owner at " +
			o.web() + "/organizations/" + f.Repo.Owner + "/settings/actions (or `/ghcr fix --org-settings`, once the organisation's `.github` repository sets `fix.allow_org_settings_changes: true`)."
	}
	if o.RepoOptIn {
		return "An admin can instead switch the repository's default workflow permissions to read and write with `/ghcr fix --settings`."
	}
	return "Switching the repository's default workflow permissions instead is a manual change at " + o.web() + "/" + f.Repo.FullName() +
		"/settings/actions (or `/ghcr fix --settings`, once the repository sets `fix.allow_settings_changes: true` in `.github/ghcr-doctor.yml`)."
}

// lowercaseTarget finds the job and the image reference as written that
// pushes the diagnosis's package with upper-case letters.
func lowercaseTarget(f *diagnose.Facts, d diagnose.Diagnosis) (jobID, ref string, ok bool) {
	if !f.Workflow.Known || f.Workflow.Value.File == nil {
		return "", "", false
	}
	wf := f.Workflow.Value.File
	var jobs []*workflow.Job
	for _, fd := range d.Findings {
		jobs = append(jobs, wf.JobForRunName(fd.File)...)
	}
	if len(jobs) == 0 && len(wf.Jobs) == 1 {
		jobs = wf.Jobs
	}
	name := strings.ToLower(d.Package.Name)
	for _, j := range jobs {
		var first *workflow.ImageRef
		for _, r := range j.ImageRefs() {
			if !r.UppercaseRisk() {
				continue
			}
			if name != "" && strings.Contains(strings.ToLower(r.Resolved), name) {
				return j.ID, r.Ref, true
			}
			if first == nil {
				r := r
				first = &r
			}
		}
		if first != nil {
			return j.ID, first.Ref, true
		}
	}
	return "", "", false
}
