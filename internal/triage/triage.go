// Package triage runs the whole data path for one workflow run: load the
// repository's settings, stream the failed jobs' logs through the scanner,
// gather the facts (the workflow file, the workflow-permission defaults,
// the pull requests; each fact it cannot read is recorded as unknown, with
// the reason), diagnose, and publish — or, for a successful run, close out
// earlier reports. Doctor is the entry point; Gatherer reads the facts.
package triage

import (
	"context"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/fixbranch"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/repoconfig"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

// RunEvent is a completed workflow run worth looking at; it is what the
// webhook handler queues.
type RunEvent struct {
	DeliveryID     string        `json:"delivery_id"`
	InstallationID int64         `json:"installation_id"`
	Repo           diagnose.Repo `json:"repo"`
	Run            diagnose.Run  `json:"run"`
	// FinalAttempt is set by the queue's handler on the job's last try:
	// what GitHub still fails to serve is then reported as unknown, and
	// logs that stayed unreadable get a report saying so, never silence.
	FinalAttempt bool `json:"-"`
}

// InstallationClient is everything the data path needs from GitHub for one installation.
type InstallationClient interface {
	FactSource
	report.GitHub
}

// ClientSource gives the client of an installation.
type ClientSource interface {
	Client(ctx context.Context, installationID int64) (InstallationClient, error)
}

// RunOutcome says what HandleRun did, for logs and metrics.
type RunOutcome struct {
	Skipped   string // why nothing was done, if so
	Diagnoses []diagnose.Diagnosis
	Result    report.PublishResult
}

// Doctor runs diagnoses.
type Doctor struct {
	Clients ClientSource
	WebURL  string
	// BotLogin is the app's bot login ("slug[bot]"), learnt at start-up:
	// only its own comments (and the Action's) are edited.
	BotLogin    string
	MaxLogBytes int64
	// Hosts are the GitHub Packages registries to recognise in logs; nil
	// means github.com's (see RegistryHostsFor).
	Hosts *scan.RegistryHosts
	// Observe, when set, sees every outcome (for metrics).
	Observe func(RunOutcome)
	// Ledgers, when set, gives an installation's report ledger, which
	// spares the lookups of reports and fix pull requests that cannot
	// exist (see report.Ledger).
	Ledgers func(installationID int64) report.Ledger
	// Configs, when set, remembers for a while which repositories have no
	// configuration file, so their failed runs do not ask for it each time.
	Configs *repoconfig.Absent
}

// Ledger is the installation's report ledger, or nil.
func (d *Doctor) Ledger(installationID int64) report.Ledger {
	if d.Ledgers == nil {
		return nil
	}
	return d.Ledgers(installationID)
}

// HandleRun diagnoses a failed run, or resolves earlier reports for a
// successful one.
func (d *Doctor) HandleRun(ctx context.Context, ev RunEvent) (RunOutcome, error) {
	out, err := d.handleRun(ctx, ev)
	if d.Observe != nil {
		d.Observe(out)
	}
	return out, err
}

// HandleRunWith is HandleRun with the caller's client: a command that
// reads the run's configuration and facts itself passes the client it
// read them with, so one command reads each of them once.
func (d *Doctor) HandleRunWith(ctx context.Context, gh InstallationClient, ev RunEvent) (RunOutcome, error) {
	out, err := d.handleRunWith(ctx, gh, ev)
	if d.Observe != nil {
		d.Observe(out)
	}
	return out, err
}

func (d *Doctor) handleRun(ctx context.Context, ev RunEvent) (RunOutcome, error) {
	gh, err := d.Clients.Client(ctx, ev.InstallationID)
	if err != nil {
		return RunOutcome{}, fmt.Errorf("creating installation client: %w", err)
	}
	return d.handleRunWith(ctx, gh, ev)
}

func (d *Doctor) handleRunWith(ctx context.Context, gh InstallationClient, ev RunEvent) (RunOutcome, error) {
	if ev.Run.Conclusion == "success" {
		return d.resolve(ctx, gh, ev)
	}
	// The configuration and the run's jobs are read at once; the logs
	// only once the configuration says the bot is wanted.
	g := d.gatherer(gh, ev)
	facts := &diagnose.Facts{Repo: ev.Repo, Run: ev.Run}
	var (
		jobs    []Job
		listErr error
	)
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		jobs, listErr = g.ListJobs(ctx, facts)
	}()
	var configs repoconfig.Fetcher = gh
	if d.Configs != nil {
		configs = d.Configs.Fetcher(gh)
	}
	cfg := repoconfig.Load(ctx, configs, ev.Repo.Owner, ev.Repo.Name)
	<-listed
	log := zerolog.Ctx(ctx)
	if gherr.IsTransient(cfg.Err) && !ev.FinalAttempt {
		return RunOutcome{}, fmt.Errorf("reading the repository's configuration: %w", cfg.Err)
	}
	if cfg.Err != nil {
		log.Warn().Err(cfg.Err).Msg("The repository's ghcr-doctor configuration is broken; using the defaults.")
	}
	if !cfg.Config.Enabled {
		return RunOutcome{Skipped: "disabled by " + cfg.Source}, nil
	}
	if listErr != nil {
		return RunOutcome{}, listErr
	}
	target := report.Target{Repo: ev.Repo, Run: ev.Run, WebURL: d.WebURL}
	target.CheckRunConclusion = cfg.Config.Report.CheckRunConclusion
	if cfg.Err != nil {
		target.Warnings = append(target.Warnings, fmt.Sprintf("The ghcr-doctor configuration could not be used, so the defaults apply: %v", cfg.Err))
	}
	where := report.Where{
		CheckRun:           cfg.Config.Report.CheckRun,
		PullRequestComment: cfg.Config.Report.PullRequestComment,
		TrackingIssue:      cfg.Config.Report.TrackingIssue,
	}

	ds, err := d.examineJobs(ctx, g, facts, ev, jobs)
	if err != nil {
		return RunOutcome{}, err
	}
	if len(ds) == 0 {
		return RunOutcome{Skipped: "no GitHub Packages error in the failed jobs' logs"}, nil
	}
	target.Run = facts.Run
	ledger := d.Ledger(ev.InstallationID)
	d.linkFixPullRequests(ctx, gh, ledger, facts, ds)
	for _, j := range facts.Jobs {
		target.Jobs = append(target.Jobs, report.Job{Name: j.Name, HTMLURL: j.HTMLURL})
	}
	pub := &report.Publisher{GH: gh, BotLogin: d.BotLogin, Ledger: ledger}
	res, err := pub.Publish(ctx, target, ds, where)
	out := RunOutcome{Diagnoses: ds, Result: res}
	if err != nil {
		return out, fmt.Errorf("publishing the diagnosis: %w", err)
	}
	return out, nil
}

