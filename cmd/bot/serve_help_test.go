package main

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/server"
)

// TestServeHelpListsEveryEnvironmentVariableAndRoute: every variable the
// configuration reads (each Env constant of internal/config) and every
// route is in bot serve --help.
func TestServeHelpListsEveryEnvironmentVariableAndRoute(t *testing.T) {
	src, err := os.ReadFile("../../internal/config/config.go")
	require.NoError(t, err)
	consts := regexp.MustCompile(`(?m)^\s+Env\w+\s+= "([A-Z0-9_]+)"`).FindAllStringSubmatch(string(src), -1)
	require.NotEmpty(t, consts)
	r := runBot(t, "", "serve", "--help")
	require.Equal(t, 0, r.code)
	for _, c := range consts {
		assert.Contains(t, r.stdout, c[1], "serve --help names %s", c[1])
	}
	for _, route := range []string{server.HookPath, server.HealthPath, server.LivePath, server.MetricsPath} {
		assert.Contains(t, r.stdout, route)
	}
}
