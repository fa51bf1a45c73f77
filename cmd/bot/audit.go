package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight/render"
)

const auditHelp = `Check workflows before they run: for every job, whether it publishes to
GitHub Packages (ghcr.io, npm.pkg.github.com, maven.pkg.github.com,
nuget.pkg.github.com, rubygems.pkg.github.com) and whether GitHub would refuse it,
with the diagnosis's own rules: a token without packages: write, a push on pull
requests that forks open, a Dependabot run, a namespace of another owner, an
upper-case name; a login with a personal token is a notice.

--workflow FILE|DIR... checks local files with no API call (for pre-commit hooks
and editors). A DIR means every *.yml and *.yaml in it. For a file inside
.github/workflows, the repository root is two levels up, and its package.json,
.npmrc, .goreleaser.yaml, pom.xml, build.gradle and the other workflows (called
reusable workflows) are read too. The repository's default workflow permissions
are taken as read-only unless --default write; --owner names the repository's
owner so that namespaces can be checked. In a git checkout, the owner and the
repository's name default to those of its origin remote.

Text output: one line per job,

  FILE:LINE: JOB: VERDICT (PUBLISHES_TO) REASON Fix: FIX

and a count on standard error. --json (or --format json) prints one document:

  {"jobs": [{"file": ".github/workflows/release.yml", "job": "publish",
             "publishes_to": "ghcr.io", "verdict": "missing_packages_write",
             "line": 12, "reason": "...", "fix": "..."}]}

verdict is one of missing_packages_write, fork_pr_push, dependabot,
namespace_mismatch, uppercase_name (at risk), unknown (an expression, a file or a
setting hides what would happen), pat_login (a notice), ok, not_publishing;
publishes_to is the registry host (comma-separated when several) or "none".
--format csv prints the same fields with a header row; --format markdown a table.

--org ORG audits every repository of an organisation the token can read
(archived repositories skipped, forks too unless --forks), --repo OWNER/NAME one
repository, through GitHub's API with the token in GITHUB_TOKEN or GH_TOKEN (e.g.
GH_TOKEN=$(gh auth token)): each workflow at the head of the default branch, with
the files its tools need, and the repository's and organisation's default
workflow permissions when the token may read them (they need administration
access; unknown otherwise). Only jobs that publish, or may, are printed; each row
starts with its repository (a "repository" column in Markdown and CSV) and
carries a link to the line ("url" in JSON and CSV). --api-url and --web-url reach
GitHub Enterprise Server. Standard error shows the progress (a live line on a
terminal) and the API calls made. Answers are kept in the user's cache directory
(one directory per token, never the token itself; --cache-dir, --no-cache), so a
second run asks with their ETags and unchanged answers come back 304 Not
Modified, which costs no rate limit.

Exit status: 0 nothing at risk, 1 a job at risk, 2 an error (bad flag, unreadable
file, not a workflow; no token, an organisation or repository not found); on an
error the other files are still checked and reported.`

// auditSource is where an audit's workflows come from: local files now,
// a repository or an organisation through the API next. It calls each for
// every workflow, or for a workflow it could not read (in is then zero and
// err says why).
type auditSource interface {
	each(func(name string, in preflight.Input, err error))
}

func newAuditCmd() *cobra.Command {
	var (
		local     bool
		def       string
		owner     string
		asJSON    bool
		format    string
		formatSet bool
		remote    remoteAudit
	)
	cmd := &cobra.Command{
		Use:   "audit (--workflow [--default read|write] [--owner LOGIN] FILE|DIR... | --org ORG | --repo OWNER/NAME) [--json|--format FORMAT]",
		Short: "Check workflows for GitHub Packages publishes that would be refused",
		Long:  auditHelp,
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			formatSet = cmd.Flags().Changed("format")
			switch {
			case asJSON && formatSet && format != "json":
				return &exitCodeError{code: 2, err: errors.New("--json and --format " + format + " disagree; give one")}
			case asJSON:
				format = "json"
			}
			if !validFormat(format) {
				return &exitCodeError{code: 2, err: fmt.Errorf("--format %q: use one of %s", format, strings.Join(render.Formats, ", "))}
			}
			if def != "read" && def != "write" {
				return &exitCodeError{code: 2, err: fmt.Errorf("--default %q: use read or write", def)}
			}
			if n := countSet(local, remote.org != "", remote.repo != ""); n > 1 {
				return &exitCodeError{code: 2, err: errors.New("--workflow, --org and --repo audit different things: give one")}
			}
			if remote.org != "" || remote.repo != "" {
				if len(args) > 0 {
					return &exitCodeError{code: 2, err: fmt.Errorf("--org and --repo take no file arguments (got %q)", args[0])}
				}
				return runRemoteAudit(cmd, remote, format)
			}
			if !local {
				return &exitCodeError{code: 2, err: errors.New("say which workflows to audit with --workflow FILE|DIR, --org ORG or --repo OWNER/NAME")}
			}
			if len(args) == 0 {
				return &exitCodeError{code: 2, err: errors.New("--workflow needs at least one FILE or DIR")}
			}
			src := localWorkflows{paths: args, settings: preflight.Settings{Owner: owner, RepoDefault: def}}
			return runAudit(cmd, src, format)
		},
	}
	cmd.Flags().BoolVar(&local, "workflow", false, "check the local workflow files (and directories of them) given as arguments")
	cmd.Flags().StringVar(&def, "default", "read", "the repository's default workflow permissions: read or write")
	cmd.Flags().StringVar(&owner, "owner", "", "the repository's owner (user or organisation), to check package namespaces")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON document (the same as --format json)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown, json or csv")
	remote.flags(cmd)
	return cmd
}

// countSet counts the true values.
func countSet(vs ...bool) int {
	n := 0
	for _, v := range vs {
		if v {
			n++
		}
	}
	return n
}

func validFormat(f string) bool {
	for _, x := range render.Formats {
		if x == f {
			return true
		}
	}
	return false
}

// runAudit analyses every workflow of the source, prints the results and
// returns the exit status: 2 when a workflow could not be read or is not
// one, else 1 when a job is at risk, else 0.
func runAudit(cmd *cobra.Command, src auditSource, format string) error {
	stderr := cmd.ErrOrStderr()
	var results []preflight.Result
	failed, files := 0, 0
	src.each(func(name string, in preflight.Input, err error) {
		if err == nil {
			var rs []preflight.Result
			rs, err = preflight.Analyze(in)
			results = append(results, rs...)
		}
		if err != nil {
			failed++
			fmt.Fprintln(stderr, terminalSafe(fmt.Sprintf("error: %s: %v", name, err)))
			return
		}
		files++
	})
	if err := render.Write(cmd.OutOrStdout(), format, results, render.Options{Clean: terminalSafe}); err != nil {
		return &exitCodeError{code: 2, err: err}
	}
	atRisk := 0
	for _, r := range results {
		if r.Verdict.AtRisk() {
			atRisk++
		}
	}
	fmt.Fprintf(stderr, "%d at risk of %d jobs in %d workflows\n", atRisk, len(results), files)
	switch {
	case failed > 0:
		return &exitCodeError{code: 2, err: fmt.Errorf("%d workflows could not be checked", failed)}
	case atRisk > 0:
		return &exitCodeError{code: 1}
	}
	return nil
}
