package processes

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

const (
	webhookSecret = "durability-secret"
	org           = "acme"
	repoName      = "app"
	installID     = int64(77)
)

var perms = map[string]string{
	"actions": "read", "checks": "write", "contents": "read", "issues": "write", "pull_requests": "write",
	"metadata": "read", "administration": "read", "organization_administration": "read",
}

var botBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ghcr-doctor-bin")
	if err != nil {
		panic(err)
	}
	botBinary = filepath.Join(dir, "bot")
	build := exec.Command("go", "build", "-o", botBinary, "github.com/ghcr-doctor/ghcr-doctor/cmd/bot")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the bot:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// world is a fake GitHub with n failed runs, each of its own workflow file,
// so each run gets its own check run and tracking issue.
type world struct {
	fake *githubfake.Server
	runs []int64
}

func newWorld(t *testing.T, n int) *world {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	fake := githubfake.New(githubfake.Options{AppID: 5, AppSlug: "ghcr-doctor", AppKey: key})
	t.Cleanup(fake.Close)
	// The App's webhook as bot serve's start-up check reads it back.
	fake.SetAppHookConfig(githubfake.HookConfig{URL: "https://ghcr-doctor.test/api/github/hook", Secret: webhookSecret})
	// Hundreds of runs of one installation in a minute or two: GitHub's
	// limits on content creation, and the bot's pacing under them, would
	// spread them over hours; these tests are about crashes and replicas.
	fake.SetWriteLimits(-1, -1)
	fake.AddInstallation(installID, org, "Organization", perms)
	fake.AddRepo(githubfake.Repo{Owner: org, Name: repoName, ID: 1, OwnerType: "Organization", InstallationID: installID})
	fake.SetRepoWorkflowPermissions(org, repoName, "read")
	fake.SetOrgWorkflowPermissions(org, "read")
	w := &world{fake: fake}
	sha := "1111111111111111111111111111111111111111"
	for i := 1; i <= n; i++ {
		id := int64(10000 + i)
		path := fmt.Sprintf(".github/workflows/image-%d.yml", i)
		fake.SetFile(org, repoName, sha, path, []byte(workflowFile))
		fake.AddRun(org, repoName, githubfake.Run{ID: id, Attempt: 1, Name: fmt.Sprintf("image %d", i), Path: path, HeadSHA: sha,
			HeadBranch: "main", Event: "push", Conclusion: "failure", Actor: "octocat", WorkflowID: id})
		fake.AddJob(org, repoName, id, githubfake.Job{ID: id * 10, Name: "build", Conclusion: "failure", Log: []byte(jobLog)})
		w.runs = append(w.runs, id)
	}
	return w
}

const workflowFile = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - run: docker push ghcr.io/acme/app:latest
`

const jobLog = "2026-05-12T15:27:00.0000000Z ##[group]GITHUB_TOKEN Permissions\n" +
	"2026-05-12T15:27:00.0000001Z Contents: read\n" +
	"2026-05-12T15:27:00.0000002Z ##[endgroup]\n" +
	"2026-05-12T15:27:00.0000003Z ##[group]Run docker push ghcr.io/acme/app:latest\n" +
	"2026-05-12T15:27:00.0000004Z ##[endgroup]\n" +
	"2026-05-12T15:27:00.0000005Z The push refers to repository [ghcr.io/acme/app]\n" +
	"2026-05-12T15:27:00.0000006Z denied: installation not allowed to Write organization package\n"

// counts returns, per run, how many check runs and tracking issues were posted.
func (w *world) counts() (checkRuns, issues map[int64]int) {
	checkRuns, issues = map[int64]int{}, map[int64]int{}
	byPath := map[string]int64{}
	for _, id := range w.runs {
		byPath[fmt.Sprintf(".github/workflows/image-%d.yml", id-10000)] = id
	}
	for _, cr := range w.fake.CheckRuns(org, repoName) {
		checkRuns[byPath[strings.TrimPrefix(cr.ExternalID, "wf:")]]++
	}
	for _, is := range w.fake.Issues(org, repoName) {
		for path, id := range byPath {
			if strings.Contains(is.Body, "workflow="+path+" ") {
				issues[id]++
			}
		}
	}
	return checkRuns, issues
}

// lostAndDoubled counts runs with no report and runs reported more than once.
func (w *world) lostAndDoubled() (lost, doubled int) {
	crs, iss := w.counts()
	for _, id := range w.runs {
		if crs[id] == 0 || iss[id] == 0 {
			lost++
		}
		if crs[id] > 1 || iss[id] > 1 {
			doubled++
		}
	}
	return lost, doubled
}

// bot is one `bot serve` process.
type bot struct {
	t       *testing.T
	cmd     *exec.Cmd
	url     string
	log     *bytes.Buffer
	logMu   *sync.Mutex
	waitErr chan error
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startBot runs `bot serve` with a config pointing at the fake; queueYAML
// is the config's queue section.
func startBot(t *testing.T, w *world, dir, queueYAML string) *bot {
	t.Helper()
	port := freePort(t)
	cfg := fmt.Sprintf(`server:
  address: 127.0.0.1
  port: %d
  shutdown_period: 5s
