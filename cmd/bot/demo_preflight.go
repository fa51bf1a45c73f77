package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo"
)

// playPreflightDemo plays `bot demo --scenario preflight`: a pull request
// warned by the preflight check and fixed with its suggested change; with
// serve, the simulated GitHub and the bot keep running until ctx ends.
func playPreflightDemo(ctx context.Context, stdout io.Writer, opts demo.Options, serve bool) error {
	if !serve {
		res, err := demo.RunPreflight(ctx, opts)
		if err != nil {
			return fmt.Errorf("demo %s: %w", demo.PreflightScenario, err)
		}
		fmt.Fprintf(stdout, "\nPlayed %q in %s. More: bot demo --list; keep it running: bot demo --scenario %s --serve.\n",
			demo.PreflightScenario, res.Duration.Round(10*time.Millisecond), demo.PreflightScenario)
		return nil
	}
	w, _, err := demo.PlayPreflight(ctx, opts)
	if w != nil {
		defer w.Close()
	}
	if err != nil {
		return fmt.Errorf("demo %s: %w", demo.PreflightScenario, err)
	}
	return keepServing(ctx, stdout, w)
}
