package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/register"
)

// keepOutOfGit refuses to write the App's secrets into a git work tree by
// default; with an explicit --out it warns instead.
func keepOutOfGit(cmd *cobra.Command, out string) error {
	root, inside, err := register.GitWorkTree(out)
	if err != nil {
		return usageError("--out: %v", err)
	}
	if !inside {
		return nil
	}
	if !cmd.Flags().Changed("out") {
		return usageError("refusing to write %s into the git work tree %s: it would hold the App's private key and webhook secret.\n"+
			"Run bot register outside the work tree, or name the file with --out (a path outside it, or one its .gitignore covers)", out, root)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s is inside the git work tree %s and will hold the App's private key: keep it out of commits (.gitignore).\n", out, root)
	return nil
}
