package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/repoconfig"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// ReactionAccepted is the reaction that acknowledges a command at once.
const ReactionAccepted = "eyes"

// Service carries out queued commands.
type Service struct {
	Clients ClientSource
	// Doctor examines runs afresh and republishes reports.
	Doctor *triage.Doctor
	// WebURL is GitHub's web address.
	WebURL string
	// BotLogin is the app's bot login ("slug[bot]"), learnt at start-up:
	// only what it wrote locates a run.
	BotLogin string
	// Auditor audits a repository for `/ghcr audit`.
	Auditor RepoAuditor
}

// Handle carries out the request's commands and replies. It returns an
// error only when nothing was done yet (no client), so that retrying the
// job cannot act twice; every later failure is explained in the reply.
func (s *Service) Handle(ctx context.Context, req Request) error {
	gh, err := s.Clients.Client(ctx, req.InstallationID)
	if err != nil {
		return fmt.Errorf("creating installation client: %w", err)
	}
	x := &execution{svc: s, gh: newConfigOnce(gh), req: req, log: zerolog.Ctx(ctx), bot: s.BotLogin}
	x.run(ctx)
	return nil
}

// execution is one request being carried out.
type execution struct {
	svc *Service
	gh  CommandClient
	req Request
	log *zerolog.Logger
	bot string

	located   bool
	runs      []runRef
	locateMsg string

	role      *Role
	orgOwner  *bool
	published map[int]bool
}

func (x *execution) owner() string { return x.req.Repo.Owner }
func (x *execution) name() string  { return x.req.Repo.Name }

func (x *execution) run(ctx context.Context) {
	if c := x.req.Comment; c != nil {
		if err := x.gh.ReactToComment(ctx, x.owner(), x.name(), c.ID, ReactionAccepted); err != nil {
			x.log.Warn().Err(err).Msg("Could not react to the command's comment.")
		}
	}
	var secs []section
	for _, cmd := range x.req.Commands {
		sec := x.command(ctx, cmd)
		x.audit(sec)
		secs = append(secs, sec)
	}
	body := renderReply(siteOf(x.svc.WebURL), x.req, secs)
	if x.req.CheckRun != nil {
		x.noteOnCheckRun(ctx, secs)
		for _, n := range x.buttonReplyTargets(ctx, secs) {
			x.comment(ctx, n, body)
		}
		return
	}
	if c := x.req.Comment; c != nil {
		if onlyAudits(secs) {
			x.answerInPlace(ctx, c.Issue, body)
			return
		}
		x.comment(ctx, c.Issue, body)
	}
}

func (x *execution) comment(ctx context.Context, number int, body string) {
	if _, err := x.gh.CreateIssueComment(ctx, x.owner(), x.name(), number, body); err != nil {
		x.log.Error().Err(err).Int("issue", number).Msg("Could not reply to the command.")
	}
}

func (x *execution) audit(sec section) {
	rec := AuditRecord{Actor: x.req.Sender.Login, Repository: x.req.Repo.FullName(), Command: sec.Command.String(),
		Source: x.req.Source(), Decision: sec.decision, Result: sec.result}
	if len(sec.Runs) > 0 {
		rec.Run = sec.Runs[0].Run.ID
	}
	Audit(x.log, rec)
}

// section is what one command did.
type section struct {
	Command Command
	// Note is safe Markdown shown under the command.
	Note string
	Runs []runSection
	// DryRun marks a plan that changed nothing.
	DryRun bool

	decision Verdict
	result   string
	// audit marks the answer to `/ghcr audit`, which is edited in place.
	audit bool
}

// runSection is what one command did for one run.
type runSection struct {
	Run diagnose.Run
	Ref runRef
	// Note is safe Markdown about the run as a whole.
	Note    string
	Results []StepResult
}

// commandAction is what a command needs to be authorised for before anything is read.
func commandAction(c Command) Action {
	switch {
	case c.Verb == VerbHelp, c.Verb == VerbFix && c.DryRun:
		return ActionDryRun
	case c.Verb == VerbRecheck:
		return ActionRecheck
	case c.Verb == VerbRetry:
		return ActionRetry
	case c.OrgSettings:
		return ActionOrgSettings
	case c.Settings:
		return ActionRepoSettings
	}
	return ActionFixPR
}

