package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo"
)

// playActionDemo plays `bot demo --scenario action`: the seed case
// diagnosed by the GitHub Action, ending on the run's summary page.
func playActionDemo(cmd *cobra.Command, serve bool) error {
	if serve {
		return usageError("--serve keeps the App running; the %s scenario has no App to keep", demo.ActionScenario)
	}
	stdout := cmd.OutOrStdout()
	res, err := demo.RunAction(cmd.Context(), demo.Options{Out: stdout, Color: isTerminal(stdout) && os.Getenv("NO_COLOR") == ""})
	if err != nil {
		return fmt.Errorf("demo %s: %w", demo.ActionScenario, err)
	}
	fmt.Fprintf(stdout, "\nPlayed %q in %s. More: bot demo --list; set it up: README, \"Use it as an Action\".\n",
		demo.ActionScenario, res.Duration.Round(10*time.Millisecond))
	return nil
}
