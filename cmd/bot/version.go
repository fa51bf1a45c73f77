package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/version"
)

func newVersionCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version [--json]",
		Short: "Print the version, commit and build date",
		Long: `Print the running binary's version, the git commit it was built from, the build
date, the Go version and the platform. The server exports the same as the
ghcr_doctor_build_info metric.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := version.Info()
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			}
			fmt.Fprintf(out, "ghcr-doctor %s\ncommit:   %s\nbuilt:    %s\ngo:       %s\nplatform: %s\n", b.Version, b.Commit, b.Date, b.GoVersion, b.Platform)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}
