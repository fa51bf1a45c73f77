package repoconfig

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTwoSettingsTwoMeanings: the repository opt-in may come from the
// organisation's file by fallback; the organisation opt-in is read only
// from the organisation's file.
func TestTwoSettingsTwoMeanings(t *testing.T) {
	const (
		repoFile = "acme/app:" + Path
		orgFile  = "acme/.github:" + Path
	)
	tests := []struct {
		name          string
		files         files
		repo          string
		wantRepoOptIn bool
		wantOrgOptIn  bool
		wantLoadErr   string
		wantOrgSource string
		wantAudit     bool
	}{
		{name: "the organisation's repository opt-in covers repositories without a file",
			files: files{orgFile: "fix:\n  allow_settings_changes: true\n"}, repo: "app",
			wantRepoOptIn: true, wantOrgOptIn: false, wantOrgSource: orgFile},
		{name: "the organisation's own opt-in is its own key",
			files: files{orgFile: "fix:\n  allow_org_settings_changes: true\n"}, repo: "app",
			wantRepoOptIn: false, wantOrgOptIn: true, wantOrgSource: orgFile},
		{name: "a repository cannot opt its organisation in",
			files: files{repoFile: "fix:\n  allow_org_settings_changes: true\n"}, repo: "app",
			wantLoadErr: "read only from the organisation's file, acme/.github:.github/ghcr-doctor.yml", wantOrgOptIn: false},
		{name: "the .github repository's file is the organisation's",
			files: files{orgFile: "fix:\n  allow_org_settings_changes: true\n"}, repo: ".github",
			wantOrgOptIn: true, wantOrgSource: orgFile},
		{name: "the organisation's audit opt-in",
			files: files{orgFile: "audit:\n  enabled: true\n"}, repo: "app",
			wantOrgSource: orgFile, wantAudit: true},
		{name: "a repository cannot opt its organisation into the audit",
			files: files{repoFile: "audit:\n  enabled: true\n"}, repo: "app",
			wantLoadErr: "audit.enabled is read only from the organisation's file, acme/.github:.github/ghcr-doctor.yml"},
		{name: "a repository's file does not stand in for the organisation's",
			files: files{repoFile: "fix:\n  allow_settings_changes: true\n"}, repo: "app",
			wantRepoOptIn: true, wantOrgOptIn: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			l := Load(ctx, tt.files, "acme", tt.repo)
			if tt.wantLoadErr != "" {
				require.Error(t, l.Err)
				assert.Contains(t, l.Err.Error(), tt.wantLoadErr)
				assert.Equal(t, Default(), l.Config, "a broken file means the defaults")
			} else {
				require.NoError(t, l.Err)
			}
			assert.Equal(t, tt.wantRepoOptIn, l.Config.Fix.AllowSettingsChanges, "repository opt-in")

			org := LoadOrg(ctx, tt.files, "acme")
			require.NoError(t, org.Err)
			assert.Equal(t, tt.wantOrgSource, org.Source)
			assert.Equal(t, tt.wantOrgOptIn, org.Source != "" && org.Config.Fix.AllowOrgSettingsChanges, "organisation opt-in")
			assert.Equal(t, tt.wantAudit, org.Source != "" && org.Config.Audit.Enabled, "audit opt-in")
		})
	}
}
