package commands

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGrantPlaceLinksTheAppAndTheInstallation(t *testing.T) {
	tests := []struct {
		name      string
		g         GrantPlace
		want, not []string
	}{
		{"organisation", GrantPlace{Account: "acme", OrgAccount: true, Slug: "ghcr-doctor", InstallationID: 7},
			[]string{"https://github.com/organizations/acme/settings/apps/ghcr-doctor/permissions",
				"https://github.com/organizations/acme/settings/installations/7", "Repository permissions → Administration → Read and write"}, nil},
		{"user on GitHub Enterprise Server", GrantPlace{WebURL: "https://ghe.example.com/", Account: "ada", Slug: "doc", InstallationID: 9},
			[]string{"https://ghe.example.com/settings/apps/doc/permissions", "https://ghe.example.com/settings/installations/9"}, nil},
		{"nothing known", GrantPlace{},
			[]string{"Permissions & events", "Review request"}, []string{"https://"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.g.sentence([]string{"administration:write"})
			for _, w := range tt.want {
				assert.Contains(t, got, w)
			}
			for _, n := range tt.not {
				assert.NotContains(t, got, n)
			}
		})
	}
}
