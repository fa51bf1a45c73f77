package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
	"github.com/rs/zerolog"
)

// Status is what became of a step.
type Status string

// Statuses.
const (
	// StatusDone: the bot changed something (opened a pull request, changed a setting).
	StatusDone Status = "done"
	// StatusExists: an open pull request for the same change exists already.
	StatusExists Status = "exists"
	// StatusUnneeded: there is nothing to change any more.
	StatusUnneeded Status = "unneeded"
	// StatusPlanned: a dry run; this is what would happen.
	StatusPlanned Status = "planned"
	// StatusRefused: the person who asked lacks the role.
	StatusRefused Status = "refused"
	// StatusFailed: GitHub refused or something went wrong; the message says why.
	StatusFailed Status = "failed"
	// StatusManual: only a person can do it.
	StatusManual Status = "manual"
	// StatusDeclined: the bot will not do what was asked, for the reason given.
	StatusDeclined Status = "declined"
)

// StepResult is the outcome of one step.
type StepResult struct {
	Step   Step
	Status Status
	// Message is safe Markdown: what happened, or why not.
	Message string
	// Details are further safe Markdown blocks (a diff, steps, links).
	Details []string
	// PullRequest is the pull request opened or found.
	PullRequest *PullRequest
	// Permissions are the app permissions that were missing ("workflows:write").
	Permissions []string
	// Needs is the role that was missing, for StatusRefused.
	Needs string
}

// Applier carries out the steps of a plan for one run.
type Applier struct {
	GH    GitHub
	Facts *diagnose.Facts
	Repo  diagnose.Repo
	Run   diagnose.Run
	// Requester is the login of who asked, named in pull requests.
	Requester string
	// DiagnosisURL links the diagnosis the command answered.
	DiagnosisURL string
	// WebURL is GitHub's web address.
	WebURL string
	// Grant says where missing permissions are granted, for the replies.
	Grant GrantPlace
	// Ledger, when set, records each fix branch before it is created, so
	// that reports look up a fix pull request only where one may exist.
	Ledger interface {
		Writing(ctx context.Context, key string) error
	}
}

func (a *Applier) web() string {
	if a.WebURL == "" {
		return "https://github.com"
	}
	return strings.TrimRight(a.WebURL, "/")
}

// Apply carries out the step, or, for a dry run, works out what it would
// do without writing anything.
func (a *Applier) Apply(ctx context.Context, s Step, dryRun bool) StepResult {
	switch s.Kind {
	case StepWorkflowPR, StepLowercasePR:
		r := a.applyPullRequest(ctx, s, dryRun)
		if r.Status == StatusDone || r.Status == StatusPlanned || r.Status == StatusExists {
			if s.Reason != "" {
				r.Details = append(r.Details, inline(s.Reason)+"\n")
			}
			r.Details = append(r.Details, alternatives(s)...)
		}
		return r
	case StepRepoSetting:
		return a.applyRepoSetting(ctx, s, dryRun)
	case StepOrgSetting:
		return a.applyOrgSetting(ctx, s, dryRun)
	case StepDeclined:
		return StepResult{Step: s, Status: StatusDeclined, Message: inline(s.Reason), Details: alternatives(s)}
	}
	return a.manualResult(s, "")
}

// manualResult lists what only a person can do, with the links.
func (a *Applier) manualResult(s Step, why string) StepResult {
	r := StepResult{Step: s, Status: StatusManual}
	msg := inline(s.Fix.Summary)
	if why != "" {
		msg = why + " " + msg
	} else if s.Reason != "" {
		msg = inline(s.Reason) + " " + msg
	}
	r.Message = strings.TrimSpace(msg)
	if len(s.Fix.Steps) > 0 {
		var b strings.Builder
		for i, st := range s.Fix.Steps {
			fmt.Fprintf(&b, "%d. %s\n", i+1, inline(st))
		}
		r.Details = append(r.Details, b.String())
	}
	if len(s.Fix.Links) > 0 {
		links := make([]string, 0, len(s.Fix.Links))
		for _, l := range s.Fix.Links {
			links = append(links, siteOf(a.WebURL).Link(l.Text, l.URL))
		}
		r.Details = append(r.Details, "Links: "+strings.Join(links, " · ")+"\n")
	}
	if s.Fix.Role != "" {
		r.Details = append(r.Details, "This needs someone with the "+inline(s.Fix.Role)+" role.\n")
	}
	r.Details = append(r.Details, "When it is done, reply `/ghcr retry` to re-run the failed jobs.\n")
	return r
}

