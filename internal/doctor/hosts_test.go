package doctor

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

func TestRegistryHostsFor(t *testing.T) {
	line := "ERROR: failed to push containers.ghe.example.com/acme/widget:1: denied: permission_denied: write_package\n"
	cases := []struct {
		webURL   string
		registry string
	}{
		{"", ""},
		{"https://github.com/", ""},
		{"https://ghe.example.com", "containers.ghe.example.com"},
	}
	for _, tc := range cases {
		t.Run(tc.webURL, func(t *testing.T) {
			hosts, err := RegistryHostsFor(tc.webURL)
			require.NoError(t, err)
			res, err := diagnose.Scanner{Hosts: hosts}.Scan(strings.NewReader(line))
			require.NoError(t, err)
			require.Len(t, res.Findings, 1)
			if tc.registry == "" {
				// github.com does not know the enterprise host: the wording
				// still names GitHub Packages, so the finding stays, on ghcr.io.
				assert.Equal(t, diagnose.RegistryGHCR, res.Findings[0].Registry)
				return
			}
			assert.Equal(t, tc.registry, res.Findings[0].Registry)
			assert.Equal(t, diagnose.RegistryFromLine, res.Findings[0].RegistryFrom)
		})
	}
	_, err := RegistryHostsFor("https://")
	assert.Error(t, err)
}
