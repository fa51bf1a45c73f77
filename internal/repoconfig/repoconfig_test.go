package repoconfig

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Config
		wantErr string
	}{
		{"empty file means defaults", "", Default(), ""},
		{"switched off", "enabled: false\n", func() Config { c := Default(); c.Enabled = false; return c }(), ""},
		{"no tracking issues", "report:\n  tracking_issue: false\n", func() Config { c := Default(); c.Report.TrackingIssue = false; return c }(), ""},
		{"settings opt-in", "fix:\n  allow_settings_changes: true\n", func() Config { c := Default(); c.Fix.AllowSettingsChanges = true; return c }(), ""},
		{"organisation settings opt-in", "fix:\n  allow_org_settings_changes: true\n", func() Config { c := Default(); c.Fix.AllowOrgSettingsChanges = true; return c }(), ""},
		{"neutral check run", "report:\n  check_run_conclusion: neutral\n", func() Config { c := Default(); c.Report.CheckRunConclusion = ConclusionNeutral; return c }(), ""},
		{"neutral preflight check", "preflight:\n  conclusion: neutral\n", func() Config { c := Default(); c.Preflight.Conclusion = ConclusionNeutral; return c }(), ""},
		{"unknown preflight conclusion", "preflight:\n  conclusion: skipped\n", Default(), `preflight.conclusion: "skipped" is neither action_required nor neutral`},
		{"unknown preflight key", "preflight:\n  conclusions: neutral\n", Default(), "conclusions"},
		{"unknown check run conclusion", "report:\n  check_run_conclusion: failure\n", Default(), `report.check_run_conclusion: "failure" is neither action_required nor neutral`},
		{"unknown key", "enable: false\n", Default(), "field enable not found"},
		{"broken yaml", "report: [\n", Default(), "parsing .github/ghcr-doctor.yml"},
		{"wrong type", "enabled: maybe\n", Default(), "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.in))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

type files map[string]string

func (f files) GetFile(_ context.Context, owner, repo, path, _ string) ([]byte, error) {
	key := owner + "/" + repo + ":" + path
	if v, ok := f[key]; ok {
		if v == "!forbidden" {
			return nil, &gherr.PermissionError{Op: "read", Accepted: "contents=read"}
		}
		return []byte(v), nil
	}
	return nil, &gherr.NotFoundError{Op: "read", Status: 404}
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	t.Run("repository file wins", func(t *testing.T) {
		l := Load(ctx, files{"acme/app:" + Path: "enabled: false", "acme/.github:" + Path: "enabled: true"}, "acme", "app")
		require.NoError(t, l.Err)
		assert.False(t, l.Config.Enabled)
		assert.Equal(t, "acme/app:"+Path, l.Source)
	})
	t.Run("org fallback", func(t *testing.T) {
		l := Load(ctx, files{"acme/.github:" + Path: "report:\n  check_run: false\n"}, "acme", "app")
		require.NoError(t, l.Err)
		assert.False(t, l.Config.Report.CheckRun)
		assert.Equal(t, "acme/.github:"+Path, l.Source)
	})
	t.Run("missing everywhere means defaults", func(t *testing.T) {
		l := Load(ctx, files{}, "acme", "app")
		require.NoError(t, l.Err)
		assert.Equal(t, Default(), l.Config)
		assert.Empty(t, l.Source)
	})
	t.Run("broken file is reported", func(t *testing.T) {
		l := Load(ctx, files{"acme/app:" + Path: "enabled: [\n"}, "acme", "app")
		require.Error(t, l.Err)
		assert.Contains(t, l.Err.Error(), "acme/app:"+Path)
		assert.Equal(t, Default(), l.Config)
	})
	t.Run("unreadable file is reported with the permission", func(t *testing.T) {
		l := Load(ctx, files{"acme/app:" + Path: "!forbidden"}, "acme", "app")
		var pe *gherr.PermissionError
		require.True(t, errors.As(l.Err, &pe))
	})
}
