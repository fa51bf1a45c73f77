package register_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/deploy"
	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/register"
)

func TestBuildManifestSetsOnlyTheAddresses(t *testing.T) {
	out, err := register.BuildManifest(deploy.AppManifest(), "https://bot.example.com/api/github/hook", "http://127.0.0.1:9/callback", "")
	require.NoError(t, err)
	var got, base map[string]any
	require.NoError(t, json.Unmarshal(out, &got))
	require.NoError(t, json.Unmarshal(deploy.AppManifest(), &base))
	assert.Equal(t, "https://bot.example.com/api/github/hook", got["hook_attributes"].(map[string]any)["url"])
	assert.Equal(t, true, got["hook_attributes"].(map[string]any)["active"])
	assert.Equal(t, "http://127.0.0.1:9/callback", got["redirect_url"])
	for _, k := range []string{"name", "url", "description", "public", "default_events", "default_permissions"} {
		assert.Equal(t, base[k], got[k], k)
	}

	named, err := register.BuildManifest(deploy.AppManifest(), "https://h", "http://r", "  Acme doctor ")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(named, &got))
	assert.Equal(t, "Acme doctor", got["name"])

	_, err = register.BuildManifest([]byte("{"), "https://h", "http://r", "")
	assert.Error(t, err)
}

func TestWebhookURL(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"https://bot.example.com", "https://bot.example.com/api/github/hook", ""},
		{"https://bot.example.com/", "https://bot.example.com/api/github/hook", ""},
		{"https://bot.example.com/custom/hook", "https://bot.example.com/custom/hook", ""},
		{"http://10.0.0.1:8080", "http://10.0.0.1:8080/api/github/hook", ""},
		{"", "", "required"},
		{"bot.example.com", "", "not an http(s) address"},
		{"https://user:pw@bot.example.com", "", "credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := register.WebhookURL(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, "https://bot.example.com", register.PublicURL("https://bot.example.com/api/github/hook"))
		})
	}
}

func TestURLs(t *testing.T) {
	assert.Equal(t, "https://api.github.com/", register.DefaultAPIURL("https://github.com/"))
	assert.Equal(t, "https://ghe.example.com/api/v3/", register.DefaultAPIURL("https://ghe.example.com"))

	u, err := register.NewAppURL("https://github.com/", "", "s1")
	require.NoError(t, err)
	assert.Equal(t, "https://github.com/settings/apps/new?state=s1", u)
	u, err = register.NewAppURL("https://ghe.example.com", "acme-corp", "s2")
	require.NoError(t, err)
	assert.Equal(t, "https://ghe.example.com/organizations/acme-corp/settings/apps/new?state=s2", u)
	_, err = register.NewAppURL("https://github.com", "acme?x=1", "s")
	assert.Error(t, err)
}

func TestRenderConfigParses(t *testing.T) {
	app := register.App{ID: 77, Slug: "doc", HTMLURL: "https://github.com/apps/doc", WebhookSecret: `se"cr: et`, PEM: testPEM(t),
		ClientID: "Iv1.x", ClientSecret: "cs"}
	data, err := register.RenderConfig(app, "https://github.com", "https://api.github.com/", "https://bot.example.com", time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	cfg, err := config.Parse(data)
	require.NoError(t, err, "%s", data)
	assert.Equal(t, int64(77), cfg.GitHub.App.IntegrationID)
	assert.Equal(t, `se"cr: et`, cfg.GitHub.App.WebhookSecret)
	assert.Equal(t, "Iv1.x", cfg.GitHub.OAuth.ClientID)
	assert.Contains(t, string(data), "2026-05-01T00:00:00Z")
	assert.Contains(t, string(data), "bot serve --config")
}