func alternatives(s Step) []string {
	var out []string
	for _, alt := range s.Alternatives {
		out = append(out, inline(alt)+"\n")
	}
	return out
}

// failure explains an error, naming missing app permissions.
func failure(s Step, what string, err error, fallbackPerm ...string) StepResult {
	return failureAt(GrantPlace{}, s, what, err, fallbackPerm...)
}

// failureAt is failure with the links to where a missing permission is granted.
func failureAt(g GrantPlace, s Step, what string, err error, fallbackPerm ...string) StepResult {
	r := StepResult{Step: s, Status: StatusFailed}
	if perms, ok := missingPermissions(err, fallbackPerm...); ok {
		r.Permissions = perms
		quoted := make([]string, len(perms))
		for i, p := range perms {
			quoted[i] = code(p)
		}
		r.Message = fmt.Sprintf("Could not %s: the app lacks the %s permission.", what, strings.Join(quoted, " and "))
		r.Details = append(r.Details, g.sentence(perms)+"\n")
		return r
	}
	r.Message = fmt.Sprintf("Could not %s: %s", what, text(err.Error()))
	return r
}

// applyPullRequest opens (or finds) the pull request of a workflow edit:
// against the default branch, editing the file as it is there, from the
// branch ghcr-doctor/<kind>/<workflow>-<job> of this repository.
func (a *Applier) applyPullRequest(ctx context.Context, s Step, dryRun bool) StepResult {
	o, r := a.Repo.Owner, a.Repo.Name
	base := a.Repo.DefaultBranch
	branch := BranchName(s)
	if base == "" {
		return StepResult{Step: s, Status: StatusFailed, Message: "Could not open a pull request: the repository's default branch is unknown."}
	}
	existing, err := a.GH.FindOpenPullRequest(ctx, o, r, o, branch)
	if err != nil {
		return failure(s, "look for an open pull request", err, "pull_requests:read")
	}
	if existing != nil {
		return StepResult{Step: s, Status: StatusExists, PullRequest: existing,
			Message: fmt.Sprintf("A pull request for this change is already open: %s. Review and merge it.", siteOf(a.WebURL).Link(fmt.Sprintf("#%d", existing.Number), existing.HTMLURL))}
	}
	head, err := a.GH.BranchHead(ctx, o, r, base)
	if err != nil {
		return failure(s, "read the default branch "+code(base), err, "contents:read")
	}
	file, err := a.GH.GetFileAt(ctx, o, r, s.Path, head)
	if gherr.IsNotFound(err) {
		return StepResult{Step: s, Status: StatusUnneeded,
			Message: fmt.Sprintf("%s does not exist on the default branch %s (moved or renamed?), so there is nothing the bot can edit.", code(s.Path), code(base))}
	}
	if err != nil {
		return failure(s, "read "+code(s.Path), err, "contents:read")
	}
	edit, res, ok := a.edit(s, file.Content, base)
	if !ok {
		return res
	}
	diff := fence("diff", edit.DiffWithPath(s.Path))
	if dryRun {
		return StepResult{Step: s, Status: StatusPlanned, Details: []string{diff},
			Message: fmt.Sprintf("Would open a pull request against %s from the branch %s with this change:", code(base), code(branch))}
	}
	return a.openPullRequest(ctx, s, edit, pullTarget{base: base, head: head, branch: branch, blob: file.SHA}, diff)
}

