package deploy_test

import (
	"net"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
)

// containerConfigs are the configuration files the deployments mount, by name.
func containerConfigs(t *testing.T) map[string][]byte {
	t.Helper()
	return map[string][]byte{
		"config.yml":           readFile(t, "config.yml"),
		"ConfigMap config.yml": configMapConfig(t),
	}
}

func TestContainerConfigsParse(t *testing.T) {
	for name, data := range containerConfigs(t) {
		t.Run(name, func(t *testing.T) {
			cfg := parseConfig(t, name, data)

			assert.Equal(t, config.DefaultPort, cfg.Server.Port, "the port the image EXPOSEs and the probes use")
			ip := net.ParseIP(cfg.Server.Address)
			require.NotNil(t, ip, "server.address %q", cfg.Server.Address)
			assert.False(t, ip.IsLoopback(), "server.address %q: a container must listen beyond loopback", cfg.Server.Address)

			u, err := url.Parse(cfg.Server.PublicURL)
			require.NoError(t, err, "server.public_url")
			assert.Equal(t, "https", u.Scheme, "GitHub delivers webhooks to %q over TLS", cfg.Server.PublicURL)

			assert.Equal(t, imageDataDir, cfg.Queue.DataDir, "queue.data_dir is the image's writable volume")
			assert.Empty(t, cfg.Queue.PostgresURL, "the queue URL holds a password: %s sets it", config.EnvPostgresURL)
		})
	}
}

func TestContainerConfigsHoldNoSecrets(t *testing.T) {
	for name, data := range containerConfigs(t) {
		t.Run(name, func(t *testing.T) {
			var raw struct {
				GitHub struct {
					App map[string]any `yaml:"app"`
				} `yaml:"github"`
				Queue map[string]any `yaml:"queue"`
			}
			require.NoError(t, yaml.Unmarshal(data, &raw))
			for _, key := range []string{"integration_id", "webhook_secret", "private_key"} {
				assert.NotContains(t, raw.GitHub.App, key, "github.app.%s comes from the environment", key)
			}
			assert.NotContains(t, raw.Queue, "postgres_url", "queue.postgres_url holds a password: %s comes from the environment", config.EnvPostgresURL)
		})
	}
}

func TestContainerConfigsAgree(t *testing.T) {
	file := parseConfig(t, "deploy/config.yml", readFile(t, "config.yml"))
	configMap := parseConfig(t, "ConfigMap config.yml", configMapConfig(t))
	assert.Equal(t, file, configMap, "kubernetes/configmap.yaml must carry the same settings as deploy/config.yml")
}
