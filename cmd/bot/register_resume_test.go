package main

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/register"
)

// registerOnce runs bot register against the manifest flow, presses the
// button over HTTP and returns the exit code and output.
func registerOnce(t *testing.T, mf *githubfake.ManifestFlow, out string) (int, string, string) {
	t.Helper()
	args := []string{"register", "--webhook-url", "https://bot.example.com", "--web-url", mf.URL(), "--api-url", mf.URL() + "/", "--out", out}
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	code := make(chan int, 1)
	go func() { code <- run(args, strings.NewReader(""), stdout, stderr) }()
	page := waitFor(t, stdout, regexp.MustCompile(`Open (http://127\.0\.0\.1:\d+/) in a browser`), code)

	resp, err := http.Get(page)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	action := regexp.MustCompile(`action="([^"]+)"`).FindStringSubmatch(string(body))
	manifest := regexp.MustCompile(`name="manifest" value="([^"]+)"`).FindStringSubmatch(string(body))
	require.NotNil(t, action)
	require.NotNil(t, manifest)
	resp, err = http.PostForm(html.UnescapeString(action[1]), url.Values{"manifest": {html.UnescapeString(manifest[1])}})
	require.NoError(t, err)
	resp.Body.Close()
	select {
	case c := <-code:
		return c, stdout.String(), stderr.String()
	case <-time.After(30 * time.Second):
		t.Fatal("bot register did not finish")
	}
	return 0, "", ""
}

func newManifestFlow(t *testing.T) *githubfake.ManifestFlow {
	t.Helper()
	fake := githubfake.New(githubfake.Options{AppKey: sharedFakeKey(t)})
	t.Cleanup(fake.Close)
	mf := fake.StartManifestFlow()
	t.Cleanup(mf.Close)
	return mf
}

// TestRegisterResumesAFailedExchange: GitHub created the App but the code
// exchange failed; bot register prints the command that finishes it, and
// that command, run as printed, writes the configuration.
func TestRegisterResumesAFailedExchange(t *testing.T) {
	mf := newManifestFlow(t)
	mf.FailConversions(1)
	out := filepath.Join(t.TempDir(), "ghcr-doctor.yml")
	code, _, stderr := registerOnce(t, mf, out)
	require.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "GitHub created the App, but exchanging its code for the App's credentials failed")
	assert.NoFileExists(t, out)

	m := regexp.MustCompile(`(?m)^  bot (register --resume .*)$`).FindStringSubmatch(stderr)
	require.NotNil(t, m, "the resume command in:\n%s", stderr)
	r := runBot(t, "", strings.Fields(m[1])...)
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "Registered the GitHub App")

	apps := mf.Apps()
	require.Len(t, apps, 1)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	cfg, err := config.Parse(data)
	require.NoError(t, err)
	assert.Equal(t, apps[0].ID, cfg.GitHub.App.IntegrationID)
	assert.Equal(t, "https://bot.example.com", cfg.Server.PublicURL)
}

// TestRegisterSetsAMissingWebhookSecret: an answer without a webhook
// secret gets one, set on the App through PATCH /app/hook/config.
func TestRegisterSetsAMissingWebhookSecret(t *testing.T) {
	mf := newManifestFlow(t)
	mf.OmitWebhookSecret(true)
	out := filepath.Join(t.TempDir(), "ghcr-doctor.yml")
	code, stdout, stderr := registerOnce(t, mf, out)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "GitHub's answer held no webhook secret, so a new one was made, set on the App (PATCH /app/hook/config)")

	apps := mf.Apps()
	require.Len(t, apps, 1)
	require.NotEmpty(t, apps[0].WebhookSecret, "the App has a secret now")
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	cfg, err := config.Parse(data)
	require.NoError(t, err)
	assert.Equal(t, apps[0].WebhookSecret, cfg.GitHub.App.WebhookSecret, "the App and the configuration share it")
	assert.Len(t, cfg.GitHub.App.WebhookSecret, 64)
}

func TestResumeCommandQuotes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain.yml", "--out plain.yml"},
		{"my file.yml", "--out 'my file.yml'"},
		{"it's.yml", `--out 'it'\''s.yml'`},
	}
	for _, tt := range tests {
		assert.Contains(t, resumeCommand("c0de", registerOpts("https://b.example", tt.in)), tt.want)
	}
}

func registerOpts(webhook, out string) register.Options {
	return register.Options{WebhookURL: webhook, Out: out}
}