// edit makes the change to the file as it is on the default branch.
func (a *Applier) edit(s Step, src []byte, base string) (workflow.Edit, StepResult, bool) {
	var edit workflow.Edit
	var err error
	if s.Kind == StepLowercasePR {
		edit, err = lowercaseEdit(src, s)
	} else {
		edit, err = workflow.AddPackagesWrite(src, s.JobID)
	}
	if err == nil && !edit.Changed {
		err = workflow.ErrNothingToChange
	}
	var (
		reusable *workflow.ReusableWorkflowError
		noJob    *workflow.JobNotFoundError
		unsafe   *workflow.UnsafeEditError
	)
	switch {
	case err == nil:
		return edit, StepResult{}, true
	case errors.Is(err, workflow.ErrAlreadyGranted):
		return edit, StepResult{Step: s, Status: StatusUnneeded, Message: fmt.Sprintf(
			"Job %s of %s already has `packages: write` on the default branch %s, so there is nothing to change there. Runs of commits that include it get the permission; a pull request from an older branch needs the default branch merged in.",
			code(s.JobID), code(s.Path), code(base))}, false
	case errors.Is(err, workflow.ErrNothingToChange), errors.Is(err, errRefGone):
		return edit, StepResult{Step: s, Status: StatusUnneeded, Message: fmt.Sprintf(
			"On the default branch %s, %s no longer pushes %s with upper case, so there is nothing to change there.", code(base), code(s.Path), code(s.ImageRef))}, false
	case errors.As(err, &reusable):
		return edit, reusableResult(s, reusable), false
	case errors.As(err, &noJob):
		return edit, StepResult{Step: s, Status: StatusUnneeded, Message: fmt.Sprintf(
			"%s on the default branch %s has no job %s any more (renamed or removed?), so the bot cannot edit it.", code(s.Path), code(base), code(s.JobID))}, false
	case errors.As(err, &unsafe):
		return edit, a.manualResult(s, fmt.Sprintf("The bot cannot make this change safely (line %d of %s: %s), so it must be made by hand.",
			unsafe.Line, code(s.Path), text(unsafe.Reason))), false
	}
	return edit, StepResult{Step: s, Status: StatusFailed, Message: fmt.Sprintf("Could not edit %s: %s", code(s.Path), text(err.Error()))}, false
}

// reusableResult says where the fix for a reusable-workflow caller belongs.
func reusableResult(s Step, e *workflow.ReusableWorkflowError) StepResult {
	msg := fmt.Sprintf("Job %s calls the reusable workflow %s, and a caller cannot raise the permissions of the called workflow's jobs. ", code(e.JobID), code(e.Uses))
	if e.SameRepository() {
		msg += fmt.Sprintf("Add `packages: write` to the `permissions:` of the jobs that push in %s of this repository", code(e.Path))
		if e.JobID != "" {
			msg += fmt.Sprintf(", and let job %s pass it on (`permissions: packages: write` on the calling job)", code(e.JobID))
		}
		msg += "."
	} else {
		msg += fmt.Sprintf("The fix belongs in the repository %s: add `packages: write` to the jobs that push in %s", code(e.Repository), code(e.Path))
		if e.Ref != "" {
			msg += " at " + code(e.Ref)
		}
		msg += ", and give the calling job the same permission."
	}
	return StepResult{Step: s, Status: StatusManual, Message: msg, Details: []string{"When it is done, reply `/ghcr retry` to re-run the failed jobs.\n"}}
}

var errRefGone = errors.New("image reference not found")

// lowercaseEdit finds the step's image reference in the file as it is now
// and lower-cases it.
func lowercaseEdit(src []byte, s Step) (workflow.Edit, error) {
	f, err := workflow.Parse(src)
	if err != nil {
		return workflow.Edit{}, fmt.Errorf("reading workflow: %w", err)
	}
	j := f.Job(s.JobID)
	if j == nil {
		return workflow.Edit{}, &workflow.JobNotFoundError{JobID: s.JobID}
	}
	for _, r := range j.ImageRefs() {
		if r.Ref == s.ImageRef {
			return workflow.LowercaseImageRef(src, r.Line, r.Ref)
		}
	}
	return workflow.Edit{}, errRefGone
}

