package selfcheck

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
)

// webhookPage is where an App's webhook is set.
const webhookPage = "on the App's settings page (General → Webhook)"

// Webhook reads the App's webhook configuration back from GitHub (GET
// /app/hook/config) and compares it with this server: deliveries must go
// to publicURL+hookPath, verified over TLS, signed with a secret.
func Webhook(ctx context.Context, gh *github.Client, publicURL, hookPath string) []CheckResult {
	hc, resp, err := gh.Apps.GetHookConfig(ctx)
	if err != nil {
		return []CheckResult{githubFailure(CheckWebhookURL, "GET /app/hook/config", resp, err, gh.BaseURL.String(),
			"the App's credentials work for GET /app, so this is GitHub's side: try again")}
	}
	return []CheckResult{hookURL(hc.GetURL(), publicURL, hookPath), hookTLS(hc.GetInsecureSSL()), hookType(hc.GetContentType()), hookSecret(hc.Secret)}
}

func hookURL(got, publicURL, hookPath string) CheckResult {
	r := CheckResult{Check: CheckWebhookURL}
	if publicURL == "" {
		if got == "" {
			r.Status, r.Detail = Problem, "the App has no webhook URL, so GitHub sends no events"
			r.Fix = "set Webhook URL " + webhookPage + " to this server's public address followed by " + hookPath + ", and tick Active; also set server.public_url"
			return r
		}
		r.Status, r.Detail = Warn, fmt.Sprintf("GitHub delivers to %s; server.public_url is not set, so it cannot be compared", got)
		r.Fix = fmt.Sprintf("set server.public_url to the address GitHub reaches this server at (%s, if that is this server)", strings.TrimSuffix(got, hookPath))
		return r
	}
	want := strings.TrimRight(publicURL, "/") + hookPath
	switch {
	case got == "":
		r.Status, r.Detail = Problem, "the App has no webhook URL, so GitHub sends no events"
		r.Fix = fmt.Sprintf("set Webhook URL %s to %s and tick Active", webhookPage, want)
	case got != want:
		r.Status, r.Detail = Problem, fmt.Sprintf("GitHub delivers to %s, but this server takes webhooks at %s (server.public_url + %s)", got, want, hookPath)
		r.Fix = fmt.Sprintf("set Webhook URL %s to %s, or correct server.public_url", webhookPage, want)
	default:
		r.Status, r.Detail = OK, "GitHub delivers to "+got
	}
	return r
}

func hookTLS(insecure string) CheckResult {
	if insecure == "1" {
		return CheckResult{Check: CheckWebhookTLS, Status: Problem,
			Detail: "GitHub delivers without verifying this server's certificate (insecure_ssl is 1)",
			Fix:    "enable SSL verification " + webhookPage + ", with a certificate GitHub trusts"}
	}
	return CheckResult{Check: CheckWebhookTLS, Status: OK, Detail: "GitHub verifies the certificate"}
}

func hookType(ct string) CheckResult {
	if ct != "" && ct != "json" {
		return CheckResult{Check: CheckWebhookType, Status: Warn, Detail: fmt.Sprintf("GitHub delivers %s; ghcr-doctor reads it, but the App manifest sets json", ct),
			Fix: "choose Content type application/json " + webhookPage}
	}
	return CheckResult{Check: CheckWebhookType, Status: OK, Detail: "json"}
}

func hookSecret(secret *string) CheckResult {
	if secret == nil || *secret == "" {
		return CheckResult{Check: CheckWebhookKey, Status: Problem,
			Detail: "the App has no webhook secret, so its deliveries are unsigned and this server refuses every one (401)",
			Fix:    "set Webhook secret " + webhookPage + " to the value of github.app.webhook_secret"}
	}
	return CheckResult{Check: CheckWebhookKey, Status: OK, Detail: "set (GitHub never shows it: a different value shows as 401s in the App's Recent Deliveries)"}
}
