package selfcheck

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
)

// Check names.
const (
	CheckCredentials = "GitHub App credentials"
	CheckWebhookURL  = "webhook URL"
	CheckWebhookTLS  = "webhook SSL verification"
	CheckWebhookType = "webhook content type"
	CheckWebhookKey  = "webhook secret"
)

// AppClient is a client authenticated as the App (a JWT signed with its key).
func AppClient(cfg *config.Config, opts Options) (*github.Client, error) {
	atr, err := ghinstallation.NewAppsTransport(opts.Transport, cfg.GitHub.App.IntegrationID, []byte(cfg.GitHub.App.PrivateKey))
	if err != nil {
		return nil, fmt.Errorf("reading the App's private key: %w", err)
	}
	gh := github.NewClient(&http.Client{Transport: atr, Timeout: opts.Timeout})
	base, err := url.Parse(strings.TrimRight(cfg.GitHub.V3APIURL, "/") + "/")
	if err != nil {
		return nil, fmt.Errorf("github.v3_api_url: %w", err)
	}
	gh.BaseURL = base
	return gh, nil
}

func checkGitHub(ctx context.Context, cfg *config.Config, opts Options) []CheckResult {
	gh, err := AppClient(cfg, opts)
	if err != nil {
		return []CheckResult{{Check: CheckCredentials, Status: Problem, Detail: err.Error(),
			Fix: "use the .pem file from the App's settings page (General → Private keys)"}}
	}
	creds := Credentials(ctx, gh, cfg.GitHub.App.IntegrationID, cfg.GitHub.V3APIURL)
	if creds.Status != OK {
		return []CheckResult{creds}
	}
	return append([]CheckResult{creds}, Webhook(ctx, gh, cfg.Server.PublicURL, opts.HookPath)...)
}

// Credentials asks GitHub who the App is (GET /app): it answers only for
// the App's ID signed with one of the App's current private keys.
func Credentials(ctx context.Context, gh *github.Client, id int64, apiURL string) CheckResult {
	app, resp, err := gh.Apps.Get(ctx, "")
	if err != nil {
		return githubFailure(CheckCredentials, "GET /app", resp, err, apiURL, fmt.Sprintf(
			"check that github.app.integration_id (%d) is the App ID on the App's settings page (General → About) and that "+
				"github.app.private_key is one of that App's current keys (General → Private keys; a deleted key stops working at once); "+
				"the server's clock must also be right to within a minute", id))
	}
	owner := app.GetOwner().GetLogin()
	return CheckResult{Check: CheckCredentials, Status: OK,
		Detail: fmt.Sprintf("GitHub knows the App %q (ID %d), owned by %s", app.GetSlug(), app.GetID(), owner)}
}

// githubFailure explains a failed call: refused credentials are a problem
// to fix; an unreachable GitHub is one to wait out or fix in the network.
func githubFailure(check, call string, resp *github.Response, err error, apiURL, credFix string) CheckResult {
	var ge *github.ErrorResponse
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		msg := err.Error()
		if errors.As(err, &ge) {
			msg = ge.Message
		}
		return CheckResult{Check: check, Status: Problem, Detail: fmt.Sprintf("GitHub refused the App's credentials for %s (%d: %s)", call, status, msg), Fix: credFix}
	case status == http.StatusNotFound:
		return CheckResult{Check: check, Status: Problem, Detail: fmt.Sprintf("%s answered 404 at %s", call, apiURL),
			Fix: "github.v3_api_url must be GitHub's REST API: https://api.github.com/ or, for GitHub Enterprise Server, https://HOST/api/v3/"}
	case status >= 500 || status == 0:
		return CheckResult{Check: check, Status: Problem, Unreachable: true, Detail: fmt.Sprintf("could not reach GitHub at %s: %v", apiURL, err),
			Fix: "check github.v3_api_url and that this host reaches it (DNS, firewall, HTTPS_PROXY); GitHub's status page tells about outages"}
	}
	return CheckResult{Check: check, Status: Problem, Detail: fmt.Sprintf("%s failed: %v", call, err), Fix: credFix}
}
