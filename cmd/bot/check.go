package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/selfcheck"
	"github.com/ghcr-doctor/ghcr-doctor/internal/server"
)

const checkHelp = `Check a server configuration before it bites, and print each problem with
its fix:

  - the file: known keys, required values, an RSA private key (GitHub App
    keys are RSA), no placeholder left from the example (App ID 123456,
    webhook secret change-me), a known log level;
  - the App's credentials, tried against GitHub (GET /app);
  - the App's webhook as GitHub has it (GET /app/hook/config): its URL
    against server.public_url + /api/github/hook, SSL verification on,
    content type json, a secret set;
  - the queue: the data directory writable, or PostgreSQL reachable.

The environment overrides the file as it does for "bot serve". bot serve runs
the same checks at start and refuses to start on a problem (GitHub or the
database being out of reach only warns).

Exit status: 0 when every check passed (warnings included), 2 when any
problem was found.`

func newCheckCmd() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:     "check --config FILE",
		Short:   "Check a configuration against GitHub and the queue; print each problem with its fix",
		Long:    checkHelp,
		Example: "  bot check --config ghcr-doctor.yml",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if configPath == "" {
				return usageError("--config is required")
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Checking %s\n", configPath)
			cfg, err := config.Load(configPath)
			if err != nil {
				printConfigErrors(out, err)
				return &exitCodeError{code: 2}
			}
			printResult(out, selfcheck.CheckResult{Check: "configuration file", Status: selfcheck.OK, Detail: "valid"})
			results := selfcheck.Run(cmd.Context(), cfg, selfcheck.Options{HookPath: server.HookPath})
			for _, r := range results {
				printResult(out, r)
			}
			if selfcheck.Failed(results) {
				fmt.Fprintln(out, "\nProblems found: ghcr-doctor would not work as configured. Fix them and run bot check again.")
				return &exitCodeError{code: 2}
			}
			fmt.Fprintln(out, "\nAll checks passed.")
			return nil
		},
	}
	cmd.Flags().StringVarP(&configPath, "config", "c", "", "path of the YAML configuration file")
	return cmd
}

// printConfigErrors prints each error of a configuration that did not load.
func printConfigErrors(w io.Writer, err error) {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "config file ") {
		msg = rest
	}
	for _, line := range strings.Split(msg, "\n") {
		printResult(w, selfcheck.CheckResult{Check: "configuration file", Status: selfcheck.Problem, Detail: line})
	}
	fmt.Fprintln(w, "\nProblems found in the file; GitHub and the queue were not checked. Fix them and run bot check again.")
}

func printResult(w io.Writer, r selfcheck.CheckResult) {
	label := map[selfcheck.Status]string{selfcheck.OK: "ok", selfcheck.Warn: "warn", selfcheck.Problem: "PROBLEM"}[r.Status]
	fmt.Fprintf(w, "%-8s %s: %s\n", label, r.Check, r.Detail)
	if r.Fix != "" && r.Status != selfcheck.OK {
		fmt.Fprintf(w, "%-8s fix: %s\n", "", r.Fix)
	}
}

// startupCheck runs bot check's checks before bot serve starts: each
// warning and problem is logged with its fix; a problem that is not just
// GitHub or the database being out of reach stops the start.
func startupCheck(ctx context.Context, cfg *config.Config, logger zerolog.Logger) error {
	results := selfcheck.Run(ctx, cfg, selfcheck.Options{HookPath: server.HookPath})
	for _, r := range results {
		var ev *zerolog.Event
		switch {
		case r.Status == selfcheck.OK:
			continue
		case r.Status == selfcheck.Warn || r.Unreachable:
			ev = logger.Warn()
		default:
			ev = logger.Error()
		}
		ev.Str("check", r.Check).Str("fix", r.Fix).Msg(r.Detail)
	}
	blocking := selfcheck.Blocking(results)
	if len(blocking) == 0 {
		return nil
	}
	var errs []error
	for _, r := range blocking {
		errs = append(errs, fmt.Errorf("%s: %s; fix: %s", r.Check, r.Detail, r.Fix))
	}
	return fmt.Errorf("not starting: the configuration check found %d problem(s); 'bot check --config FILE' prints them too:\n%w", len(blocking), errors.Join(errs...))
}
