// Command bot is ghcr-doctor: a GitHub App that explains and fixes failed
// pushes to GitHub Packages. `bot serve` runs the App; `bot demo` plays it
// against a simulated GitHub; `bot diagnose` diagnoses a run with a plain
// token; `bot register` creates the App from its manifest; `bot check`
// checks a configuration against GitHub; `bot scan` scans saved job logs;
// `bot audit` checks workflow files before they run.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/version"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status: 0 success,
// 1 "found something" (scan), 2 usage or runtime error.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ec *exitCodeError
	if errors.As(err, &ec) {
		if ec.err != nil {
			fmt.Fprintln(stderr, "error:", ec.err)
		}
		return ec.code
	}
	fmt.Fprintln(stderr, "error:", err)
	return 2
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "bot",
		Short: "ghcr-doctor explains and fixes failed pushes to GitHub Packages",
		Long: `ghcr-doctor is a GitHub App: when a GitHub Actions run fails to push to ghcr.io
or another GitHub Packages registry, it finds the error in the job logs, works out
why, and explains the fix in a check run and a pull-request comment.

Start with 'bot demo': it shows the whole story against a simulated GitHub.`,
		Version:       version.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newActionCmd())
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitCodeError{code: 2, err: fmt.Errorf("%w\nrun '%s --help' for usage", err, c.CommandPath())}
	})
	root.AddCommand(newServeCmd(), newCheckCmd(), newScanCmd(), newAuditCmd(), newDemoCmd(), newDiagnoseCmd(), newRegisterCmd(), newVersionCmd())
	return root
}
