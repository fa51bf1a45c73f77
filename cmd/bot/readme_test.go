package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeRunningItCommandsParse: every command of the README's
// "Running it" section (register → check → serve) is one the binary
// accepts, flags and all.
func TestReadmeRunningItCommandsParse(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n### Running it\n")
	require.True(t, ok, "README.md has a Running it section")
	section, _, _ = strings.Cut(section, "\n### ")

	var verbs []string
	inBlock := false
	for _, line := range strings.Split(section, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "```"):
			inBlock = !inBlock
		case inBlock && strings.HasPrefix(line, "bot "):
			args := strings.Fields(strings.TrimPrefix(line, "bot "))
			verbs = append(verbs, args[0])
			r := runBot(t, "", append(args, "--help")...)
			assert.Equal(t, 0, r.code, "README command %q: %s", line, r.stderr)
		}
	}
	assert.Equal(t, []string{"register", "check", "serve"}, verbs, "register → check → serve, in that order")
}
