package audit

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// DefaultConcurrency is how many repositories are read at once.
const DefaultConcurrency = 4

// Analyzer is the preflight analysis of one workflow file.
type Analyzer func(preflight.Input) ([]preflight.Result, error)

// Auditor audits repositories through a Source.
type Auditor struct {
	Source  Source
	Analyze Analyzer
	// WebURL is GitHub's web address, for the links to lines
	// ("https://github.com", or a GitHub Enterprise Server's).
	WebURL string
	// Concurrency bounds the repositories read at once; DefaultConcurrency when 0.
	Concurrency int
	// IncludeForks audits forks too; they are skipped by default.
	IncludeForks bool
	// Progress, when set, is told after each repository (from several goroutines, one at a time).
	Progress func(done, total int, repository string)
}

// Org audits every repository of an organisation.
func (a *Auditor) Org(ctx context.Context, org string) (Report, error) {
	c := a.newCounter()
	repos, err := c.ListOrgRepos(ctx, org)
	if err != nil {
		return Report{}, fmt.Errorf("listing the repositories of %s: %w", org, err)
	}
	return a.run(ctx, c, "organisation "+org, repos)
}

// Installation audits every repository the installation can reach.
func (a *Auditor) Installation(ctx context.Context, account string) (Report, error) {
	c := a.newCounter()
	repos, err := c.ListInstallationRepos(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("listing the installation's repositories: %w", err)
	}
	return a.run(ctx, c, account, repos)
}

// Repo audits one repository; archived repositories and forks are audited
// too, since they were asked for by name.
func (a *Auditor) Repo(ctx context.Context, owner, name string) (Report, error) {
	c := a.newCounter()
	r, err := c.GetRepo(ctx, owner, name)
	if err != nil {
		return Report{}, fmt.Errorf("reading %s/%s: %w", owner, name, err)
	}
	r.Archived, r.Fork = false, false
	return a.run(ctx, c, r.FullName(), []Repository{r})
}

func (a *Auditor) newCounter() *countingSource { return &countingSource{Source: a.Source} }

// run audits repos a few at a time.
func (a *Auditor) run(ctx context.Context, src *countingSource, scope string, repos []Repository) (Report, error) {
	if a.Analyze == nil {
		return Report{}, fmt.Errorf("audit: no analysis configured")
	}
	w := &walk{a: a, src: src, orgDefaults: map[string]string{}}
	outcomes := make([]RepoOutcome, len(repos))
	findings := make([][]Finding, len(repos))
	g, gctx := errgroup.WithContext(ctx)
	limit := a.Concurrency
	if limit <= 0 {
		limit = DefaultConcurrency
	}
	g.SetLimit(limit)
	var done atomic.Int64
	var progressMu sync.Mutex
	for i, r := range repos {
		g.Go(func() error {
			outcomes[i], findings[i] = w.repo(gctx, r)
			if a.Progress != nil {
				progressMu.Lock()
				a.Progress(int(done.Add(1)), len(repos), r.FullName())
				progressMu.Unlock()
			}
			return gctx.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return Report{}, fmt.Errorf("auditing %s: %w", scope, err)
	}
	rep := Report{Scope: scope, Repos: outcomes, Findings: []Finding{}}
	for _, fs := range findings {
		rep.Findings = append(rep.Findings, fs...)
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		x, y := rep.Findings[i], rep.Findings[j]
		if x.Repository != y.Repository {
			return strings.ToLower(x.Repository) < strings.ToLower(y.Repository)
		}
		if x.File != y.File {
			return x.File < y.File
		}
		return x.Line < y.Line
	})
	sort.SliceStable(rep.Repos, func(i, j int) bool {
		return strings.ToLower(rep.Repos[i].Repository) < strings.ToLower(rep.Repos[j].Repository)
	})
	rep.Reads = int(src.calls.Load())
	return rep, nil
}

// walk is one audit's shared state: what is learnt once for all repositories.
type walk struct {
	a   *Auditor
	src *countingSource

	mu          sync.Mutex
	orgDefaults map[string]string
	// repoDefaultRefused is set once GitHub refused to show a repository's
	// default workflow permissions for want of a permission: the others
	// would be refused too, so they are not asked for.
	repoDefaultRefused atomic.Bool
}

// settings reads what is known of the repository's default workflow
// permissions; what cannot be read stays "" (unknown).
func (w *walk) settings(ctx context.Context, r Repository) preflight.Settings {
	s := preflight.Settings{Owner: r.Owner, Repo: r.Name, OwnerIsOrg: r.OwnerIsOrg}
	if !w.repoDefaultRefused.Load() {
		lvl, err := w.src.RepoWorkflowDefault(ctx, r.Owner, r.Name)
		if _, refused := gherr.AsPermission(err); refused {
			w.repoDefaultRefused.Store(true)
		}
		if err == nil {
			s.RepoDefault = lvl
		}
	}
	if r.OwnerIsOrg {
		s.OrgDefault = w.orgDefault(ctx, r.Owner)
	}
	return s
}

// orgDefault reads an organisation's default once per audit ("" when unreadable).
func (w *walk) orgDefault(ctx context.Context, org string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	key := strings.ToLower(org)
	if lvl, ok := w.orgDefaults[key]; ok {
		return lvl
	}
	lvl, err := w.src.OrgWorkflowDefault(ctx, org)
	if err != nil {
		lvl = ""
	}
	w.orgDefaults[key] = lvl
	return lvl
}

// countingSource counts the calls made through a Source.
type countingSource struct {
	Source
	calls atomic.Int64
}

func (c *countingSource) ListOrgRepos(ctx context.Context, org string) ([]Repository, error) {
	c.calls.Add(1)
	return c.Source.ListOrgRepos(ctx, org)
}

func (c *countingSource) ListInstallationRepos(ctx context.Context) ([]Repository, error) {
	c.calls.Add(1)
	return c.Source.ListInstallationRepos(ctx)
}

func (c *countingSource) GetRepo(ctx context.Context, owner, name string) (Repository, error) {
	c.calls.Add(1)
	return c.Source.GetRepo(ctx, owner, name)
}

func (c *countingSource) ListDirectory(ctx context.Context, owner, repo, path, ref string) ([]Entry, error) {
	c.calls.Add(1)
	return c.Source.ListDirectory(ctx, owner, repo, path, ref)
}

func (c *countingSource) GetFile(ctx context.Context, owner, repo, path, ref string) ([]byte, error) {
	c.calls.Add(1)
	return c.Source.GetFile(ctx, owner, repo, path, ref)
}

func (c *countingSource) BranchHead(ctx context.Context, owner, repo, branch string) (string, error) {
	c.calls.Add(1)
	return c.Source.BranchHead(ctx, owner, repo, branch)
}

func (c *countingSource) RepoWorkflowDefault(ctx context.Context, owner, repo string) (string, error) {
	c.calls.Add(1)
	return c.Source.RepoWorkflowDefault(ctx, owner, repo)
}

func (c *countingSource) OrgWorkflowDefault(ctx context.Context, org string) (string, error) {
	c.calls.Add(1)
	return c.Source.OrgWorkflowDefault(ctx, org)
}
