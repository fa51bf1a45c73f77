package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/audit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghcache"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight/render"
)

var orgName = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)

// remoteAudit are the options of `bot audit --org` and `--repo`.
type remoteAudit struct {
	org, repo      string
	apiURL, webURL string
	forks          bool
	cacheDir       string
	noCache        bool
}

func (r *remoteAudit) flags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&r.org, "org", "", "audit every repository of the organisation through GitHub's API")
	fl.StringVar(&r.repo, "repo", "", "audit one repository, OWNER/NAME, through GitHub's API")
	fl.StringVar(&r.apiURL, "api-url", "https://api.github.com/", "GitHub's REST API (GitHub Enterprise Server: https://HOST/api/v3/)")
	fl.StringVar(&r.webURL, "web-url", "https://github.com", "GitHub's web address, for the links to lines")
	fl.BoolVar(&r.forks, "forks", false, "with --org, audit forks too")
	fl.StringVar(&r.cacheDir, "cache-dir", "", "where GitHub's answers are kept for conditional requests (default: the user's cache directory)")
	fl.BoolVar(&r.noCache, "no-cache", false, "keep no answers: every request is a full one")
}

// runRemoteAudit audits an organisation or a repository through the API
// and prints its findings with the offline audit's renderers.
func runRemoteAudit(cmd *cobra.Command, r remoteAudit, format string) error {
	if r.repo != "" && !repoName.MatchString(r.repo) {
		return usageError("--repo must be OWNER/NAME, not %q", r.repo)
	}
	if r.org != "" && !orgName.MatchString(r.org) {
		return usageError("--org must be an organisation's login, not %q", r.org)
	}
	token := firstEnv("GITHUB_TOKEN", "GH_TOKEN")
	if token == "" {
		return usageError("no token: set GITHUB_TOKEN or GH_TOKEN (for example GH_TOKEN=$(gh auth token))")
	}
	stderr := cmd.ErrOrStderr()
	counter := &ghcache.Counter{Next: bearer{token: token, next: http.DefaultTransport}}
	cache, err := r.openCache(token)
	if err != nil {
		fmt.Fprintln(stderr, terminalSafe(fmt.Sprintf("warning: %v; every request is a full one", err)))
	}
	var rt http.RoundTripper = counter
	if cache != nil {
		rt = ghcache.Transport(cache, counter)
	}
	gh, err := clientFor(r.apiURL, rt)
	if err != nil {
		return usageError("--api-url: %v", err)
	}
	prog := newAuditProgress(stderr, isTerminal(stderr))
	a := &audit.Auditor{Source: ghapi.New(gh), Analyze: preflight.Analyze, WebURL: r.webURL, IncludeForks: r.forks, Progress: prog.update}
	var rep audit.Report
	if r.org != "" {
		rep, err = a.Org(cmd.Context(), r.org)
	} else {
		owner, name, _ := strings.Cut(r.repo, "/")
		rep, err = a.Repo(cmd.Context(), owner, name)
	}
	prog.finish()
	if err != nil {
		return &exitCodeError{code: 2, err: explainAuditError(err)}
	}
	rows := make([]render.Located, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		rows = append(rows, render.Located{Repository: f.Repository, URL: f.URL, Result: f.Result})
	}
	if err := render.WriteLocated(cmd.OutOrStdout(), format, rows, render.Options{Clean: terminalSafe, WebURL: r.webURL}); err != nil {
		return &exitCodeError{code: 2, err: err}
	}
	for _, o := range rep.Failed() {
		fmt.Fprintln(stderr, terminalSafe(fmt.Sprintf("error: %s: %s", o.Repository, o.Error)))
	}
	audited := 0
	for _, o := range rep.Repos {
		if o.Skipped == "" {
			audited++
		}
	}
	fmt.Fprintf(stderr, "%d at risk, %d unknown of %d publishing jobs in %d repositories (%d skipped, %d unreadable)\n",
		len(rep.AtRisk()), len(rep.Unknown()), len(rep.Findings), audited, len(rep.Repos)-audited, len(rep.Failed()))
	fmt.Fprintf(stderr, "API calls: %d (%d answered 304 Not Modified)\n", counter.Requests(), counter.NotModified())
	if len(rep.AtRisk()) > 0 {
		return &exitCodeError{code: 1}
	}
	return nil
}

// openCache opens the token's cache directory, nil with --no-cache.
func (r remoteAudit) openCache(token string) (*ghcache.Disk, error) {
	if r.noCache {
		return nil, nil
	}
	root := r.cacheDir
	if root == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("no cache directory (%v); give --cache-dir", err)
		}
		root = filepath.Join(dir, "ghcr-doctor", "http")
	}
	return ghcache.Open(root, r.apiURL, token)
}

// explainAuditError says what the usual failures mean.
func explainAuditError(err error) error {
	var nf *gherr.NotFoundError
	switch {
	case errors.As(err, &nf):
		return fmt.Errorf("%w: no such organisation or repository, or the token cannot see it", err)
	case statusOf(err) == http.StatusUnauthorized:
		return errors.New("GitHub refused the token (401): check GITHUB_TOKEN or GH_TOKEN")
	}
	return err
}

// statusOf is the HTTP status GitHub answered with, 0 when unknown.
func statusOf(err error) int {
	var se *gherr.StatusError
	if errors.As(err, &se) {
		return se.Status
	}
	return 0
}