// resolve marks the reports of earlier failures of a now successful
// workflow as resolved. It reads no configuration: only reports the bot
// wrote are edited, and one that exists was wanted when it was written,
// so finding nothing costs what reading the configuration would.
func (d *Doctor) resolve(ctx context.Context, gh InstallationClient, ev RunEvent) (RunOutcome, error) {
	facts := &diagnose.Facts{Repo: ev.Repo, Run: ev.Run}
	(&Gatherer{Source: gh}).FindPullRequests(ctx, facts)
	target := report.Target{Repo: ev.Repo, Run: facts.Run, WebURL: d.WebURL}
	pub := &report.Publisher{GH: gh, BotLogin: d.BotLogin, Ledger: d.Ledger(ev.InstallationID)}
	res, err := pub.Resolve(ctx, target, report.Where{CheckRun: true, PullRequestComment: true, TrackingIssue: true})
	if err != nil {
		return RunOutcome{Result: res}, fmt.Errorf("resolving earlier reports: %w", err)
	}
	return RunOutcome{Result: res}, nil
}

func (d *Doctor) gatherer(gh FactSource, ev RunEvent) *Gatherer {
	return &Gatherer{Source: gh, MaxLogBytes: d.MaxLogBytes, Hosts: d.Hosts, FinalAttempt: ev.FinalAttempt}
}