// pullTarget is where a pull request goes: the default branch, its head
// commit, the bot's branch, and the blob SHA of the file at that commit.
type pullTarget struct{ base, head, branch, blob string }

// openPullRequest creates or resets the branch, commits the edit and opens
// the pull request. When a write fails after the branch was created, the
// branch is deleted again so nothing is left half-done; the result says so.
func (a *Applier) openPullRequest(ctx context.Context, s Step, edit workflow.Edit, t pullTarget, diff string) StepResult {
	o, r := a.Repo.Owner, a.Repo.Name
	base, head, branch := t.base, t.head, t.branch
	if a.Ledger != nil {
		if err := a.Ledger.Writing(ctx, report.FixPullRequestKey(o, r, branch)); err != nil {
			// The database's error stays in the log, out of the reply.
			zerolog.Ctx(ctx).Error().Err(err).Str("branch", branch).Msg("Could not record the fix branch in the report ledger.")
			return StepResult{Step: s, Status: StatusFailed, Message: "Could not record the branch " + code(branch) + " before creating it, so nothing was changed. Try again later."}
		}
	}
	created := false
	_, err := a.GH.BranchHead(ctx, o, r, branch)
	switch {
	case gherr.IsNotFound(err):
		if err := a.GH.CreateBranch(ctx, o, r, branch, head); err != nil {
			return failure(s, "create the branch "+code(branch), err, "contents:write")
		}
		created = true
	case err != nil:
		return failure(s, "read the branch "+code(branch), err, "contents:read")
	default:
		// The bot's own branch, left from a closed pull request: start it afresh.
		if err := a.GH.ResetBranch(ctx, o, r, branch, head); err != nil {
			return failure(s, "reset the branch "+code(branch), err, "contents:write")
		}
	}
	undo := func(res StepResult) StepResult {
		if !created {
			res.Message += fmt.Sprintf(" The branch %s is left at the default branch's head, without the change.", code(branch))
			return res
		}
		if err := a.GH.DeleteBranch(ctx, o, r, branch); err != nil {
			res.Message += fmt.Sprintf(" The branch %s it had created could not be deleted (%s); delete it by hand.", code(branch), text(err.Error()))
			return res
		}
		res.Message += fmt.Sprintf(" The branch %s it had created was deleted again, so nothing is left half-done.", code(branch))
		return res
	}
	change := FileChange{Path: s.Path, Branch: branch, Message: commitMessage(s), Content: edit.Out, SHA: t.blob}
	if err := a.GH.CommitFile(ctx, o, r, change); err != nil {
		return undo(failure(s, "commit the change to "+code(s.Path), err, "contents:write", "workflows:write"))
	}
	pr, err := a.GH.CreatePullRequest(ctx, o, r, NewPullRequest{Title: pullTitle(s), Head: branch, Base: base, Body: a.pullBody(s, edit)})
	if err != nil {
		return undo(failure(s, "open the pull request", err, "pull_requests:write"))
	}
	what := fmt.Sprintf("adds `packages: write` to job %s in %s", code(s.JobID), code(s.Path))
	if s.Kind == StepLowercasePR {
		what = fmt.Sprintf("lower-cases %s in %s", code(s.ImageRef), code(s.Path))
	}
	return StepResult{Step: s, Status: StatusDone, PullRequest: &pr, Details: []string{diff},
		Message: fmt.Sprintf("Opened pull request %s against %s: it %s. Review and merge it, then run the workflow again.",
			siteOf(a.WebURL).Link(fmt.Sprintf("#%d", pr.Number), pr.HTMLURL), code(base), what)}
}

