package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/version"
)

func TestVersion(t *testing.T) {
	old := version.Version
	t.Cleanup(func() { version.Version, version.Commit, version.Date = old, "", "" })
	version.Version, version.Commit, version.Date = "v1.2.3", "0123abc", "2026-01-02T03:04:05Z"

	r := runBot(t, "", "version")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "ghcr-doctor v1.2.3\ncommit:   0123abc\nbuilt:    2026-01-02T03:04:05Z\n")

	r = runBot(t, "", "version", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var b version.Build
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &b))
	assert.Equal(t, version.Build{Version: "v1.2.3", Commit: "0123abc", Date: "2026-01-02T03:04:05Z", GoVersion: b.GoVersion, Platform: b.Platform}, b)

	r = runBot(t, "", "--version")
	assert.Contains(t, r.stdout, "v1.2.3")
}
