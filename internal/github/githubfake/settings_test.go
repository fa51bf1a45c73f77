package githubfake

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRepoWorkflowPermissions(t *testing.T) {
	cases := []struct {
		name       string
		setup      func(*Server)
		wantBefore string
		wantStatus int
		wantAfter  string
	}{
		{"write allowed", func(s *Server) { s.SetRepoWorkflowPermissions(testOrg, testRepo, "read") }, "read", http.StatusNoContent, "write"},
		{"locked by policy", func(s *Server) {
			s.SetRepoWorkflowPermissions(testOrg, testRepo, "read")
			s.LockRepoWorkflowPermissions(testOrg, testRepo)
		}, "read", http.StatusConflict, "read"},
		{"organization default read", func(s *Server) { s.SetOrgWorkflowPermissions(testOrg, "read") }, "read", http.StatusConflict, "read"},
		{"organization default write", func(s *Server) { s.SetOrgWorkflowPermissions(testOrg, "write") }, "write", http.StatusNoContent, "write"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, fullPerms)
			tc.setup(s)
			client := installationClient(t, s, testInstID)
			ctx := context.Background()

			got, _, err := client.Repositories.GetDefaultWorkflowPermissions(ctx, testOrg, testRepo)
			require.NoError(t, err)
			assert.Equal(t, tc.wantBefore, got.GetDefaultWorkflowPermissions())

			_, resp, err := client.Repositories.EditDefaultWorkflowPermissions(ctx, testOrg, testRepo, github.DefaultWorkflowPermissionRepository{DefaultWorkflowPermissions: github.String("write")})
			assert.Equal(t, tc.wantStatus, resp.StatusCode)
			if tc.wantStatus == http.StatusConflict {
				requireStatus(t, err, http.StatusConflict)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.wantAfter, s.RepoWorkflowPermissions(testOrg, testRepo))
		})
	}
}

func TestOrgWorkflowPermissions(t *testing.T) {
	s := newFake(t, fullPerms)
	s.SetOrgWorkflowPermissions(testOrg, "read")
	s.AddInstallation(88, "someone", "User", fullPerms)
	s.AddRepo(Repo{Owner: "someone", Name: "tool", InstallationID: 88})
	ctx := context.Background()

	org, _, err := installationClient(t, s, testInstID).Actions.GetDefaultWorkflowPermissionsInOrganization(ctx, testOrg)
	require.NoError(t, err)
	assert.Equal(t, "read", org.GetDefaultWorkflowPermissions())

	_, _, err = installationClient(t, s, 88).Actions.GetDefaultWorkflowPermissionsInOrganization(ctx, "someone")
	requireStatus(t, err, http.StatusNotFound)

	_, resp, err := installationClient(t, s, testInstID).Actions.EditDefaultWorkflowPermissionsInOrganization(ctx, testOrg, github.DefaultWorkflowPermissionOrganization{DefaultWorkflowPermissions: github.String("write")})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, "write", s.OrgWorkflowPermissions(testOrg))

	limited := newFake(t, map[string]string{"administration": "write"})
	_, _, err = installationClient(t, limited, testInstID).Actions.GetDefaultWorkflowPermissionsInOrganization(ctx, testOrg)
	er := requireStatus(t, err, http.StatusForbidden)
	assert.Equal(t, "organization_administration=read", er.Response.Header.Get("X-Accepted-GitHub-Permissions"))
}

func TestCollaboratorsAndMemberships(t *testing.T) {
	s := newFake(t, fullPerms)
	s.SetCollaborator(testOrg, testRepo, "maintainer", "write", "maintain")
	s.SetCollaborator(testOrg, testRepo, "watcher", "none", "")
	s.SetOrgMember(testOrg, "boss", "admin")
	s.SetOrgMember(testOrg, "dev", "member")
	client := installationClient(t, s, testInstID)
	ctx := context.Background()

	cases := []struct {
		user       string
		permission string
		status     int
	}{
		{"maintainer", "write", http.StatusOK},
		{"watcher", "none", http.StatusOK},
		{"boss", "admin", http.StatusOK},
		{"stranger", "", http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run("permission of "+tc.user, func(t *testing.T) {
			level, resp, err := client.Repositories.GetPermissionLevel(ctx, testOrg, testRepo, tc.user)
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.status != http.StatusOK {
				requireStatus(t, err, tc.status)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.permission, level.GetPermission())
			assert.Equal(t, tc.user, level.GetUser().GetLogin())
		})
	}
	m, _ := getJSON(t, s, client, "repos/octo-org/octo-repo/collaborators/maintainer/permission")
	assert.Equal(t, "maintain", m["role_name"])

	membership, _, err := client.Organizations.GetOrgMembership(ctx, "dev", testOrg)
	require.NoError(t, err)
	assert.Equal(t, "member", membership.GetRole())
	assert.Equal(t, "active", membership.GetState())
	assert.Equal(t, testOrg, membership.GetOrganization().GetLogin())
	_, _, err = client.Organizations.GetOrgMembership(ctx, "stranger", testOrg)
	requireStatus(t, err, http.StatusNotFound)
}
