package deploy_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmePermissions returns the README's permission table ("| Pull requests
// | write | why |") as manifest keys ("pull_requests") and levels.
func readmePermissions(t *testing.T) map[string]string {
	t.Helper()
	readme := string(readFile(t, repoRoot+"/README.md"))
	_, table, ok := strings.Cut(readme, "| permission | level | why |")
	require.True(t, ok, "README.md has the permission table")
	perms := map[string]string{}
	for i, line := range strings.Split(table, "\n") {
		line = strings.TrimSpace(line)
		if i == 0 {
			continue // the rest of the header line
		}
		if !strings.HasPrefix(line, "|") {
			if len(perms) > 0 {
				break
			}
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		require.Len(t, cells, 3, "README permission row %q: permission | level | why", line)
		name := strings.ToLower(strings.TrimSpace(cells[0]))
		if strings.Trim(name, "-") == "" {
			continue // the rule
		}
		perms[strings.ReplaceAll(name, " ", "_")] = strings.TrimSpace(cells[1])
	}
	return perms
}

func TestReadmePermissionTableMatchesTheManifest(t *testing.T) {
	m := loadManifest(t)
	assert.Equal(t, m.DefaultPermissions, readmePermissions(t),
		"README.md's permission table and deploy/app-manifest.json list the same permissions at the same levels")
}

func TestManifestAsksNoSettingsWriteByDefault(t *testing.T) {
	m := loadManifest(t)
	for _, name := range []string{"administration", "organization_administration"} {
		assert.Equal(t, "read", m.DefaultPermissions[name],
			"%s: write only through bot register --allow-settings-changes, which the settings commands need", name)
	}
	md := string(readFile(t, "app-manifest.md"))
	assert.Contains(t, md, "bot register --allow-settings-changes", "app-manifest.md names the one way to ask for write")
}
