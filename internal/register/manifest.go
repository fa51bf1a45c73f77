package register

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// hookPath is where ghcr-doctor's server takes webhooks; a webhook URL
// given without a path gets it appended.
const hookPath = "/api/github/hook"

// WebhookURL checks the address GitHub will deliver webhooks to and, when
// it has no path, appends the server's hook path.
func WebhookURL(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", errors.New("a webhook URL is required: the public address of `bot serve`, e.g. https://ghcr-doctor.example.com" + hookPath)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("webhook URL %q is not an http(s) address", raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("webhook URL %q must not carry credentials", raw)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = hookPath
	}
	return u.String(), nil
}

// PublicURL is the server's public address: the webhook URL without the hook path.
func PublicURL(webhookURL string) string {
	return strings.TrimSuffix(webhookURL, hookPath)
}

// BuildManifest returns the App manifest with the webhook URL, the redirect
// URL and, when not empty, the App's name set; every other field is kept as
// the base manifest has it.
func BuildManifest(base []byte, webhookURL, redirectURL, name string) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(base, &m); err != nil {
		return nil, fmt.Errorf("reading the App manifest: %w", err)
	}
	hook, _ := m["hook_attributes"].(map[string]any)
	if hook == nil {
		hook = map[string]any{"active": true}
	}
	hook["url"] = webhookURL
	m["hook_attributes"] = hook
	m["redirect_url"] = redirectURL
	if name = strings.TrimSpace(name); name != "" {
		m["name"] = name
	}
	if s, _ := m["name"].(string); s == "" {
		return nil, errors.New("the App manifest has no name")
	}
	out, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encoding the App manifest: %w", err)
	}
	return out, nil
}

// WithSettingsChanges raises the manifest's Administration permission to
// write, which `/ghcr fix --settings` needs, and, for an organisation's App
// (org true), Organization administration too, for `/ghcr fix
// --org-settings`. The manifest asks for read by default: least privilege.
func WithSettingsChanges(manifest []byte, org bool) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(manifest, &m); err != nil {
		return nil, fmt.Errorf("reading the App manifest: %w", err)
	}
	perms, _ := m["default_permissions"].(map[string]any)
	if perms == nil {
		return nil, errors.New("the App manifest has no default_permissions")
	}
	perms["administration"] = "write"
	if org {
		perms["organization_administration"] = "write"
	}
	out, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encoding the App manifest: %w", err)
	}
	return out, nil
}
