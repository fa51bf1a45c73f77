package main

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/demo"
)

func TestDemoList(t *testing.T) {
	r := runBot(t, "", "demo", "--list")
	require.Equal(t, 0, r.code, r.stderr)
	for _, s := range demo.Scenarios() {
		assert.Contains(t, r.stdout, s.Name+" ")
	}
	assert.Contains(t, r.stdout, demo.PreflightScenario+" ")
	assert.Contains(t, r.stdout, demo.ActionScenario+" ")
	assert.Len(t, strings.Split(strings.TrimSpace(r.stdout), "\n"), len(demo.Scenarios())+2)
}

func TestDemoPlaysAScenario(t *testing.T) {
	r := runBot(t, "", "demo", "--scenario", "fork-pull-request")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "ghcr-doctor demo: fork-pull-request")
	assert.Contains(t, r.stdout, "head.repo.full_name")
	assert.Contains(t, r.stdout, "Only a person can do this")
	assert.Regexp(t, `Played "fork-pull-request" in [0-9.]+m?s\.`, r.stdout)
}

func TestDemoFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown scenario", []string{"demo", "--scenario", "nope"}, `unknown scenario "nope"; the scenarios are: job-permissions, package-access,`},
		{"unknown scenario lists the special ones", []string{"demo", "--scenario", "nope"}, `uppercase-name, preflight, action`},
		{"unknown flag", []string{"demo", "--fast"}, "unknown flag: --fast"},
		{"argument", []string{"demo", "fork"}, `unknown command "fork"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBot(t, "", tt.args...)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.stderr, tt.want)
		})
	}
}

// TestDemoServe keeps the world running, pokes it as a person would with
// curl, and stops it with Ctrl-C.
func TestDemoServe(t *testing.T) {
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"demo", "--serve", "--scenario", "job-permissions"}, strings.NewReader(""), stdout, stderr)
	}()
	health := waitFor(t, stdout, regexp.MustCompile(`health\s+(http://\S+)`), code)
	api := waitFor(t, stdout, regexp.MustCompile(`GitHub API \(simulated\)\s+(http://\S+)`), code)
	token := waitFor(t, stdout, regexp.MustCompile(`installation token\s+(ghs_\S+)`), code)

	resp, err := http.Get(health)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	req, err := http.NewRequest(http.MethodGet, api+"repos/acme/app/pulls", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "ghcr-doctor/packages-write/release-build", "the fix pull request is there")
	assert.Contains(t, stdout.String(), "bot diagnose --api-url "+api)

	require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGINT))
	select {
	case c := <-code:
		assert.Equal(t, 0, c, stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatal("the demo did not stop on Ctrl-C")
	}
	assert.Contains(t, stdout.String(), "Stopping the simulated GitHub and ghcr-doctor.")
}

func TestHelpOfEveryCommand(t *testing.T) {
	root := runBot(t, "", "--help")
	require.Equal(t, 0, root.code)
	for _, name := range []string{"check", "demo", "diagnose", "register", "scan", "serve"} {
		assert.Regexp(t, `(?m)^  `+name+`\s+\S`, root.stdout, "bot --help lists %s", name)
		r := runBot(t, "", name, "--help")
		assert.Equal(t, 0, r.code, name)
		assert.Contains(t, r.stdout, "Usage:\n  bot "+name, name)
		assert.NotContains(t, r.stdout, "TODO", name)
	}
	for cmd, flags := range map[string][]string{
		"demo":     {"--scenario", "--list", "--serve", "--verbose"},
		"diagnose": {"--repo", "--run", "--attempt", "--api-url", "--web-url", "--format"},
		"register": {"--webhook-url", "--org", "--name", "--web-url", "--api-url", "--listen", "--out"},
	} {
		r := runBot(t, "", cmd, "--help")
		for _, f := range flags {
			assert.Contains(t, r.stdout, f, "%s --help", cmd)
		}
	}
}
