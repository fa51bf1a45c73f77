package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// orgOptInFile is the organisation's opt-in to organisation settings changes,
// in its .github repository.
const orgOptInFile = "fix:\n  allow_org_settings_changes: true\n"

// TestOrganisationOptInIsItsOwnKey: the repository opt-in in the
// organisation's file (which every repository without a file inherits)
// does not let the bot change the organisation's settings, and a
// repository's file cannot opt its organisation in.
func TestOrganisationOptInIsItsOwnKey(t *testing.T) {
	tests := []struct {
		name      string
		orgFile   string
		repoFile  string
		wantReply []string
	}{
		{"the repository opt-in in the organisation's file", optIn, "",
			[]string{"allow_org_settings_changes", "acme/.github", "repository settings only"}},
		{"the organisation opt-in in a repository's file", "", orgOptInFile,
			[]string{"allow_org_settings_changes", "acme/.github"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fixPermissions)
			e.fake.AddRepo(githubfakeRepo(".github"))
			if tt.orgFile != "" {
				e.fake.SetFile(org, ".github", "main", configPath, []byte(tt.orgFile))
			}
			if tt.repoFile != "" {
				e.fake.SetFile(org, repoName, "main", configPath, []byte(tt.repoFile))
			}
			e.fake.SetOrgMember(org, "olga", "admin")
			issue := e.diagnosed(orgCapScenario())
			e.command(issue, "olga", "/ghcr fix --org-settings")
			assert.Equal(t, "read", e.fake.OrgWorkflowPermissions(org), "the organisation's setting is unchanged")
			reply := e.onlyReply(issue)
			for _, w := range tt.wantReply {
				assert.Contains(t, reply, w)
			}
		})
	}
}