// settingsPermissionNote says why the App lacks the permission a settings
// change needs: least privilege unless it was registered to make them.
const settingsPermissionNote = "ghcr-doctor asks for read access only unless it was registered with `bot register --allow-settings-changes`; granting write is the App owner's choice. The narrower fix needs no setting: `/ghcr fix` opens a pull request that grants `packages: write` to the job only.\n"

// applyRepoSetting switches the repository's default workflow permissions
// to read and write.
func (a *Applier) applyRepoSetting(ctx context.Context, s Step, dryRun bool) StepResult {
	o, r := a.Repo.Owner, a.Repo.Name
	where := siteOf(a.WebURL).Link(a.Repo.FullName()+" → Settings → Actions → General", a.web()+"/"+a.Repo.FullName()+"/settings/actions")
	if dryRun {
		return StepResult{Step: s, Status: StatusPlanned, Message: fmt.Sprintf(
			"Would switch the default workflow permissions of %s (%s) to read and write. Every workflow without a `permissions:` block would get a token that can write.", code(a.Repo.FullName()), where)}
	}
	err := a.GH.SetRepoWorkflowDefault(ctx, o, r, "write")
	if ce, ok := isConflict(err); ok {
		res := StepResult{Step: s, Status: StatusFailed, Message: fmt.Sprintf(
			"GitHub refused to change the default workflow permissions of %s (409: %s): a policy of the organisation or enterprise sets them.", code(a.Repo.FullName()), text(ce.Message))}
		if a.Repo.IsOrg() {
			orgURL := a.web() + "/organizations/" + a.Repo.Owner + "/settings/actions"
			res.Details = append(res.Details, fmt.Sprintf("An organisation owner can allow it at %s → Workflow permissions → Read and write permissions → Save, or with `/ghcr fix --org-settings` if the organisation opted in.\n",
				siteOf(a.WebURL).Link("the organisation's Actions settings", orgURL)))
		}
		res.Details = append(res.Details, "The narrower fix needs no setting: `/ghcr fix` opens a pull request that grants `packages: write` to the job only.\n")
		return res
	}
	if err != nil {
		res := failureAt(a.Grant, s, "change the repository's default workflow permissions", err, "administration:write")
		if len(res.Permissions) > 0 {
			res.Details = append(res.Details, settingsPermissionNote)
		}
		return res
	}
	return StepResult{Step: s, Status: StatusDone, Message: fmt.Sprintf(
		"Switched the default workflow permissions of %s to read and write (%s). Every workflow without a `permissions:` block now gets a token that can write. Reply `/ghcr retry` to re-run the failed jobs.", code(a.Repo.FullName()), where)}
}

// applyOrgSetting switches the organisation's default workflow permissions
// to read and write.
func (a *Applier) applyOrgSetting(ctx context.Context, s Step, dryRun bool) StepResult {
	org := a.Repo.Owner
	where := siteOf(a.WebURL).Link("the organisation's Actions settings", a.web()+"/organizations/"+org+"/settings/actions")
	if dryRun {
		return StepResult{Step: s, Status: StatusPlanned, Message: fmt.Sprintf(
			"Would switch the default workflow permissions of the organisation %s (%s) to read and write, for every repository that follows it.", code(org), where)}
	}
	if err := a.GH.SetOrgWorkflowDefault(ctx, org, "write"); err != nil {
		res := failureAt(a.Grant, s, "change the organisation's default workflow permissions", err, "organization_administration:write")
		if len(res.Permissions) > 0 {
			res.Details = append(res.Details, settingsPermissionNote)
		}
		return res
	}
	res := StepResult{Step: s, Status: StatusDone, Message: fmt.Sprintf(
		"Switched the default workflow permissions of the organisation %s to read and write (%s). Reply `/ghcr retry` to re-run the failed jobs.", code(org), where)}
	if a.Facts != nil && a.Facts.RepoDefault.Known && a.Facts.RepoDefault.Value == "read" {
		res.Details = append(res.Details, "If the repository's own setting is read-only too, an admin must also switch it (`/ghcr fix --settings`, or the repository's Settings → Actions → General).\n")
	}
	return res
}