github:
  v3_api_url: %s/
  app:
    integration_id: 5
    webhook_secret: %s
logging:
  level: info
worker:
  workers: 4
  http_timeout: 10s
  writes_per_minute: -1
queue:
%s`, port, w.fake.URL(), webhookSecret, queueYAML)
	cfgPath := filepath.Join(dir, fmt.Sprintf("config-%d.yml", port))
	require.NoError(t, os.WriteFile(cfgPath, []byte(cfg), 0o600))
	keyPath := filepath.Join(dir, "app.pem")
	require.NoError(t, os.WriteFile(keyPath, w.fake.AppPrivateKeyPEM(), 0o600))

	b := &bot{t: t, url: fmt.Sprintf("http://127.0.0.1:%d", port), log: &bytes.Buffer{}, logMu: &sync.Mutex{}, waitErr: make(chan error, 1)}
	b.cmd = exec.Command(botBinary, "serve", "--config", cfgPath)
	b.cmd.Env = append(os.Environ(), "GITHUB_APP_PRIVATE_KEY_PATH="+keyPath)
	b.cmd.Stderr = lockedWriter{b.log, b.logMu}
	b.cmd.Stdout = lockedWriter{b.log, b.logMu}
	require.NoError(t, b.cmd.Start())
	go func() { b.waitErr <- b.cmd.Wait() }()
	t.Cleanup(func() { b.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(b.url + "/api/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return b
			}
		}
		select {
		case err := <-b.waitErr:
			t.Fatalf("bot exited at start: %v\n%s", err, b.logs())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("bot did not become healthy:\n%s", b.logs())
	return nil
}

// kill sends SIGKILL: no shutdown, no cleanup, like a crash or an OOM kill.
func (b *bot) kill() {
	if b.cmd.ProcessState != nil {
		return
	}
	_ = b.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-b.waitErr:
	case <-time.After(10 * time.Second):
	}
}

func (b *bot) logs() string {
	b.logMu.Lock()
	defer b.logMu.Unlock()
	return b.log.String()
}

// send posts a signed workflow_run delivery as GitHub would and reports
// whether the bot accepted it.
func (b *bot) send(payload []byte, guid string) bool {
	req, err := http.NewRequest(http.MethodPost, b.url+"/api/github/hook", bytes.NewReader(payload))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "workflow_run")
	req.Header.Set("X-GitHub-Delivery", guid)
	req.Header.Set("X-Hub-Signature-256", githubfake.Sign([]byte(webhookSecret), payload))
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusAccepted
}

type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// waitReported waits until every run has its report, or the deadline passes.
func (w *world) waitReported(ctx context.Context) {
	for ctx.Err() == nil {
		if lost, _ := w.lostAndDoubled(); lost == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}
