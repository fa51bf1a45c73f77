package githubfake

import (
	"fmt"
	"strings"
)

// InstallationEvent builds an installation webhook body ("created",
// "deleted", …) for an installation added with AddInstallation: the
// installation object, the repositories it covers (id, name, full_name,
// private, as GitHub lists them there) and the sender.
func (s *Server) InstallationEvent(action string, installationID int64, sender string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst := s.mustInstallationLocked(installationID)
	return s.marshalPayload(map[string]any{
		"action":       action,
		"installation": s.installationJSON(inst),
		"repositories": s.installationRepoRefsLocked(inst.id, nil),
		"sender":       s.userJSON(sender),
	})
}

// InstallationRepositoriesEvent builds the installation_repositories
// "added" webhook body for repositories (by name) the installation covers.
func (s *Server) InstallationRepositoriesEvent(installationID int64, sender string, added ...string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst := s.mustInstallationLocked(installationID)
	want := map[string]bool{}
	for _, name := range added {
		want[strings.ToLower(name)] = true
	}
	return s.marshalPayload(map[string]any{
		"action":               "added",
		"installation":         s.installationJSON(inst),
		"repository_selection": "selected",
		"repositories_added":   s.installationRepoRefsLocked(inst.id, want),
		"repositories_removed": []any{},
		"requester":            s.userJSON(sender),
		"sender":               s.userJSON(sender),
	})
}

func (s *Server) mustInstallationLocked(id int64) *installation {
	inst, ok := s.st.installations[id]
	if !ok {
		panic(fmt.Sprintf("githubfake: installation %d was not added", id))
	}
	return inst
}

// installationRepoRefsLocked are the short repository objects of webhook
// payloads, of the repositories an installation covers (only the named
// ones when names is not nil). Caller holds s.mu.
func (s *Server) installationRepoRefsLocked(id int64, names map[string]bool) []any {
	out := []any{}
	for _, key := range sortedKeys(s.st.repos) {
		rs := s.st.repos[key]
		if rs.InstallationID != id || (names != nil && !names[strings.ToLower(rs.Name)]) {
			continue
		}
		out = append(out, map[string]any{
			"id": rs.ID, "node_id": nodeID("10:Repository", rs.ID), "name": rs.Name,
			"full_name": rs.FullName(), "private": rs.Private,
		})
	}
	return out
}
