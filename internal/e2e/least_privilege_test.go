package e2e

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/deploy"
)

// manifestPermissions are the permissions an installation of the App as
// deploy/app-manifest.json describes it grants.
func manifestPermissions(t *testing.T) map[string]string {
	t.Helper()
	var m struct {
		DefaultPermissions map[string]string `json:"default_permissions"`
	}
	require.NoError(t, json.Unmarshal(deploy.AppManifest(), &m))
	return m.DefaultPermissions
}

// TestSettingsWithTheDefaultManifestNameThePermissionAndWhere: the App as
// registered by default may read the workflow permissions but not change
// them; asked to, it says which permission to grant, on which page, and
// where the installation accepts it.
func TestSettingsWithTheDefaultManifestNameThePermissionAndWhere(t *testing.T) {
	tests := []struct {
		name, command, user string
		want                []string
	}{
		{"repository", "/ghcr fix --settings", "ada", []string{
			"`administration:write`",
			"Repository permissions → Administration → Read and write",
		}},
		{"organisation", "/ghcr fix --org-settings", "olga", []string{
			"`organization_administration:write`",
			"Organization permissions → Administration → Read and write",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, manifestPermissions(t))
			e.fake.AddRepo(githubfakeRepo(".github"))
			e.fake.SetFile(org, repoName, "main", configPath, []byte(optIn))
			e.fake.SetFile(org, ".github", "main", configPath, []byte(orgOptInFile))
			e.fake.SetCollaborator(org, repoName, "ada", "admin", "admin")
			e.fake.SetOrgMember(org, "olga", "admin")
			s := restrictedDefaultScenario()
			if tt.name == "organisation" {
				s = orgCapScenario()
			}
			issue := e.diagnosed(s)
			e.command(issue, tt.user, tt.command)
			reply := e.onlyReply(issue)
			for _, w := range append(tt.want,
				"https://github.com/organizations/acme/settings/apps/ghcr-doctor/permissions",
				"https://github.com/organizations/acme/settings/installations/"+strconv.FormatInt(installID, 10),
				"bot register --allow-settings-changes") {
				assert.Contains(t, reply, w)
			}
		})
	}
}
