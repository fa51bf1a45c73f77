package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/deploy"
	"github.com/ghcr-doctor/ghcr-doctor/internal/register"
)

const registerHelp = `Create ghcr-doctor's GitHub App from its manifest and write a ready
configuration file, so no private key is copied by hand.

bot register serves a page on 127.0.0.1 and prints its address. Open it in a
browser signed in to GitHub and press the button: it posts ghcr-doctor's App
manifest (deploy/app-manifest.json, with your webhook URL) to GitHub, which shows
the App and creates it when you confirm. GitHub then sends the browser back to the
local page with a one-time code; bot register checks that the answer belongs to
this registration (its state), exchanges the code for the App's ID, webhook secret
and private key, writes them to the configuration file (mode 0600) and exits.

The file must not exist: bot register never overwrites one. Inside a git work
tree it writes only a file named with --out (a warning reminds you to keep it
out of commits): by default it refuses, so a private key is not committed by
accident. It holds the App ID
(github.app.integration_id), the webhook secret, the private key and the web and
API addresses; "bot serve --config FILE" starts the server with it. Then install
the App on the repositories to watch, at the address printed at the end.

The App asks for read access to repository administration only: enough to read
the default workflow permissions. --allow-settings-changes asks for write instead,
which "/ghcr fix --settings" needs to change them (and, with --org, for write
access to organisation administration, for "/ghcr fix --org-settings"); each
repository or organisation must still opt in (.github/ghcr-doctor.yml).

When GitHub created the App but exchanging its code for the credentials failed,
bot register prints the command that finishes the registration: the same flags
and --resume CODE (the code is valid for an hour). When GitHub's answer holds no
webhook secret, bot register makes one and sets it through the API.

For an organisation's App use --org; for GitHub Enterprise Server, --web-url
(the API address is derived as WEB/api/v3/ unless --api-url says otherwise).`

func newRegisterCmd() *cobra.Command {
	var opts register.Options
	cmd := &cobra.Command{
		Use:   "register --webhook-url URL [--org ORG] [--out FILE] [--allow-settings-changes] [--resume CODE]",
		Short: "Create the GitHub App from its manifest and write its configuration",
		Long:  registerHelp,
		Example: `  bot register --webhook-url https://ghcr-doctor.example.com
  bot register --webhook-url https://ghcr-doctor.example.com --org acme --name "Acme ghcr-doctor"
  bot register --webhook-url https://bot.ghe.example.com --web-url https://ghe.example.com --out ghe.yml
  bot register --webhook-url https://ghcr-doctor.example.com --resume 0123abcd`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			stdout := cmd.OutOrStdout()
			if opts.WebhookURL == "" {
				return usageError("--webhook-url is required: the public address GitHub sends webhooks to")
			}
			if _, err := register.WebhookURL(opts.WebhookURL); err != nil {
				return usageError("--webhook-url: %v", err)
			}
			if err := register.CheckAbsent(opts.Out); err != nil {
				return usageError("--out: %v", err)
			}
			if err := keepOutOfGit(cmd, opts.Out); err != nil {
				return err
			}
			opts.Manifest = deploy.AppManifest()
			opts.Log = cmd.ErrOrStderr()
			opts.Ready = func(page string) {
				fmt.Fprintf(stdout, "Open %s in a browser signed in to GitHub and press the button.\n"+
					"Waiting for GitHub to send the browser back (Ctrl-C to stop)...\n", page)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			res, err := runOrResume(ctx, opts)
			if err != nil {
				return &exitCodeError{code: 2, err: withResumeHint(err, opts)}
			}
			for _, n := range res.Notes {
				fmt.Fprintln(stdout, n)
			}
			for _, w := range res.Warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w)
			}
			fmt.Fprintf(stdout, `
Registered the GitHub App %q (ID %d) owned by %s.
Wrote its configuration to %s (mode 0600; it holds the private key: keep it secret).

Next:
  1. Check the configuration where the server will run:
       bot check --config %s
  2. Start the server where %s reaches it:
       bot serve --config %s
  3. Install the App on the repositories to watch: %s
`, res.App.Slug, res.App.ID, res.App.Owner, res.ConfigPath, res.ConfigPath, opts.WebhookURL, res.ConfigPath, res.App.InstallURL())
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.WebhookURL, "webhook-url", "", "where GitHub sends webhooks: bot serve's public address (the hook path /api/github/hook is added when the URL has no path) (required)")
	fl.StringVar(&opts.Org, "org", "", "register the App for this organisation instead of your user")
	fl.StringVar(&opts.Name, "name", "", "the App's name (default: the manifest's, ghcr-doctor; App names are unique on GitHub)")
	fl.StringVar(&opts.WebURL, "web-url", register.DefaultWebURL, "GitHub's web address (GitHub Enterprise Server: https://HOST)")
	fl.StringVar(&opts.APIURL, "api-url", "", "GitHub's REST API (default https://api.github.com/, or WEB/api/v3/ for GitHub Enterprise Server)")
	fl.StringVar(&opts.ResumeCode, "resume", "", "finish a registration whose code exchange failed: the code GitHub sent back (valid for an hour); no browser needed")
	fl.IntVar(&opts.Port, "listen", 0, "the local page's port on 127.0.0.1 (default: a free port)")
	fl.BoolVar(&opts.AllowSettingsChanges, "allow-settings-changes", false, "ask for Administration: write (and, with --org, Organization administration: write), which /ghcr fix --settings and --org-settings need")
	fl.StringVar(&opts.Out, "out", "ghcr-doctor.yml", "the configuration file to write; it must not exist (inside a git work tree, name it explicitly)")
	return cmd
}
