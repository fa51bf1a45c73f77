package register_test

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/register"
)

// TestRegisterAsksForSettingsWriteOnlyWhenTold: least privilege unless
// the operator asks for the permissions the settings commands need.
func TestRegisterAsksForSettingsWriteOnlyWhenTold(t *testing.T) {
	tests := []struct {
		name          string
		org           string
		allow         bool
		admin, orgAdm string
	}{
		{"default", "", false, "read", "read"},
		{"organisation default", "acme", false, "read", "read"},
		{"--allow-settings-changes", "", true, "write", "read"},
		{"--allow-settings-changes --org", "acme", true, "write", "write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mf := newFlow(t)
			out := filepath.Join(t.TempDir(), "ghcr-doctor.yml")
			r := start(t, register.Options{WebhookURL: "https://bot.example.com", WebURL: mf.URL(), APIURL: mf.URL() + "/",
				Out: out, Org: tt.org, AllowSettingsChanges: tt.allow})
			status, page := submit(t, r.page)
			require.Equal(t, http.StatusOK, status, page)
			r.wait(t)
			require.NoError(t, r.err)
			apps := mf.Apps()
			require.Len(t, apps, 1)
			assert.Equal(t, tt.admin, apps[0].Permissions["administration"])
			assert.Equal(t, tt.orgAdm, apps[0].Permissions["organization_administration"])
			assert.Equal(t, "write", apps[0].Permissions["checks"], "the other permissions are the manifest's")
		})
	}
}
