package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/logarchive"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

const scanHelp = `Scan saved GitHub Actions job logs for GitHub Packages permission errors:
failed pushes, pulls and logins to ghcr.io, npm.pkg.github.com, maven.pkg.github.com,
nuget.pkg.github.com, rubygems.pkg.github.com and docker.pkg.github.com.

Each FILE is a job log (plain text, as downloaded from a job's log view) or the zip
archive GitHub gives with "Download log archive". In an archive each job is read once:
from its job-level file ("0_build.txt") when there is one, else from its per-step
files ("build/3_Push.txt"). With no FILE, or for "-", standard input is read (text or zip).

Text output: one block per finding,

  FILE:LINE: KIND REGISTRY/OWNER/PACKAGE (TOOL, step "STEP")
      LINE TEXT

and a final count line on standard error. Zip members are named ARCHIVE!MEMBER.

With --json, standard output is one JSON document:

  {"findings": [
    {"file": "logs.zip!0_build.txt", "kind": "write_denied", "registry": "ghcr.io",
     "registry_from": "line", "owner": "acme", "package": "widget", "tool": "buildx",
     "step": "Run docker/build-push-action@v6", "line": 85, "text": "#13 ERROR: ..."}
  ]}

"findings" is always an array ([] when nothing is found). kind is one of write_denied,
create_denied, read_denied, auth_failed, owner_not_found, invalid_name; tool is docker,
buildx, podman, crane, ko, helm, oras, goreleaser, npm, pnpm, yarn, maven, gradle,
nuget, gem, containerd or unknown; owner and package are "" when the log does not name
them. registry_from says what named the registry: "line" (the error line), "step"
(another line of the same step, before or just after the error), "job" (an earlier
step) or "wording" (nothing did: the message is one only GitHub Packages sends).

Logs pasted from elsewhere are read too: markdown quotes, code fences, shell prompts,
the web view's copy, Azure Pipelines and GitLab CI logs, "gh run view --log" output.

--registry-host HOST (repeatable) adds a GitHub Enterprise Server instance: its web
host ("ghe.example.com": containers., npm., maven., nuget., rubygems. and docker.
subdomains) or one registry host ("containers.ghe.example.com"). GHE.com tenants
(containers.TENANT.ghe.com, …) are always recognised.

At most 10000 findings are listed per FILE, the rest counted on standard error; an
archive whose members overlap (a zip bomb's trick) is refused. Names from archives are
printed with control characters escaped (\x1b) in text output.

Exit status: 0 nothing found, 1 findings, 2 error (bad flag, unreadable file,
corrupt archive); on an error the other files are still scanned and reported.`

func newScanCmd() *cobra.Command {
	var asJSON bool
	var registryHosts []string
	cmd := &cobra.Command{
		Use:   "scan [--json] [--registry-host HOST]... [FILE|-]...",
		Short: "Find GitHub Packages permission errors in job logs",
		Long:  scanHelp,
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"-"}
			}
			hosts, err := scan.NewRegistryHosts(registryHosts...)
			if err != nil {
				return &exitCodeError{code: 2, err: fmt.Errorf("--registry-host: %w", err)}
			}
			return runScan(cmd, args, asJSON, scan.Scanner{Hosts: hosts})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON document instead of text")
	cmd.Flags().StringArrayVar(&registryHosts, "registry-host", nil, "a GitHub Enterprise Server host (or one of its registry hosts) whose registries are GitHub Packages too; repeatable")
	return cmd
}

func runScan(cmd *cobra.Command, args []string, asJSON bool, scanner scan.Scanner) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	out := newFindingWriter(stdout, asJSON)
	var writeErr error
	found, failed, logs := 0, 0, 0
	for _, arg := range args {
		inInput, listed := 0, 0
		n, err := scanInput(scanner, arg, cmd.InOrStdin(), func(f scan.Finding) {
			inInput++
			if listed >= maxListedPerInput || writeErr != nil {
				return
			}
			listed++
			writeErr = out.write(f)
		})
		found += inInput
		logs += n
		if err != nil {
			failed++
			fmt.Fprintln(stderr, terminalSafe(fmt.Sprintf("error: %s: %v", displayName(arg), err)))
		}
		if inInput > maxListedPerInput {
			fmt.Fprintln(stderr, terminalSafe(fmt.Sprintf("%s: %d more findings not listed (at most %d per input)",
				displayName(arg), inInput-maxListedPerInput, maxListedPerInput)))
		}
	}
	if writeErr == nil {
		writeErr = out.close()
	}
	if writeErr != nil {
		return &exitCodeError{code: 2, err: fmt.Errorf("writing the findings: %w", writeErr)}
	}
	fmt.Fprintln(stderr, countLine(found, logs))
	switch {
	case failed > 0:
		return &exitCodeError{code: 2, err: fmt.Errorf("%d of %d inputs could not be scanned", failed, len(args))}
	case found > 0:
		return &exitCodeError{code: 1}
	}
	return nil
}

// scanInput scans every log of one argument and reports each finding; it
// returns how many logs it scanned.
func scanInput(scanner scan.Scanner, arg string, stdin io.Reader, report func(scan.Finding)) (int, error) {
	src, err := logarchive.OpenPath(arg, stdin)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	scanned := 0
	for _, entry := range src.Entries {
		name := displayName(arg)
		if entry.Name != "" {
			name += "!" + entry.Name
		}
		res, err := scanEntry(scanner, entry)
		if err != nil {
			return scanned, fmt.Errorf("%s: %w", name, err)
		}
		scanned++
		for _, f := range res.Findings {
			f.File = name
			report(f)
		}
	}
	return scanned, nil
}

func scanEntry(scanner scan.Scanner, entry logarchive.Entry) (*scan.ScanResult, error) {
	rc, err := entry.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return scanner.Scan(rc)
}

func displayName(arg string) string {
	if arg == logarchive.Stdin {
		return "<stdin>"
	}
	return arg
}

func countLine(findings, logs int) string {
	plural := func(n int, word string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, word)
		}
		return fmt.Sprintf("%d %ss", n, word)
	}
	if findings == 0 {
		return fmt.Sprintf("no GitHub Packages permission errors found in %s", plural(logs, "log"))
	}
	return fmt.Sprintf("%s in %s", plural(findings, "GitHub Packages permission error"), plural(logs, "log"))
}
