package register

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

// NewWebhookSecret makes a random webhook secret.
func NewWebhookSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making a webhook secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// SetWebhookSecret sets the App's webhook secret through PATCH
// /app/hook/config, authenticated as the App with its new private key.
func SetWebhookSecret(ctx context.Context, client *http.Client, apiURL string, app App, secret string) error {
	base := client.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	atr, err := ghinstallation.NewAppsTransport(base, app.ID, []byte(app.PEM))
	if err != nil {
		return fmt.Errorf("reading the App's private key: %w", err)
	}
	gh := github.NewClient(&http.Client{Transport: atr, Timeout: client.Timeout})
	api, err := checkBaseURL("API URL", apiURL)
	if err != nil {
		return err
	}
	if gh.BaseURL, err = url.Parse(api + "/"); err != nil {
		return fmt.Errorf("API URL: %w", err)
	}
	if _, _, err := gh.Apps.UpdateHookConfig(ctx, &github.HookConfig{Secret: github.String(secret)}); err != nil {
		return fmt.Errorf("setting the App's webhook secret (PATCH /app/hook/config): %w", err)
	}
	return nil
}
