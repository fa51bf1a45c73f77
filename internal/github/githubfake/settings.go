package githubfake

import (
	"net/http"
	"strings"
)

func (s *Server) settingsRoutes(add addRoute) {
	const permsDoc = docsRoot + "/actions/permissions"
	add("GET", "/repos/{owner}/{repo}/actions/permissions/workflow", authInstallation, needs("administration:read"), permsDoc+"#get-default-workflow-permissions-for-a-repository", s.handleGetRepoWorkflowPerms)
	add("PUT", "/repos/{owner}/{repo}/actions/permissions/workflow", authInstallation, needs("administration:write"), permsDoc+"#set-default-workflow-permissions-for-a-repository", s.handleSetRepoWorkflowPerms)
	add("GET", "/orgs/{org}/actions/permissions/workflow", authInstallation, needs("organization_administration:read"), permsDoc+"#get-default-workflow-permissions-for-an-organization", s.handleGetOrgWorkflowPerms)
	add("PUT", "/orgs/{org}/actions/permissions/workflow", authInstallation, needs("organization_administration:write"), permsDoc+"#set-default-workflow-permissions-for-an-organization", s.handleSetOrgWorkflowPerms)
	add("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission", authInstallation, needs("metadata:read"), docsRoot+"/collaborators/collaborators#get-repository-permissions-for-a-user", s.handleCollaboratorPermission)
	add("GET", "/orgs/{org}/memberships/{username}", authInstallation, needs("members:read"), docsRoot+"/orgs/members#get-organization-membership-for-a-user", s.handleOrgMembership)
	add("GET", "/repos/{owner}/{repo}", authInstallation, needs("metadata:read"), docsRoot+"/repos/repos#get-a-repository", s.handleGetRepo)
}

func (s *Server) handleGetRepo(c *call) {
	s.mu.Lock()
	body := s.repoJSON(c.repo, true)
	s.mu.Unlock()
	c.json(http.StatusOK, body)
}

// orgWorkflowPermLocked is an organization's default, "read" unless set (GitHub's default since 2023).
func (s *Server) orgWorkflowPermLocked(o *orgState) string {
	if o.workflowPerm == "" {
		return "read"
	}
	return o.workflowPerm
}

// repoWorkflowPermLocked is a repository's effective default and whether the
// owning organization holds it at "read". Caller holds s.mu.
func (s *Server) repoWorkflowPermLocked(rs *repoState) (level string, orgRestricted bool) {
	var org *orgState
	if rs.OwnerType == "Organization" {
		org = s.st.orgs[strings.ToLower(rs.Owner)]
	}
	orgRestricted = org != nil && org.workflowPerm == "read"
	switch {
	case orgRestricted:
		return "read", true
	case rs.workflowPerm != "":
		return rs.workflowPerm, false
	case org != nil && org.workflowPerm != "":
		return org.workflowPerm, false
	}
	return "read", false
}

func (s *Server) handleGetRepoWorkflowPerms(c *call) {
	s.mu.Lock()
	level, _ := s.repoWorkflowPermLocked(c.repo)
	canApprove := c.repo.canApprove
	s.mu.Unlock()
	c.json(http.StatusOK, map[string]any{"default_workflow_permissions": level, "can_approve_pull_request_reviews": canApprove})
}

type workflowPermsRequest struct {
	DefaultWorkflowPermissions   *string `json:"default_workflow_permissions"`
	CanApprovePullRequestReviews *bool   `json:"can_approve_pull_request_reviews"`
}

func (r workflowPermsRequest) valid() bool {
	return r.DefaultWorkflowPermissions == nil || *r.DefaultWorkflowPermissions == "read" || *r.DefaultWorkflowPermissions == "write"
}

func (s *Server) handleSetRepoWorkflowPerms(c *call) {
	var req workflowPermsRequest
	if !c.decode(&req) {
		return
	}
	if !req.valid() {
		c.invalid("Invalid request.\n\nFor 'properties/default_workflow_permissions', \"" + *req.DefaultWorkflowPermissions + "\" is not one of [\"read\", \"write\"].")
		return
	}
	s.mu.Lock()
	_, orgRestricted := s.repoWorkflowPermLocked(c.repo)
	widening := req.DefaultWorkflowPermissions != nil && *req.DefaultWorkflowPermissions == "write"
	conflict := c.repo.workflowLocked || (orgRestricted && widening)
	if !conflict {
		if req.DefaultWorkflowPermissions != nil {
			c.repo.workflowPerm = *req.DefaultWorkflowPermissions
		}
		if req.CanApprovePullRequestReviews != nil {
			c.repo.canApprove = *req.CanApprovePullRequestReviews
		}
	}
	s.mu.Unlock()
	if conflict {
		c.fail(http.StatusConflict, "Conflict: the default workflow permissions of this repository are set by its organization or enterprise and cannot be changed here.")
		return
	}
	c.noContent()
}

