package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// process is a subprocess under measurement.
type process struct {
	cmd *exec.Cmd
	url string
	// exited is closed once the process has been waited for.
	exited chan struct{}
}

// startBot writes a configuration against the simulated GitHub and runs
// `bot serve` on it; postgresURL empty means the embedded SQLite queue.
func startBot(botPath, dir string, w *world, postgresURL string, workers int) (*process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	keyPath := filepath.Join(dir, "app.pem")
	if err := os.WriteFile(keyPath, w.fake.AppPrivateKeyPEM(), 0o600); err != nil {
		return nil, fmt.Errorf("writing the key: %w", err)
	}
	cfg := fmt.Sprintf(`server:
  address: 127.0.0.1
  port: %d
  public_url: http://127.0.0.1:%d
  shutdown_period: 10s
github:
  web_url: https://github.com
  v3_api_url: %s/
  app:
    integration_id: %d
    webhook_secret: %s
logging:
  level: warn
worker:
  workers: %d
  http_timeout: 30s
queue:
  data_dir: %s
  postgres_url: %q
  poll_interval: 200ms
  redelivery_interval: -1s
`, port, port, w.fake.URL(), appID, webhookSecret, workers, filepath.Join(dir, "data"), postgresURL)
	w.fake.SetWebhookTarget(fmt.Sprintf("http://127.0.0.1:%d/api/github/hook", port), webhookSecret)
	cfgPath := filepath.Join(dir, "bot.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		return nil, fmt.Errorf("writing the configuration: %w", err)
	}
	logFile, err := os.Create(filepath.Join(dir, "bot.log"))
	if err != nil {
		return nil, fmt.Errorf("creating the log: %w", err)
	}
	cmd := exec.Command(botPath, "serve", "--config", cfgPath)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(os.Environ(), "GITHUB_APP_PRIVATE_KEY_PATH="+keyPath)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the bot: %w", err)
	}
	p := &process{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d", port)}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	p.exited = exited
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			tail, _ := os.ReadFile(logFile.Name())
			return nil, fmt.Errorf("the bot stopped at start; its log:\n%s", tail)
		default:
		}
		resp, err := http.Get(p.url + "/api/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.stop()
	tail, _ := os.ReadFile(logFile.Name())
	return nil, fmt.Errorf("the bot did not become healthy; its log:\n%s", tail)
}

// startBare runs this program's bare handler.
func startBare() (*process, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program: %w", err)
	}
	cmd := exec.Command(self, "bare", "-secret", webhookSecret)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("starting the bare handler: %w", err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the bare handler: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("reading the bare handler's address: %w", err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return &process{cmd: cmd, url: "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening "))}, nil
}

// stop ends the process gracefully, then waits for it.
func (p *process) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := p.exited
	if done == nil {
		d := make(chan struct{})
		go func() { _ = p.cmd.Wait(); close(d) }()
		done = d
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// peakRSS is the process's high-water resident set (VmHWM), in bytes.
func (p *process) peakRSS() (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, fmt.Errorf("reading the process status: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parsing VmHWM: %w", err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in the process status")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitFor polls cond every interval until it holds or ctx ends.
func waitFor(ctx context.Context, interval time.Duration, cond func() bool) bool {
	for !cond() {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(interval):
		}
	}
	return true
}
