package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo"
)

const demoHelp = `See ghcr-doctor work without GitHub: the demo starts the real server against a
simulated GitHub on this machine, plays a failed run through signed webhooks, and
shows what a user would see — the failed run, the check run and the comment (or
tracking issue) the bot posted, an admin's "/ghcr fix" and the pull request it
opened, or, where no API can make the change, the instructions it gave. The
preflight scenario shows a pull request warned before anything runs, and fixed by
committing the bot's suggested change.

Nothing is sent to github.com and nothing needs configuring. With --serve the
simulated GitHub and the bot keep running after the story, and their addresses and
an installation token are printed so you can look around with curl (or run
"bot diagnose" against them) until Ctrl-C.`

func newDemoCmd() *cobra.Command {
	var (
		scenario string
		list     bool
		serve    bool
		verbose  bool
	)
	cmd := &cobra.Command{
		Use:   "demo [--scenario NAME] [--serve]",
		Short: "Play a failed push end to end against a simulated GitHub",
		Long:  demoHelp + "\n\nScenarios:\n" + scenarioList("  "),
		Example: `  bot demo
  bot demo --scenario fork-pull-request
  bot demo --scenario preflight
  bot demo --list
  bot demo --serve`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			stdout := cmd.OutOrStdout()
			if list {
				fmt.Fprint(stdout, scenarioList(""))
				return nil
			}
			if scenario == demo.ActionScenario {
				return playActionDemo(cmd, serve)
			}
			s, ok := demo.Find(scenario)
			if !ok && scenario != demo.PreflightScenario {
				return usageError("unknown scenario %q; the scenarios are: %s", scenario,
					strings.Join(append(demo.Names(), demo.PreflightScenario, demo.ActionScenario), ", "))
			}
			opts := demo.Options{Out: stdout, Color: isTerminal(stdout) && os.Getenv("NO_COLOR") == ""}
			if verbose {
				opts.Log = cmd.ErrOrStderr()
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if !ok {
				return playPreflightDemo(ctx, stdout, opts, serve)
			}
			if !serve {
				res, err := demo.Run(ctx, s, opts)
				if err != nil {
					return fmt.Errorf("demo %s: %w", s.Name, err)
				}
				fmt.Fprintf(stdout, "\nPlayed %q in %s. More: bot demo --list; keep it running: bot demo --serve.\n", s.Name, res.Duration.Round(10*time.Millisecond))
				return nil
			}
			return serveDemo(ctx, stdout, s, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&scenario, "scenario", demo.Scenarios()[0].Name, "the scenario to play (see --list)")
	fl.BoolVar(&list, "list", false, "list the scenarios and exit")
	fl.BoolVar(&serve, "serve", false, "keep the simulated GitHub and the bot running afterwards, until Ctrl-C")
	fl.BoolVar(&verbose, "verbose", false, "show the server's log on standard error")
	return cmd
}

// serveDemo plays the scenario, then keeps everything running until ctx ends.
func serveDemo(ctx context.Context, stdout io.Writer, s demo.Scenario, opts demo.Options) error {
	w, _, err := demo.Play(ctx, s, opts)
	if w != nil {
		defer w.Close()
	}
	if err != nil {
		return fmt.Errorf("demo %s: %w", s.Name, err)
	}
	return keepServing(ctx, stdout, w)
}

// keepServing prints how to reach a played world and keeps it running until ctx ends.
func keepServing(ctx context.Context, stdout io.Writer, w *demo.World) error {
	if err := w.PrintServeInfo(ctx, stdout); err != nil {
		return err
	}
	<-ctx.Done()
	fmt.Fprintln(stdout, "\nStopping the simulated GitHub and ghcr-doctor.")
	return nil
}

func scenarioList(indent string) string {
	var b strings.Builder
	width := 0
	for _, n := range append(demo.Names(), demo.PreflightScenario, demo.ActionScenario) {
		width = max(width, len(n))
	}
	for _, s := range demo.Scenarios() {
		fmt.Fprintf(&b, "%s%-*s  %s\n", indent, width, s.Name, s.Title)
	}
	fmt.Fprintf(&b, "%s%-*s  %s\n", indent, width, demo.PreflightScenario, demo.PreflightTitle)
	fmt.Fprintf(&b, "%s%-*s  %s\n", indent, width, demo.ActionScenario, demo.ActionTitle)
	return b.String()
}