// orgForToken finds an organization the token's installation belongs to; it
// answers 404 for unknown organizations and user accounts, and 403 for other
// accounts' organizations.
func (c *call) orgForToken() *orgState {
	c.s.mu.Lock()
	o := c.s.st.orgs[strings.ToLower(c.param("org"))]
	c.s.mu.Unlock()
	if o == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return nil
	}
	if !strings.EqualFold(c.auth.token.inst.account, o.login) {
		c.fail(http.StatusForbidden, "Resource not accessible by integration")
		return nil
	}
	return o
}

func (s *Server) handleGetOrgWorkflowPerms(c *call) {
	o := c.orgForToken()
	if o == nil {
		return
	}
	s.mu.Lock()
	body := map[string]any{"default_workflow_permissions": s.orgWorkflowPermLocked(o), "can_approve_pull_request_reviews": o.canApprove}
	s.mu.Unlock()
	c.json(http.StatusOK, body)
}

func (s *Server) handleSetOrgWorkflowPerms(c *call) {
	var req workflowPermsRequest
	if !c.decode(&req) {
		return
	}
	if !req.valid() {
		c.invalid("Invalid request.\n\nFor 'properties/default_workflow_permissions', \"" + *req.DefaultWorkflowPermissions + "\" is not one of [\"read\", \"write\"].")
		return
	}
	o := c.orgForToken()
	if o == nil {
		return
	}
	s.mu.Lock()
	if req.DefaultWorkflowPermissions != nil {
		o.workflowPerm = *req.DefaultWorkflowPermissions
	}
	if req.CanApprovePullRequestReviews != nil {
		o.canApprove = *req.CanApprovePullRequestReviews
	}
	s.mu.Unlock()
	c.noContent()
}

// handleCollaboratorPermission answers a user's permission on a repository.
// Explicit collaborators answer their permission; the owner of a user
// repository and admins of the owning organization answer admin; anyone else
// is answered 404, the documented response for a user who is not a collaborator.
func (s *Server) handleCollaboratorPermission(c *call) {
	user := c.param("username")
	s.mu.Lock()
	col, ok := c.repo.collaborators[strings.ToLower(user)]
	if !ok {
		switch {
		case c.repo.OwnerType != "Organization" && strings.EqualFold(c.repo.Owner, user):
			col, ok = collaborator{login: c.repo.Owner, permission: "admin", roleName: "admin"}, true
		case c.repo.OwnerType == "Organization":
			if o := s.st.orgs[strings.ToLower(c.repo.Owner)]; o != nil && o.members[strings.ToLower(user)] == "admin" {
				col, ok = collaborator{login: o.memberLogins[strings.ToLower(user)], permission: "admin", roleName: "admin"}, true
			}
		}
	}
	var body map[string]any
	if ok {
		u := s.userJSON(col.login)
		u["permissions"] = permissionFlags(col.roleName)
		u["role_name"] = col.roleName
		body = map[string]any{"permission": col.permission, "role_name": col.roleName, "user": u}
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

// permissionFlags is the permissions object of a collaborator with a role.
func permissionFlags(role string) map[string]bool {
	rank := map[string]int{"read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}[role]
	return map[string]bool{"pull": rank >= 1, "triage": rank >= 2, "push": rank >= 3, "maintain": rank >= 4, "admin": rank >= 5}
}

func (s *Server) handleOrgMembership(c *call) {
	o := c.orgForToken()
	if o == nil {
		return
	}
	user := c.param("username")
	s.mu.Lock()
	role, ok := o.members[strings.ToLower(user)]
	var body map[string]any
	if ok {
		login := o.memberLogins[strings.ToLower(user)]
		body = map[string]any{
			"url":              s.apiURL("orgs/%s/memberships/%s", o.login, login),
			"state":            "active",
			"role":             role,
			"organization_url": s.apiURL("orgs/%s", o.login),
			"organization":     s.orgJSON(o.login),
			"user":             s.userJSON(login),
		}
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}