func (x *execution) command(ctx context.Context, cmd Command) section {
	sec := section{Command: cmd, decision: Allowed}
	if cmd.Verb == VerbHelp {
		sec.result = "help shown"
		return sec
	}
	if cmd.Verb == VerbAudit {
		return x.runAudit(ctx, sec)
	}
	runs, note := x.locate(ctx)
	if len(runs) == 0 {
		sec.Note, sec.result = note, "no diagnosis to act on"
		return sec
	}
	if action := commandAction(cmd); action != ActionDryRun {
		d, msg := x.authorize(ctx, action)
		if d.Outcome != Allowed {
			sec.decision, sec.Note, sec.result = d.Outcome, msg, "refused: needs "+d.Needs
			return sec
		}
	}
	sec.DryRun = cmd.Verb == VerbFix && cmd.DryRun
	for _, ref := range runs {
		sec.Runs = append(sec.Runs, x.onRun(ctx, cmd, ref))
	}
	sec.result = summarize(sec)
	return sec
}

// summarize is the audit log's one-line result of a command.
func summarize(sec section) string {
	var parts []string
	for _, rs := range sec.Runs {
		if len(rs.Results) == 0 {
			parts = append(parts, fmt.Sprintf("run %d: %s", rs.Run.ID, sec.Command.Verb))
		}
		for _, r := range rs.Results {
			p := fmt.Sprintf("run %d: %s %s", rs.Run.ID, r.Step.Kind, r.Status)
			if r.PullRequest != nil {
				p += fmt.Sprintf(" #%d", r.PullRequest.Number)
			}
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "; ")
}

// locate finds the runs the command is about, once per request.
func (x *execution) locate(ctx context.Context) ([]runRef, string) {
	if x.located {
		return x.runs, x.locateMsg
	}
	x.located = true
	switch {
	case x.req.CheckRun != nil:
		ref, err := runFromCheckRun(ctx, x.gh, x.owner(), x.name(), *x.req.CheckRun)
		if err != nil {
			x.locateMsg = "Could not find the workflow run of this check run: " + text(err.Error())
			return nil, x.locateMsg
		}
		x.runs = []runRef{ref}
	case x.req.Comment != nil:
		c := x.req.Comment
		comments, err := x.gh.ListIssueComments(ctx, x.owner(), x.name(), c.Issue)
		if err != nil {
			x.locateMsg = failure(Step{}, "read the comments here", err, "issues:read").Message
			return nil, x.locateMsg
		}
		x.runs = runsFromDiagnoses(*c, comments, x.bot)
		if len(x.runs) == 0 {
			x.locateMsg = "There is no ghcr-doctor diagnosis here, so there is nothing to act on. Commands work on the pull requests and tracking issues where ghcr-doctor reported a refused GitHub Packages push."
		}
	}
	return x.runs, x.locateMsg
}

// authorize checks the sender's current role for an action, and returns
// the refusal to show.
func (x *execution) authorize(ctx context.Context, a Action) (Decision, string) {
	subj := Subject{Event: x.req.Event, Sender: x.req.Sender}
	if a != ActionHelp && a != ActionDryRun {
		role, err := x.senderRole(ctx)
		if err != nil {
			return Decision{Outcome: Refused, Needs: "a readable role", Reason: err.Error()},
				failure(Step{}, "check your role in this repository", err, "metadata:read").Message + " Nothing was changed."
		}
		subj.Role = role
	}
	if a == ActionOrgSettings {
		owner, err := x.senderOrgOwner(ctx)
		if err != nil {
			return Decision{Outcome: Refused, Needs: NeedsOrgOwner, Reason: err.Error()},
				failure(Step{}, "check your membership of the organisation", err, "members:read").Message + " Nothing was changed."
		}
		subj.OrgOwner = owner
	}
	d := Authorize(subj, a)
	if d.Outcome == Allowed {
		return d, ""
	}
	return d, refusal(x.req.Sender, subj, d, x.owner())
}

func (x *execution) senderRole(ctx context.Context) (Role, error) {
	if x.role != nil {
		return *x.role, nil
	}
	p, err := x.gh.RepoPermission(ctx, x.owner(), x.name(), x.req.Sender.Login)
	if err != nil {
		return RoleNone, fmt.Errorf("reading the sender's permission: %w", err)
	}
	role := RoleFrom(p.Permission, p.RoleName)
	x.role = &role
	return role, nil
}

func (x *execution) senderOrgOwner(ctx context.Context) (bool, error) {
	if x.orgOwner != nil {
		return *x.orgOwner, nil
	}
	owner := false
	if x.req.Repo.IsOrg() {
		m, err := x.gh.OrgMembership(ctx, x.owner(), x.req.Sender.Login)
		if err != nil {
			return false, fmt.Errorf("reading the sender's organisation membership: %w", err)
		}
		owner = m.IsOwner()
	}
	x.orgOwner = &owner
	return owner, nil
}

// onRun carries out a command for one run.
func (x *execution) onRun(ctx context.Context, cmd Command, ref runRef) runSection {
	rs := runSection{Ref: ref, Run: diagnose.Run{ID: ref.ID, Path: ref.Workflow}}
	run, err := x.gh.GetWorkflowRun(ctx, x.owner(), x.name(), ref.ID)
	if err != nil {
		rs.Note = failure(Step{}, fmt.Sprintf("read run %d", ref.ID), err, "actions:read").Message
		return rs
	}
	if run.Path == "" {
		run.Path = ref.Workflow
	}
	rs.Run = run
	ev := triage.RunEvent{DeliveryID: x.req.DeliveryID, InstallationID: x.req.InstallationID, Repo: x.req.Repo, Run: run}
	if run.Conclusion == "" {
		rs.Note = fmt.Sprintf("Attempt %d of this run is still in progress; ghcr-doctor reports its outcome in the diagnosis when it completes. Try again then.", run.Attempt)
		return rs
	}
	switch cmd.Verb {
	case VerbRecheck:
		x.recheck(ctx, ev, &rs)
	case VerbRetry:
		x.retry(ctx, ev, &rs)
	case VerbFix:
		x.fix(ctx, cmd, ev, &rs)
	}
	return rs
}

// recheck diagnoses the run again and republishes the report.
func (x *execution) recheck(ctx context.Context, ev triage.RunEvent, rs *runSection) {
	out, err := x.svc.Doctor.HandleRunWith(ctx, x.gh, ev)
	x.notePublished(out)
	switch {
	case err != nil:
		rs.Note = "Diagnosed the run again, but updating the report failed: " + text(err.Error())
	case out.Skipped != "":
		rs.Note = "Diagnosed the run again: nothing to report (" + inline(out.Skipped) + ")."
	case ev.Run.Conclusion == "success":
		rs.Note = "The latest attempt of the run succeeded; the report now says resolved."
	default:
		var causes []string
		for _, d := range out.Diagnoses {
			c := d.Primary()
			causes = append(causes, fmt.Sprintf("%s: %s (%s)", code(d.Package.Display()), inline(c.Summary), code(string(c.ID))))
		}
		rs.Note = "Diagnosed the run again and updated the report (" + reportCounts(out.Result) + "):\n\n- " + strings.Join(causes, "\n- ")
	}
}

func reportCounts(r report.PublishResult) string {
	return fmt.Sprintf("%d created, %d updated, %d unchanged", r.Created, r.Updated, r.Unchanged)
}

// retry re-runs the failed jobs; the workflow_run event of the new attempt
// brings the outcome to the report.
func (x *execution) retry(ctx context.Context, ev triage.RunEvent, rs *runSection) {
	if ev.Run.Conclusion == "success" {
		rs.Note = fmt.Sprintf("Attempt %d of this run succeeded; there are no failed jobs to re-run.", ev.Run.Attempt)
		return
	}
	if err := x.gh.RerunFailedJobs(ctx, x.owner(), x.name(), ev.Run.ID); err != nil {
		res := failure(Step{}, "re-run the failed jobs", err, "actions:write")
		rs.Note = strings.Join(append([]string{res.Message}, res.Details...), " ")
		return
	}
	where := "the diagnosis"
	if rs.Ref.DiagnosisURL != "" {
		where = siteOf(x.svc.WebURL).Link("the diagnosis", rs.Ref.DiagnosisURL)
	}
	rs.Note = fmt.Sprintf("Re-running the failed jobs of the run as attempt %d. When it completes, ghcr-doctor reports the outcome in %s: marked resolved if the push works, or updated with what failed.",
		ev.Run.Attempt+1, where)
}

// fix examines the run afresh, plans, and applies what the sender may apply.
func (x *execution) fix(ctx context.Context, cmd Command, ev triage.RunEvent, rs *runSection) {
	if ev.Run.Conclusion == "success" {
		rs.Note = fmt.Sprintf("Attempt %d of this run succeeded; there is nothing to fix.", ev.Run.Attempt)
		return
	}
	opts := x.planOptions(ctx, cmd)
	facts, ds, err := x.svc.Doctor.Examine(ctx, x.gh, ev)
	if err != nil {
		rs.Note = failure(Step{}, "examine the run again", err, "actions:read").Message
		return
	}
	if len(ds) == 0 {
		rs.Note = "The failed jobs' logs hold no GitHub Packages error now (they may have expired), so there is nothing to fix. `/ghcr retry` re-runs the failed jobs."
		return
	}
	plan := BuildPlan(facts, ds, opts)
	ap := &Applier{GH: x.gh, Facts: facts, Repo: x.req.Repo, Run: facts.Run, Requester: x.req.Sender.Login,
		DiagnosisURL: rs.Ref.DiagnosisURL, WebURL: x.svc.WebURL, Grant: x.grantPlace()}
	if l := x.svc.Doctor.Ledger(x.req.InstallationID); l != nil {
		ap.Ledger = l
	}
	changed := false
	for _, st := range plan.Steps {
		if st.Changes() && !cmd.DryRun {
			if d, msg := x.authorize(ctx, st.Action()); d.Outcome != Allowed {
				rs.Results = append(rs.Results, StepResult{Step: st, Status: StatusRefused, Needs: d.Needs, Message: msg})
				continue
			}
		}
		res := ap.Apply(ctx, st, cmd.DryRun)
		if cmd.DryRun && st.Changes() {
			res.Details = append(res.Details, "Applying it with `"+Command{Verb: VerbFix, Settings: cmd.Settings, OrgSettings: cmd.OrgSettings}.String()+"` needs the "+neededFor(st.Action())+" role.\n")
		}
		changed = changed || res.Status == StatusDone
		rs.Results = append(rs.Results, res)
	}
	if changed {
		out, err := x.svc.Doctor.HandleRunWith(ctx, x.gh, ev)
		x.notePublished(out)
		if err != nil {
			x.log.Warn().Err(err).Msg("Could not republish the report after a fix.")
		}
	}
}

// grantPlace is where this installation's permissions are granted.
func (x *execution) grantPlace() GrantPlace {
	return GrantPlace{WebURL: x.svc.WebURL, Account: x.owner(), OrgAccount: x.req.Repo.IsOrg(),
		Slug: strings.TrimSuffix(x.bot, "[bot]"), InstallationID: x.req.InstallationID}
}

func neededFor(a Action) string {
	return Authorize(Subject{Event: EventCreated}, a).Needs
}

// planOptions reads the opt-ins the command's flags depend on.
func (x *execution) planOptions(ctx context.Context, cmd Command) PlanOptions {
	opts := PlanOptions{Settings: cmd.Settings, OrgSettings: cmd.OrgSettings, WebURL: x.svc.WebURL}
	cfg := repoconfig.Load(ctx, x.gh, x.owner(), x.name())
	opts.RepoOptIn = cfg.Err == nil && cfg.Config.Fix.AllowSettingsChanges
	if cmd.OrgSettings {
		org := repoconfig.LoadOrg(ctx, x.gh, x.owner())
		opts.OrgOptIn = org.Err == nil && org.Source != "" && org.Config.Fix.AllowOrgSettingsChanges
		if org.Err != nil {
			x.log.Warn().Err(org.Err).Msg("The organisation's ghcr-doctor configuration is broken; organisation settings changes stay off.")
		}
	}
	if cfg.Err != nil {
		x.log.Warn().Err(cfg.Err).Msg("The repository's ghcr-doctor configuration is broken; settings changes stay off.")
	}
	return opts
}

func (x *execution) notePublished(out triage.RunOutcome) {
	if x.published == nil {
		x.published = map[int]bool{}
	}
	for _, n := range out.Result.Issues {
		x.published[n] = true
	}
}
