package githubfake

import (
	"net/http"
	"sort"
	"strings"
)

func (s *Server) orgReposRoutes(add addRoute) {
	add("GET", "/orgs/{org}/repos", authInstallation, nil, docsRoot+"/repos/repos#list-organization-repositories", s.handleListOrgRepos)
}

// orgRepoTypes are the values of GET /orgs/{org}/repos?type=.
var orgRepoTypes = map[string]func(*repoState) bool{
	"all":     func(*repoState) bool { return true },
	"member":  func(*repoState) bool { return true },
	"public":  func(rs *repoState) bool { return !rs.Private },
	"private": func(rs *repoState) bool { return rs.Private },
	"forks":   func(rs *repoState) bool { return rs.Fork },
	"sources": func(rs *repoState) bool { return !rs.Fork },
}

// handleListOrgRepos lists an organisation's repositories that the token can
// reach (an installation token sees those of its installation), as full
// repository objects, paginated (30 by default, at most 100 a page).
// GitHub answers 422 for a type, sort or direction it does not know and
// 404 for an organisation it does not know (a user account included).
func (s *Server) handleListOrgRepos(c *call) {
	typ, sortBy, direction := orDefault(c.query("type"), "all"), orDefault(c.query("sort"), "created"), c.query("direction")
	keep, ok := orgRepoTypes[typ]
	switch {
	case !ok:
		c.invalid("Invalid request.\n\nNo subschema in \"anyOf\" matched.\n" + quote(typ) + " is not a member of [\"all\", \"public\", \"private\", \"forks\", \"sources\", \"member\"].")
		return
	case sortBy != "created" && sortBy != "updated" && sortBy != "pushed" && sortBy != "full_name":
		c.invalid("Invalid request.\n\n" + quote(sortBy) + " is not a member of [\"created\", \"updated\", \"pushed\", \"full_name\"].")
		return
	case direction != "" && direction != "asc" && direction != "desc":
		c.invalid("Invalid request.\n\n" + quote(direction) + " is not a member of [\"asc\", \"desc\"].")
		return
	}
	if direction == "" {
		direction = "desc"
		if sortBy == "full_name" {
			direction = "asc"
		}
	}
	s.mu.Lock()
	org, known := s.st.orgs[strings.ToLower(c.param("org"))]
	var repos []*repoState
	if known {
		for _, rs := range s.st.repos {
			if strings.EqualFold(rs.Owner, org.login) && c.covers(rs) && keep(rs) {
				repos = append(repos, rs)
			}
		}
	}
	sortRepos(repos, sortBy, direction == "desc")
	items := make([]any, 0, len(repos))
	for _, rs := range repos {
		items = append(items, s.repoJSON(rs, true))
	}
	s.mu.Unlock()
	if !known {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, items[page.start:page.end])
}

// sortRepos orders repositories by full name or by creation (the fake's
// repositories are never pushed to after creation), ties by ID.
func sortRepos(repos []*repoState, by string, desc bool) {
	sort.Slice(repos, func(i, j int) bool {
		a, b := repos[i], repos[j]
		if desc {
			a, b = b, a
		}
		if by == "full_name" {
			return strings.ToLower(a.FullName()) < strings.ToLower(b.FullName())
		}
		if !a.createdAt.Equal(b.createdAt) {
			return a.createdAt.Before(b.createdAt)
		}
		return a.ID < b.ID
	})
}

func orDefault(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return v
}

func quote(s string) string { return "\"" + s + "\"" }
