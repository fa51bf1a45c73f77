package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemoPlaysTheAction(t *testing.T) {
	r := runBot(t, "", "demo", "--scenario", "action")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "The run's summary page")
	assert.Contains(t, r.stdout, "ghcr-doctor: `ghcr.io/acme/app` was refused")
	assert.Regexp(t, `Played "action" in [0-9.]+m?s\.`, r.stdout)

	serve := runBot(t, "", "demo", "--scenario", "action", "--serve")
	assert.Equal(t, 2, serve.code)
	assert.Contains(t, serve.stderr, "the action scenario has no App to keep")
}

func TestActionHelp(t *testing.T) {
	root := runBot(t, "", "--help")
	require.Equal(t, 0, root.code)
	assert.Regexp(t, `(?m)^  action\s+\S`, root.stdout, "bot --help lists action")
	r := runBot(t, "", "action", "--help")
	require.Equal(t, 0, r.code)
	for _, want := range []string{"GITHUB_EVENT_PATH", "INPUT_GITHUB-TOKEN", "INPUT_FAIL-ON-FINDING", "Exit status"} {
		assert.Contains(t, r.stdout, want)
	}
	bad := runBot(t, "", "action", "extra")
	assert.Equal(t, 2, bad.code)
}
