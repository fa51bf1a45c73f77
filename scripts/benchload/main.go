// Command benchload measures ghcr-doctor's webhook intake and its fairness
// between installations against the simulated GitHub. It is run by
// scripts/bench-intake.sh and scripts/bench-fairness.sh, which build the bot
// and print the figures beside their references and targets.
//
//	benchload bare -secret S                 a bare net/http handler that only checks the signature
//	benchload intake -bot PATH [flags]       signed deliveries from concurrent senders, bot and bare alternating
//	benchload fairness -bot PATH [flags]     one installation floods, the others' delivery→report delays
//
// The bot runs as a subprocess (`bot serve`), so its peak RSS is its own.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchload bare|intake|fairness [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "bare":
		err = runBare(os.Args[2:])
	case "intake":
		err = runIntake(os.Args[2:])
	case "fairness":
		err = runFairness(os.Args[2:])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchload:", err)
		os.Exit(1)
	}
}
