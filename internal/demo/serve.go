package demo

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/server"
)

// InstallationToken asks the fake GitHub for an installation token, as an
// App does: POST /app/installations/{id}/access_tokens with a JWT signed by
// the App's key. permissions, when not nil, narrows the token.
func InstallationToken(ctx context.Context, fake *githubfake.Server, installationID int64, permissions map[string]string) (string, error) {
	atr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, fake.AppID(), fake.AppPrivateKeyPEM())
	if err != nil {
		return "", fmt.Errorf("signing the App's JWT: %w", err)
	}
	atr.BaseURL = fake.URL()
	gh := github.NewClient(&http.Client{Transport: atr})
	if gh.BaseURL, err = url.Parse(fake.URL() + "/"); err != nil {
		return "", err
	}
	var opts *github.InstallationTokenOptions
	if permissions != nil {
		var perms github.InstallationPermissions
		if err := remarshal(permissions, &perms); err != nil {
			return "", err
		}
		opts = &github.InstallationTokenOptions{Permissions: &perms}
	}
	tok, _, err := gh.Apps.CreateInstallationToken(ctx, installationID, opts)
	if err != nil {
		return "", fmt.Errorf("creating an installation token: %w", err)
	}
	return tok.GetToken(), nil
}

// PrintServeInfo tells how to reach the simulated GitHub and the bot.
func (w *World) PrintServeInfo(ctx context.Context, out io.Writer) error {
	token, err := InstallationToken(ctx, w.Fake, InstallationID, nil)
	if err != nil {
		return err
	}
	api, repo := w.Fake.URL(), Owner+"/"+Repo
	fmt.Fprintf(out, `
Simulated GitHub and ghcr-doctor keep running until Ctrl-C.

  GitHub API (simulated)  %[1]s/
  ghcr-doctor             %[2]s  (webhooks: POST %[3]s, signed with %[4]q)
  health                  %[2]s%[5]s
  metrics                 %[2]s%[6]s
  installation token      %[7]s  (valid for an hour)

Try:

  curl -s %[2]s%[5]s
  curl -s -H "Authorization: Bearer %[7]s" %[1]s/repos/%[8]s/issues
  curl -s -H "Authorization: Bearer %[7]s" %[1]s/repos/%[8]s/commits/%[9]s/check-runs
  curl -s -H "Authorization: Bearer %[7]s" %[1]s/repos/%[8]s/pulls
`, api, w.BotURL, server.HookPath, WebhookSecret, server.HealthPath, server.MetricsPath, token, repo, w.head)
	if w.run != 0 {
		fmt.Fprintf(out, "  GITHUB_TOKEN=%s go run ./cmd/bot diagnose --api-url %s/ --repo %s --run %d\n", token, api, repo, w.run)
	}
	if w.pull != 0 {
		fmt.Fprintf(out, "  curl -s -H \"Authorization: Bearer %s\" %s/repos/%s/pulls/%d/reviews\n", token, api, repo, w.pull)
	}
	return nil
}
