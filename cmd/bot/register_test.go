package main

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// TestRegisterInChromium registers the App the way a person does: a real
// browser loads the local page and presses the button; the fake GitHub
// creates the App and sends the browser back.
func TestRegisterInChromium(t *testing.T) {
	chromium := findChromium()
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed; CI must install Debian's chromium package (.ci/run)")
		}
		t.Skip("Chromium is not installed")
	}
	registerEndToEnd(t, func(t *testing.T, page string) {
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(chromium),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.UserDataDir(t.TempDir()),
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
		defer acancel()
		bctx, bcancel := chromedp.NewContext(actx)
		defer bcancel()
		require.NoError(t, chromedp.Do(bctx,
			chromedp.Navigate(page),
			chromedp.WaitVisible(chromedp.ID("create")),
			chromedp.Click(chromedp.ID("create")),
			chromedp.WaitVisible(chromedp.ID("done")),
		))
		heading, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("done")))
		require.NoError(t, err)
		assert.Contains(t, heading, "is registered")
	})
}

// TestRegisterOverHTTP is the same flow with net/http in the browser's
// place, so it runs everywhere.
func TestRegisterOverHTTP(t *testing.T) {
	registerEndToEnd(t, func(t *testing.T, page string) {
		resp, err := http.Get(page)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		action := regexp.MustCompile(`action="([^"]+)"`).FindStringSubmatch(string(body))
		manifest := regexp.MustCompile(`name="manifest" value="([^"]+)"`).FindStringSubmatch(string(body))
		require.NotNil(t, action, "%s", body)
		require.NotNil(t, manifest, "%s", body)
		resp, err = http.PostForm(html.UnescapeString(action[1]), url.Values{"manifest": {html.UnescapeString(manifest[1])}})
		require.NoError(t, err)
		done, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, string(done), `id="done"`)
	})
}

// registerEndToEnd runs `bot register` against the fake, lets submit play
// the browser, and checks the result and that a second run refuses to
// overwrite the file.
func registerEndToEnd(t *testing.T, submit func(t *testing.T, page string)) {
	fake := githubfake.New(githubfake.Options{AppKey: sharedFakeKey(t)})
	t.Cleanup(fake.Close)
	mf := fake.StartManifestFlow()
	t.Cleanup(mf.Close)
	out := filepath.Join(t.TempDir(), "ghcr-doctor.yml")
	args := []string{"register", "--webhook-url", "https://bot.example.com", "--web-url", mf.URL(), "--api-url", mf.URL() + "/", "--out", out, "--org", "acme"}

	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	code := make(chan int, 1)
	go func() { code <- run(args, strings.NewReader(""), stdout, stderr) }()
	page := waitFor(t, stdout, regexp.MustCompile(`Open (http://127\.0\.0\.1:\d+/) in a browser`), code)

	submit(t, page)
	select {
	case c := <-code:
		require.Equal(t, 0, c, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	case <-time.After(30 * time.Second):
		t.Fatal("bot register did not finish")
	}

	apps := mf.Apps()
	require.Len(t, apps, 1)
	app := apps[0]
	assert.Equal(t, "acme", app.Owner)
	assert.Equal(t, "https://bot.example.com/api/github/hook", app.HookURL)
	assert.Contains(t, stdout.String(), `Registered the GitHub App "ghcr-doctor"`)
	assert.Contains(t, stdout.String(), "https://github.com/apps/ghcr-doctor/installations/new")
	assert.Contains(t, stdout.String(), "bot serve --config "+out)

	info, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	cfg, err := config.Parse(data)
	require.NoError(t, err, "%s", data)
	assert.Equal(t, app.ID, cfg.GitHub.App.IntegrationID)
	assert.Equal(t, app.WebhookSecret, cfg.GitHub.App.WebhookSecret)
	assert.Equal(t, strings.TrimSpace(string(app.PEM)), strings.TrimSpace(cfg.GitHub.App.PrivateKey))

	again := runBot(t, "", args...)
	assert.Equal(t, 2, again.code)
	assert.Contains(t, again.stderr, "already exists; it is never overwritten")
	after, _ := os.ReadFile(out)
	assert.Equal(t, data, after)
}

func TestRegisterFlags(t *testing.T) {
	dir := t.TempDir()
	existing := writeFile(t, dir, "taken.yml", []byte("x"))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no webhook URL", []string{"register"}, "--webhook-url is required"},
		{"bad webhook URL", []string{"register", "--webhook-url", "bot.example.com"}, "not an http(s) address"},
		{"existing file", []string{"register", "--webhook-url", "https://b.example", "--out", existing}, "already exists"},
		{"bad port", []string{"register", "--webhook-url", "https://b.example", "--listen", "x", "--out", filepath.Join(dir, "a.yml")}, `invalid argument "x" for "--listen"`},
		{"bad organisation", []string{"register", "--webhook-url", "https://b.example", "--org", "a b", "--out", filepath.Join(dir, "a.yml")}, "not an organisation name"},
		{"extra argument", []string{"register", "now"}, `unknown command "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBot(t, "", tt.args...)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.stderr, tt.want)
		})
	}
}

func findChromium() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// waitFor waits until the output matches re and returns the first group,
// failing if the command ended first.
func waitFor(t *testing.T, out *syncBuffer, re *regexp.Regexp, code chan int) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case c := <-code:
			t.Fatalf("the command ended with %d before printing %s; output:\n%s", c, re, out)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("no %s in:\n%s", re, out)
	return ""
}

// syncBuffer is a buffer safe to write from the command and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
