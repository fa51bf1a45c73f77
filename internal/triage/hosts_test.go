package triage

import (
	"strings"
	"testing"

	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			res, err := scan.Scanner{Hosts: hosts}.Scan(strings.NewReader(line))
			require.NoError(t, err)
			require.Len(t, res.Findings, 1)
			if tc.registry == "" {
				// github.com does not know the enterprise host: the wording
				// still names GitHub Packages, so the finding stays, on ghcr.io.
				assert.Equal(t, scan.RegistryGHCR, res.Findings[0].Registry)
				return
			}
			assert.Equal(t, tc.registry, res.Findings[0].Registry)
			assert.Equal(t, scan.RegistryFromLine, res.Findings[0].RegistryFrom)
		})
	}
	_, err := RegistryHostsFor("https://")
	assert.Error(t, err)
}
