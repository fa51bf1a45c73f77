package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

const (
	checkAppID     = 77
	checkPublicURL = "https://bot.example.com"
	checkHookURL   = checkPublicURL + "/api/github/hook"
	checkSecret    = "s3cret"
)

// checkSetup is one configuration and one simulated GitHub for bot check.
type checkSetup struct {
	fake    *githubfake.Server
	dir     string
	id      int
	secret  string
	key     string
	public  string
	apiURL  string
	dataDir string
	pgURL   string
}

func newCheckSetup(t *testing.T) *checkSetup {
	t.Helper()
	for _, k := range []string{config.EnvIntegrationID, config.EnvWebhookSecret, config.EnvPrivateKey, config.EnvPrivateKeyPath,
		config.EnvWebURL, config.EnvV3APIURL, config.EnvDataDir, config.EnvPostgresURL} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	fake := githubfake.New(githubfake.Options{AppID: checkAppID, AppSlug: "ghcr-doctor", AppKey: sharedFakeKey(t)})
	t.Cleanup(fake.Close)
	fake.SetAppHookConfig(githubfake.HookConfig{URL: checkHookURL, Secret: checkSecret})
	dir := t.TempDir()
	return &checkSetup{fake: fake, dir: dir, id: checkAppID, secret: checkSecret, key: string(fake.AppPrivateKeyPEM()),
		public: checkPublicURL, apiURL: fake.URL() + "/", dataDir: filepath.Join(dir, "data")}
}

func (s *checkSetup) write(t *testing.T) string {
	t.Helper()
	key := "      " + strings.ReplaceAll(strings.TrimSpace(s.key), "\n", "\n      ")
	cfg := fmt.Sprintf("server:\n  public_url: %q\ngithub:\n  v3_api_url: %s\n  app:\n    integration_id: %d\n    webhook_secret: %q\n    private_key: |\n%s\nqueue:\n  data_dir: %s\n  postgres_url: %q\n",
		s.public, s.apiURL, s.id, s.secret, key, s.dataDir, s.pgURL)
	p := filepath.Join(s.dir, "ghcr-doctor.yml")
	require.NoError(t, os.WriteFile(p, []byte(cfg), 0o600))
	return p
}

func otherRSAKey(t *testing.T) string {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
}

func ecKey(t *testing.T) string {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(k)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestCheckReportsEachBrokenSettingWithItsFix runs bot check against the
// simulated GitHub for a good configuration and for each broken setting.
func TestCheckReportsEachBrokenSettingWithItsFix(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(t *testing.T, s *checkSetup)
		code   int
		want   []string
	}{
		{"good", func(*testing.T, *checkSetup) {}, 0, []string{
			`ok       GitHub App credentials: GitHub knows the App "ghcr-doctor" (ID 77)`,
			"ok       webhook URL: GitHub delivers to " + checkHookURL,
			"ok       queue data directory:", "All checks passed."}},
		{"EC key", func(t *testing.T, s *checkSetup) { s.key = ecKey(t) }, 2, []string{
			"PROBLEM  configuration file: github.app.private_key: an ECDSA key, but GitHub App keys are RSA", "Generate a private key"}},
		{"placeholders from the example", func(t *testing.T, s *checkSetup) {
			s.id, s.secret = config.ExampleIntegrationID, config.ExampleWebhookSecret
		}, 2, []string{
			"github.app.integration_id: 123456 is the example's placeholder", `github.app.webhook_secret: "change-me" is the example's placeholder`}},
		{"another App's key", func(t *testing.T, s *checkSetup) { s.key = otherRSAKey(t) }, 2, []string{
			"PROBLEM  GitHub App credentials: GitHub refused the App's credentials for GET /app (401", "fix: check that github.app.integration_id (77)"}},
		{"wrong App ID", func(t *testing.T, s *checkSetup) { s.id = 78 }, 2, []string{
			"PROBLEM  GitHub App credentials: GitHub refused the App's credentials", "General → About"}},
		{"GitHub out of reach", func(t *testing.T, s *checkSetup) { s.apiURL = "http://" + closedPort(t) + "/" }, 2, []string{
			"PROBLEM  GitHub App credentials: could not reach GitHub", "fix: check github.v3_api_url"}},
		{"webhook to another address", func(t *testing.T, s *checkSetup) {
			s.fake.SetAppHookConfig(githubfake.HookConfig{URL: "https://old.example.com/api/github/hook", Secret: checkSecret})
		}, 2, []string{"PROBLEM  webhook URL: GitHub delivers to https://old.example.com/api/github/hook, but this server takes webhooks at " + checkHookURL,
			"fix: set Webhook URL on the App's settings page (General → Webhook) to " + checkHookURL}},
		{"public URL not set", func(t *testing.T, s *checkSetup) { s.public = "" }, 0, []string{
			"warn     webhook URL: GitHub delivers to " + checkHookURL + "; server.public_url is not set", "fix: set server.public_url"}},
		{"SSL verification off", func(t *testing.T, s *checkSetup) {
			s.fake.SetAppHookConfig(githubfake.HookConfig{URL: checkHookURL, Secret: checkSecret, InsecureSSL: "1"})
		}, 2, []string{"PROBLEM  webhook SSL verification:", "fix: enable SSL verification"}},
		{"form content type", func(t *testing.T, s *checkSetup) {
			s.fake.SetAppHookConfig(githubfake.HookConfig{URL: checkHookURL, Secret: checkSecret, ContentType: "form"})
		}, 0, []string{"warn     webhook content type: GitHub delivers form", "application/json"}},
		{"no webhook secret at GitHub", func(t *testing.T, s *checkSetup) {
			s.fake.SetAppHookConfig(githubfake.HookConfig{URL: checkHookURL})
		}, 2, []string{"PROBLEM  webhook secret: the App has no webhook secret", "fix: set Webhook secret"}},
		{"data directory not writable", func(t *testing.T, s *checkSetup) {
			require.NoError(t, os.WriteFile(s.dataDir, []byte("a file"), 0o600))
		}, 2, []string{"PROBLEM  queue data directory: " + "", "is not a directory", "queue.data_dir"}},
		{"PostgreSQL out of reach", func(t *testing.T, s *checkSetup) {
			s.pgURL = "postgres://bot:hunter2@" + closedPort(t) + "/ghcr?connect_timeout=5"
		}, 2, []string{"PROBLEM  queue database: cannot connect to postgres://bot:xxxxx@", "fix: check queue.postgres_url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newCheckSetup(t)
			tt.break_(t, s)
			r := runBot(t, "", "check", "--config", s.write(t))
			assert.Equal(t, tt.code, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			for _, w := range tt.want {
				assert.Contains(t, r.stdout, w)
			}
			assert.NotContains(t, r.stdout, "hunter2", "no password is printed")
			assert.NotContains(t, r.stdout, "BEGIN", "no key is printed")
		})
	}
}

func TestServeRefusesToStartOnAProblem(t *testing.T) {
	s := newCheckSetup(t)
	s.fake.SetAppHookConfig(githubfake.HookConfig{URL: checkHookURL})
	r := runBot(t, "", "serve", "--config", s.write(t))
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "not starting: the configuration check found 1 problem(s)")
	assert.Contains(t, r.stderr, "webhook secret: the App has no webhook secret")
}
