package config

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testKey(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
}

func indent(s string) string {
	return "      " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n      ")
}

func TestParse(t *testing.T) {
	key := testKey(t)
	full := "github:\n  v3_api_url: https://ghe.example.com/api/v3\n  app:\n    integration_id: 42\n    webhook_secret: s3cret\n    private_key: |\n" + indent(key) + "\n"
	tests := []struct {
		name    string
		yaml    string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c *Config)
	}{
		{name: "full file", yaml: full, check: func(t *testing.T, c *Config) {
			assert.EqualValues(t, 42, c.GitHub.App.IntegrationID)
			assert.Equal(t, "https://ghe.example.com/api/v3/", c.GitHub.V3APIURL)
			assert.Equal(t, "https://ghe.example.com/api/graphql", c.GitHub.V4APIURL)
			assert.Equal(t, DefaultPort, c.Server.Port)
			assert.Equal(t, DefaultWebURL, c.GitHub.WebURL)
		}},
		{name: "unknown key is named", yaml: full + "servr:\n  port: 1\n", wantErr: "field servr not found"},
		{name: "missing secret is named", yaml: "github:\n  app:\n    integration_id: 1\n    private_key: |\n" + indent(key) + "\n",
			wantErr: "github.app.webhook_secret is required"},
		{name: "everything from the environment", yaml: "", env: map[string]string{
			EnvIntegrationID: "7", EnvWebhookSecret: "x", EnvPrivateKey: key}, check: func(t *testing.T, c *Config) {
			assert.EqualValues(t, 7, c.GitHub.App.IntegrationID)
			assert.Equal(t, "x", c.GitHub.App.WebhookSecret)
		}},
		{name: "a file of comments only", yaml: "# everything comes from the environment\n\n", env: map[string]string{
			EnvIntegrationID: "7", EnvWebhookSecret: "x", EnvPrivateKey: key}, check: func(t *testing.T, c *Config) {
			assert.EqualValues(t, 7, c.GitHub.App.IntegrationID)
		}},
		{name: "github.com's GraphQL URL", yaml: "", env: map[string]string{
			EnvIntegrationID: "7", EnvWebhookSecret: "x", EnvPrivateKey: key}, check: func(t *testing.T, c *Config) {
			assert.Equal(t, "https://api.github.com/graphql", c.GitHub.V4APIURL)
		}},
		{name: "environment overrides the file", yaml: full, env: map[string]string{EnvWebhookSecret: "from-env"}, check: func(t *testing.T, c *Config) {
			assert.Equal(t, "from-env", c.GitHub.App.WebhookSecret)
		}},
		{name: "GraphQL URL from the environment", yaml: full, env: map[string]string{EnvV4APIURL: "https://ghe.example.com/api/graphql2"}, check: func(t *testing.T, c *Config) {
			assert.Equal(t, "https://ghe.example.com/api/graphql2", c.GitHub.V4APIURL)
		}},
		{name: "bad integration id in env", yaml: full, env: map[string]string{EnvIntegrationID: "abc"}, wantErr: EnvIntegrationID},
		{name: "key that is not PEM", yaml: "github:\n  app:\n    integration_id: 1\n    webhook_secret: s\n    private_key: nope\n", wantErr: "github.app.private_key: not PEM"},
		{name: "bad api url", yaml: full + "", env: map[string]string{EnvV3APIURL: "ftp://x"}, wantErr: "github.v3_api_url"},
		{name: "all missing lists every key", yaml: "", wantErr: "github.app.integration_id is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{EnvIntegrationID, EnvWebhookSecret, EnvPrivateKey, EnvPrivateKeyPath, EnvWebURL, EnvV3APIURL, EnvV4APIURL} {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c, err := Parse([]byte(tt.yaml))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			tt.check(t, c)
		})
	}
}

func TestPrivateKeyPath(t *testing.T) {
	key := testKey(t)
	p := filepath.Join(t.TempDir(), "key.pem")
	require.NoError(t, os.WriteFile(p, []byte(key), 0o600))
	t.Setenv(EnvPrivateKeyPath, p)
	c, err := Parse([]byte("github:\n  app:\n    integration_id: 3\n    webhook_secret: s\n"))
	require.NoError(t, err)
	assert.Equal(t, key, c.GitHub.App.PrivateKey)

	t.Setenv(EnvPrivateKeyPath, filepath.Join(t.TempDir(), "missing.pem"))
	_, err = Parse([]byte("github:\n  app:\n    integration_id: 3\n    webhook_secret: s\n"))
	require.ErrorContains(t, err, EnvPrivateKeyPath)
}

// TestExampleConfigParses: the example is valid YAML with known keys, and
// its placeholders are refused until the environment replaces them.
func TestExampleConfigParses(t *testing.T) {
	data, err := os.ReadFile("../../config/ghcr-doctor.example.yml")
	require.NoError(t, err)
	t.Setenv(EnvPrivateKey, testKey(t))
	_, err = Parse(data)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "github.app.integration_id: 123456 is the example's placeholder")
	assert.Contains(t, err.Error(), `github.app.webhook_secret: "change-me" is the example's placeholder`)

	t.Setenv(EnvIntegrationID, "42")
	t.Setenv(EnvWebhookSecret, "s3cret")
	c, err := Parse(data)
	require.NoError(t, err)
	assert.EqualValues(t, 42, c.GitHub.App.IntegrationID)
}
