package scan

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseTokenPermissionLine(t *testing.T) {
	cases := []struct {
		line, scope, level string
		ok                 bool
	}{
		{"Packages: write", "packages", "write", true},
		{"Contents: read", "contents", "read", true},
		{"Id-token: write", "id-token", "write", true},
		{"IdToken: write", "id-token", "write", true},
		{"ArtifactMetadata: write", "artifact-metadata", "write", true},
		{"PullRequests: write", "pull-requests", "write", true},
		{"Pull-requests: read", "pull-requests", "read", true},
		{"SecurityEvents: write", "security-events", "write", true},
		{"security_events: read", "security-events", "read", true},
		{"RepositoryProjects: none", "repository-projects", "none", true},
		{"  Metadata:   READ  ", "metadata", "read", true},
		{"no colon here", "", "", false},
		{"Packages:", "", "", false},
		{"Some text: with spaces", "", "", false},
		{"Bad/Scope: read", "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.line, func(t *testing.T) {
			scope, level, ok := parseTokenPermissionLine(tc.line)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.scope, scope)
			assert.Equal(t, tc.level, level)
		})
	}
}
