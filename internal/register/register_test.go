package register_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/deploy"
	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/register"
)

// running is one registration in a goroutine.
type running struct {
	page string
	done chan struct{}
	res  *register.Registration
	err  error
}

func start(t *testing.T, opts register.Options) *running {
	t.Helper()
	r := &running{done: make(chan struct{})}
	ready := make(chan string, 1)
	opts.Ready = func(u string) { ready <- u }
	if opts.Manifest == nil {
		opts.Manifest = deploy.AppManifest()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	go func() {
		defer close(r.done)
		r.res, r.err = register.Run(ctx, opts)
	}()
	select {
	case r.page = <-ready:
	case <-r.done:
		t.Fatalf("register ended before serving its page: %v", r.err)
	}
	return r
}

func (r *running) wait(t *testing.T) {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(30 * time.Second):
		t.Fatal("register did not finish")
	}
}

var (
	actionAttr   = regexp.MustCompile(`action="([^"]+)"`)
	manifestAttr = regexp.MustCompile(`name="manifest" value="([^"]+)"`)
)

// submit loads the local page and posts its form as the browser would,
// following GitHub's redirect back to the callback; it returns the last page.
func submit(t *testing.T, page string) (int, string) {
	t.Helper()
	resp, err := http.Get(page)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	action := actionAttr.FindStringSubmatch(string(body))
	manifest := manifestAttr.FindStringSubmatch(string(body))
	require.NotNil(t, action, "form action in:\n%s", body)
	require.NotNil(t, manifest, "manifest field in:\n%s", body)
	resp, err = http.PostForm(html.UnescapeString(action[1]), url.Values{"manifest": {html.UnescapeString(manifest[1])}})
	require.NoError(t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func newFlow(t *testing.T) *githubfake.ManifestFlow {
	t.Helper()
	fake := githubfake.New(githubfake.Options{})
	t.Cleanup(fake.Close)
	mf := fake.StartManifestFlow()
	t.Cleanup(mf.Close)
	return mf
}

func TestRegisterWritesAWorkingConfiguration(t *testing.T) {
	mf := newFlow(t)
	out := filepath.Join(t.TempDir(), "ghcr-doctor.yml")
	r := start(t, register.Options{WebhookURL: "https://bot.example.com", WebURL: mf.URL(), APIURL: mf.URL() + "/", Out: out, Name: "Acme ghcr-doctor"})

	status, page := submit(t, r.page)
	assert.Equal(t, http.StatusOK, status, page)
	assert.Contains(t, page, "is registered")
	r.wait(t)
	require.NoError(t, r.err)

	apps := mf.Apps()
	require.Len(t, apps, 1)
	app := apps[0]
	assert.True(t, app.Converted)
	assert.Equal(t, "Acme ghcr-doctor", app.Name)
	assert.Equal(t, "acme-ghcr-doctor", app.Slug)
	assert.Equal(t, "https://bot.example.com/api/github/hook", app.HookURL, "a webhook URL without a path gets the hook path")
	assert.Equal(t, r.page+"callback", app.RedirectURL)
	assert.Equal(t, "User", app.OwnerType)
	assert.Equal(t, "write", app.Permissions["checks"], "the manifest's permissions were posted")
	assert.ElementsMatch(t, []string{"workflow_run", "issue_comment", "check_run", "pull_request", "push"}, app.Events)

	assert.Equal(t, app.ID, r.res.App.ID)
	assert.Equal(t, "https://github.com/apps/acme-ghcr-doctor/installations/new", r.res.App.InstallURL())
	info, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	cfg, err := config.Parse(data)
	require.NoError(t, err, "the written file:\n%s", data)
	assert.Equal(t, app.ID, cfg.GitHub.App.IntegrationID)
	assert.Equal(t, app.WebhookSecret, cfg.GitHub.App.WebhookSecret)
	assert.Equal(t, strings.TrimSpace(string(app.PEM)), strings.TrimSpace(cfg.GitHub.App.PrivateKey))
	assert.Equal(t, mf.URL(), cfg.GitHub.WebURL)
	assert.Equal(t, mf.URL()+"/", cfg.GitHub.V3APIURL)
	assert.Equal(t, "https://bot.example.com", cfg.Server.PublicURL)

	// A second registration refuses before anything happens.
	_, err = register.Run(context.Background(), register.Options{Manifest: deploy.AppManifest(), WebhookURL: "https://bot.example.com", WebURL: mf.URL(), Out: out})
	require.ErrorIs(t, err, register.ErrExists)
	again, _ := os.ReadFile(out)
	assert.Equal(t, data, again, "the file is untouched")
}

func TestRegisterForAnOrganisationOnEnterpriseServer(t *testing.T) {
	mf := newFlow(t)
	out := filepath.Join(t.TempDir(), "app.yml")
	// No API URL: GitHub Enterprise Server's is derived, {web}/api/v3/.
	r := start(t, register.Options{WebhookURL: "https://bot.example.com/hooks/github", WebURL: mf.URL(), Org: "acme", Out: out})
	status, page := submit(t, r.page)
	require.Equal(t, http.StatusOK, status, page)
	r.wait(t)
	require.NoError(t, r.err)
	apps := mf.Apps()
	require.Len(t, apps, 1)
	assert.Equal(t, "acme", apps[0].Owner)
	assert.Equal(t, "Organization", apps[0].OwnerType)
	assert.Equal(t, "https://bot.example.com/hooks/github", apps[0].HookURL, "a webhook URL with a path is kept")
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	cfg, err := config.Parse(data)
	require.NoError(t, err)
	assert.Equal(t, mf.URL()+"/api/v3/", cfg.GitHub.V3APIURL)
}

func TestRegisterRefusesAForeignCallback(t *testing.T) {
	mf := newFlow(t)
	out := filepath.Join(t.TempDir(), "ghcr-doctor.yml")
	r := start(t, register.Options{WebhookURL: "https://bot.example.com", WebURL: mf.URL(), APIURL: mf.URL(), Out: out})

	resp, err := http.Get(r.page + "callback?code=abc&state=forged")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, string(body), "state does not match")
	assert.NoFileExists(t, out)

	req, err := http.NewRequest(http.MethodGet, r.page, nil)
	require.NoError(t, err)
	req.Host = "attacker.example:80"
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMisdirectedRequest, resp.StatusCode, "another host name is refused")

	// The genuine redirect still completes the registration.
	status, page := submit(t, r.page)
	assert.Equal(t, http.StatusOK, status, page)
	r.wait(t)
	require.NoError(t, r.err)
	assert.FileExists(t, out)
}