// Examine scans the run's failed jobs and, when they hold GitHub Packages
// errors, gathers the facts and diagnoses them, without publishing
// anything. It returns no diagnosis when the logs hold no finding, except
// on the last try when some stayed unreadable (see unreadableLogs).
func (d *Doctor) Examine(ctx context.Context, gh FactSource, ev RunEvent) (*diagnose.Facts, []diagnose.Diagnosis, error) {
	g := d.gatherer(gh, ev)
	facts := &diagnose.Facts{Repo: ev.Repo, Run: ev.Run}
	jobs, err := g.ListJobs(ctx, facts)
	if err != nil {
		return facts, nil, err
	}
	ds, err := d.examineJobs(ctx, g, facts, ev, jobs)
	return facts, ds, err
}

// examineJobs is Examine once the run's jobs are listed.
func (d *Doctor) examineJobs(ctx context.Context, g *Gatherer, facts *diagnose.Facts, ev RunEvent, jobs []Job) ([]diagnose.Diagnosis, error) {
	if err := g.ScanJobs(ctx, facts, jobs); err != nil {
		return nil, err
	}
	if !HasFindings(facts) {
		return d.unreadableLogs(ctx, g, facts, ev), nil
	}
	if err := g.GatherFacts(ctx, facts); err != nil {
		return nil, fmt.Errorf("gathering facts: %w", err)
	}
	return diagnose.Diagnose(facts, diagnose.Options{WebURL: d.WebURL}), nil
}

// fixPullRequests finds an open pull request from a branch; the go-github
// adapter has it. Optional, so that other sources need not.
type fixPullRequests interface {
	OpenPullRequestForBranch(ctx context.Context, owner, repo, branch string) (*diagnose.Link, error)
}

// linkFixPullRequests marks the fixes that a pull request from the bot's
// fix branch already proposes, so the report points at it rather than
// asking for another `/ghcr fix`. It looks only at the packages the report
// lists, and up each fix branch once, so a log naming hundreds of packages
// costs no more lookups than the report has packages, and none for a
// branch the ledger knows was never proposed. Best effort: a failed lookup
// only logs.
func (d *Doctor) linkFixPullRequests(ctx context.Context, gh InstallationClient, ledger report.Ledger, facts *diagnose.Facts, ds []diagnose.Diagnosis) {
	prs, ok := gh.(fixPullRequests)
	if !ok {
		return
	}
	listed, _ := report.ReportedPackages(ds)
	found := map[string]*diagnose.Link{}
	for i := range listed {
		fix := &listed[i].Causes[0].Fix
		kind := ""
		switch fix.Kind {
		case diagnose.FixWorkflowPR:
			kind = fixbranch.PackagesWrite
		case diagnose.FixLowercasePR:
			kind = fixbranch.Lowercase
		}
		if kind == "" || fix.JobID == "" || facts.Run.Path == "" {
			continue
		}
		branch := fixbranch.Name(kind, facts.Run.Path, fix.JobID)
		link, seen := found[branch]
		if !seen {
			if report.MayExist(ctx, ledger, report.FixPullRequestKey(facts.Repo.Owner, facts.Repo.Name, branch)) {
				var err error
				link, err = prs.OpenPullRequestForBranch(ctx, facts.Repo.Owner, facts.Repo.Name, branch)
				if err != nil {
					zerolog.Ctx(ctx).Warn().Err(err).Msg("Could not look for an open fix pull request.")
				}
			}
			found[branch] = link
		}
		fix.PullRequest = link
	}
}

// RegistryHostsFor is the set of GitHub Packages registries of the GitHub
// at webURL: github.com's for github.com, and a GitHub Enterprise Server
// instance's own (containers.HOST, npm.HOST, …) besides them otherwise.
func RegistryHostsFor(webURL string) (*scan.RegistryHosts, error) {
	if webURL == "" || strings.EqualFold(strings.TrimRight(webURL, "/"), "https://github.com") {
		return scan.DefaultRegistryHosts(), nil
	}
	hosts, err := scan.NewRegistryHosts(webURL)
	if err != nil {
		return nil, fmt.Errorf("registry hosts of %s: %w", webURL, err)
	}
	return hosts, nil
}
