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

func TestDemoPlaysThePreflight(t *testing.T) {
	r := runBot(t, "", "demo", "--scenario", demo.PreflightScenario)
	require.Equal(t, 0, r.code, r.stderr)
	for _, want := range []string{"ghcr-doctor demo: preflight", "ACTION REQUIRED", "Suggested change", "+      packages: write", "SUCCESS"} {
		assert.Contains(t, r.stdout, want)
	}
	assert.Regexp(t, `Played "preflight" in [0-9.]+m?s\.`, r.stdout)
}

// TestDemoServesThePreflight keeps the preflight's world running: the
// pull request's review and the green check of its last commit can be
// read with curl until Ctrl-C.
func TestDemoServesThePreflight(t *testing.T) {
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"demo", "--serve", "--scenario", demo.PreflightScenario}, strings.NewReader(""), stdout, stderr)
	}()
	token := waitFor(t, stdout, regexp.MustCompile(`installation token\s+(ghs_\S+)`), code)
	checks := waitFor(t, stdout, regexp.MustCompile(`(http://\S+/commits/[0-9a-f]{40}/check-runs)`), code)
	reviews := waitFor(t, stdout, regexp.MustCompile(`(http://\S+/pulls/1/reviews)`), code)
	assert.NotContains(t, stdout.String(), "bot diagnose", "no run to diagnose")

	get := func(url string) string {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		assert.Equal(t, http.StatusOK, resp.StatusCode, url)
		return string(body)
	}
	assert.Contains(t, get(checks), `"conclusion":"success"`, "the last commit's check is green")
	assert.Contains(t, get(reviews), `"state":"COMMENTED"`, "the bot's review is there")

	require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGINT))
	select {
	case c := <-code:
		assert.Equal(t, 0, c, stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatal("the demo did not stop on Ctrl-C")
	}
	assert.Contains(t, stdout.String(), "Stopping the simulated GitHub and ghcr-doctor.")
}