func TestRegisterNeverOverwritesAFileThatAppearedMeanwhile(t *testing.T) {
	mf := newFlow(t)
	out := filepath.Join(t.TempDir(), "ghcr-doctor.yml")
	r := start(t, register.Options{WebhookURL: "https://bot.example.com", WebURL: mf.URL(), APIURL: mf.URL(), Out: out})
	require.NoError(t, os.WriteFile(out, []byte("mine\n"), 0o644))

	status, page := submit(t, r.page)
	assert.Equal(t, http.StatusBadGateway, status)
	assert.Contains(t, page, "never overwritten")
	r.wait(t)
	require.ErrorIs(t, r.err, register.ErrExists)
	mine, _ := os.ReadFile(out)
	assert.Equal(t, "mine\n", string(mine))

	spare := out + ".app-" + itoa(mf.Apps()[0].ID)
	assert.Contains(t, r.err.Error(), spare, "the error names where the credentials went")
	data, err := os.ReadFile(spare)
	require.NoError(t, err)
	_, err = config.Parse(data)
	require.NoError(t, err)
}

func TestRegisterStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := register.Run(ctx, register.Options{Manifest: deploy.AppManifest(), WebhookURL: "https://bot.example.com",
			Out: filepath.Join(t.TempDir(), "x.yml"), Ready: func(string) { cancel() }})
		errc <- err
	}()
	select {
	case err := <-errc:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("register did not stop")
	}
}

func TestRegisterRejectsBadOptions(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "exists.yml")
	require.NoError(t, os.WriteFile(existing, nil, 0o600))
	tests := []struct {
		name string
		opts register.Options
		want string
	}{
		{"no webhook URL", register.Options{Out: filepath.Join(dir, "a.yml")}, "webhook URL is required"},
		{"webhook URL not http", register.Options{WebhookURL: "ftp://x", Out: filepath.Join(dir, "a.yml")}, "not an http(s) address"},
		{"bad web URL", register.Options{WebhookURL: "https://x", WebURL: "github.com", Out: filepath.Join(dir, "a.yml")}, "web URL"},
		{"bad organisation", register.Options{WebhookURL: "https://x", Org: "a/b", Out: filepath.Join(dir, "a.yml")}, "not an organisation name"},
		{"existing file", register.Options{WebhookURL: "https://x", Out: existing}, "never overwritten"},
		{"no output file", register.Options{WebhookURL: "https://x"}, "configuration file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Manifest = deploy.AppManifest()
			_, err := register.Run(context.Background(), tt.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestConvertRefusesAUsedCode(t *testing.T) {
	mf := newFlow(t)
	resp, err := noRedirect.PostForm(mf.URL()+"/settings/apps/new?state=s", url.Values{"manifest": {`{"name":"x","hook_attributes":{"url":"https://h.example"},"redirect_url":"https://r.example/cb"}`}})
	require.NoError(t, err)
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	code := loc.Query().Get("code")

	app, err := register.Convert(context.Background(), http.DefaultClient, mf.URL(), code)
	require.NoError(t, err)
	assert.Equal(t, "x", app.Slug)
	_, err = register.Convert(context.Background(), http.DefaultClient, mf.URL(), code)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "valid once")
	_, err = register.Convert(context.Background(), http.DefaultClient, mf.URL(), "../../x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "malformed")
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
