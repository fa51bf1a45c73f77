package githubfake

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"time"
)

// This file renders the fake's state as GitHub's JSON objects. Every builder
// expects s.mu to be held.

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func nodeID(kind string, id int64) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("0%s%d", kind, id)))
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nonNil(items []any) []any {
	if items == nil {
		return []any{}
	}
	return items
}

func (s *Server) accountType(login string) string {
	if strings.HasSuffix(login, "[bot]") {
		return "Bot"
	}
	if _, ok := s.st.orgs[strings.ToLower(login)]; ok {
		return "Organization"
	}
	return "User"
}

// userJSON renders a simple-user.
func (s *Server) userJSON(login string) map[string]any {
	if login == "" {
		return nil
	}
	typ := s.accountType(login)
	id := stableID("user", login)
	base := s.apiURL("users/%s", login)
	return map[string]any{
		"login":               login,
		"id":                  id,
		"node_id":             nodeID("4:"+typ, id),
		"avatar_url":          fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", id),
		"gravatar_id":         "",
		"url":                 base,
		"html_url":            s.webURL("%s", login),
		"followers_url":       base + "/followers",
		"following_url":       base + "/following{/other_user}",
		"gists_url":           base + "/gists{/gist_id}",
		"starred_url":         base + "/starred{/owner}{/repo}",
		"subscriptions_url":   base + "/subscriptions",
		"organizations_url":   base + "/orgs",
		"repos_url":           base + "/repos",
		"events_url":          base + "/events{/privacy}",
		"received_events_url": base + "/received_events",
		"type":                typ,
		"site_admin":          false,
	}
}

// orgJSON renders an organization-simple.
func (s *Server) orgJSON(login string) map[string]any {
	id := stableID("user", login)
	base := s.apiURL("orgs/%s", login)
	return map[string]any{
		"login":              login,
		"id":                 id,
		"node_id":            nodeID("12:Organization", id),
		"url":                base,
		"repos_url":          base + "/repos",
		"events_url":         base + "/events",
		"hooks_url":          base + "/hooks",
		"issues_url":         base + "/issues",
		"members_url":        base + "/members{/member}",
		"public_members_url": base + "/public_members{/member}",
		"avatar_url":         fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", id),
		"description":        "",
	}
}

// repoJSON renders a repository; full adds the fields of full-repository.
func (s *Server) repoJSON(rs *repoState, full bool) map[string]any {
	api := s.apiURL("repos/%s", rs.FullName())
	owner := s.userJSON(rs.Owner)
	owner["type"] = rs.OwnerType
	visibility := "public"
	if rs.Private {
		visibility = "private"
	}
	m := map[string]any{
		"id":                rs.ID,
		"node_id":           nodeID("10:Repository", rs.ID),
		"name":              rs.Name,
		"full_name":         rs.FullName(),
		"private":           rs.Private,
		"owner":             owner,
		"html_url":          s.webURL("%s", rs.FullName()),
		"description":       nil,
		"fork":              rs.Fork,
		"url":               api,
		"archive_url":       api + "/{archive_format}{/ref}",
		"assignees_url":     api + "/assignees{/user}",
		"blobs_url":         api + "/git/blobs{/sha}",
		"branches_url":      api + "/branches{/branch}",
		"collaborators_url": api + "/collaborators{/collaborator}",
		"comments_url":      api + "/comments{/number}",
		"commits_url":       api + "/commits{/sha}",
		"compare_url":       api + "/compare/{base}...{head}",
		"contents_url":      api + "/contents/{+path}",
		"contributors_url":  api + "/contributors",
		"deployments_url":   api + "/deployments",
		"downloads_url":     api + "/downloads",
		"events_url":        api + "/events",
		"forks_url":         api + "/forks",
		"git_commits_url":   api + "/git/commits{/sha}",
		"git_refs_url":      api + "/git/refs{/sha}",
		"git_tags_url":      api + "/git/tags{/sha}",
		"hooks_url":         api + "/hooks",
		"issue_comment_url": api + "/issues/comments{/number}",
		"issue_events_url":  api + "/issues/events{/number}",
		"issues_url":        api + "/issues{/number}",
		"keys_url":          api + "/keys{/key_id}",
		"labels_url":        api + "/labels{/name}",
		"languages_url":     api + "/languages",
		"merges_url":        api + "/merges",
		"milestones_url":    api + "/milestones{/number}",
		"notifications_url": api + "/notifications{?since,all,participating}",
		"pulls_url":         api + "/pulls{/number}",
		"releases_url":      api + "/releases{/id}",
		"stargazers_url":    api + "/stargazers",
		"statuses_url":      api + "/statuses/{sha}",
		"subscribers_url":   api + "/subscribers",
		"subscription_url":  api + "/subscription",
		"tags_url":          api + "/tags",
		"teams_url":         api + "/teams",
		"trees_url":         api + "/git/trees{/sha}",
		"git_url":           "git://" + webHost(s.opts.WebURL) + "/" + rs.FullName() + ".git",
		"ssh_url":           "git@" + webHost(s.opts.WebURL) + ":" + rs.FullName() + ".git",
	}
	if !full {
		return m
	}
	openIssues := 0
	for _, is := range rs.issues {
		if is.State == "open" {
			openIssues++
		}
	}
	extra := map[string]any{
		"clone_url":                   s.webURL("%s.git", rs.FullName()),
		"svn_url":                     s.webURL("%s", rs.FullName()),
		"mirror_url":                  nil,
		"homepage":                    nil,
		"language":                    nil,
		"forks":                       0,
		"forks_count":                 0,
		"stargazers_count":            0,
		"watchers":                    0,
		"watchers_count":              0,
		"size":                        0,
		"default_branch":              rs.DefaultBranch,
		"open_issues":                 openIssues,
		"open_issues_count":           openIssues,
		"is_template":                 false,
		"topics":                      []string{},
		"has_issues":                  true,
		"has_projects":                true,
		"has_wiki":                    true,
		"has_pages":                   false,
		"has_downloads":               true,
		"has_discussions":             false,
		"archived":                    false,
		"disabled":                    false,
		"visibility":                  visibility,
		"pushed_at":                   ts(rs.createdAt),
		"created_at":                  ts(rs.createdAt),
		"updated_at":                  ts(rs.createdAt),
		"license":                     nil,
		"allow_forking":               true,
		"web_commit_signoff_required": false,
		"network_count":               0,
		"subscribers_count":           0,
		"custom_properties":           map[string]any{},
	}
	for k, v := range extra {
		m[k] = v
	}
	if rs.OwnerType == "Organization" {
		org := s.userJSON(rs.Owner)
		org["type"] = "Organization"
		m["organization"] = org
	}
	return m
}

// appJSON renders the app (integration).
func (s *Server) appJSON() map[string]any {
	perms := map[string]string{}
	events := map[string]bool{}
	for _, inst := range s.st.installations {
		for k, v := range inst.perms {
			if levelRank[v] > levelRank[perms[k]] {
				perms[k] = v
			}
		}
	}
	for _, e := range []string{"workflow_run", "issue_comment", "check_run", "pull_request", "push"} {
		events[e] = true
	}
	eventList := make([]string, 0, len(events))
	for e := range events {
		eventList = append(eventList, e)
	}
	sort.Strings(eventList)
	ownerLogin := s.opts.AppSlug + "-owner"
	return map[string]any{
		"id":                  s.opts.AppID,
		"slug":                s.opts.AppSlug,
		"node_id":             nodeID("3:App", s.opts.AppID),
		"client_id":           fmt.Sprintf("Iv1.%016x", s.opts.AppID),
		"owner":               s.userJSON(ownerLogin),
		"name":                s.opts.AppSlug,
		"description":         "",
		"external_url":        s.webURL("apps/%s", s.opts.AppSlug),
		"html_url":            s.webURL("apps/%s", s.opts.AppSlug),
		"created_at":          ts(s.started),
		"updated_at":          ts(s.started),
		"permissions":         perms,
		"events":              eventList,
		"installations_count": len(s.st.installations),
	}
}

// installationJSON renders an installation.
func (s *Server) installationJSON(inst *installation) map[string]any {
	account := s.userJSON(inst.account)
	account["type"] = inst.accountType
	targetType := inst.accountType
	return map[string]any{
		"id":                   inst.id,
		"account":              account,
		"repository_selection": "all",
		"access_tokens_url":    s.apiURL("app/installations/%d/access_tokens", inst.id),
		"repositories_url":     s.apiURL("installation/repositories"),
		"html_url":             s.webURL("settings/installations/%d", inst.id),
		"app_id":               s.opts.AppID,
		"app_slug":             s.opts.AppSlug,
		"target_id":            stableID("user", inst.account),
		"target_type":          targetType,
		"permissions":          inst.perms,
		"events":               []string{"check_run", "issue_comment", "pull_request", "push", "workflow_run"},
		"created_at":           ts(inst.createdAt),
		"updated_at":           ts(inst.createdAt),
		"single_file_name":     nil,
		"suspended_at":         nil,
		"suspended_by":         nil,
	}
}

// installationRefJSON is the {id, node_id} installation object of webhook payloads.
func installationRefJSON(id int64) map[string]any {
	return map[string]any{"id": id, "node_id": nodeID("23:Installation", id)}
}

// labelJSON renders a label.
func (s *Server) labelJSON(rs *repoState, name string) map[string]any {
	l := rs.labels[strings.ToLower(name)]
	if l == nil {
		l = &label{name: name, color: "ededed"}
	}
	return map[string]any{
		"id":          l.id,
		"node_id":     nodeID("5:Label", l.id),
		"url":         s.apiURL("repos/%s/labels/%s", rs.FullName(), l.name),
		"name":        l.name,
		"color":       l.color,
		"default":     false,
		"description": nil,
	}
}

func reactionRollup(url string, counts map[string]int) map[string]any {
	m := map[string]any{"url": url}
	total := 0
	for _, k := range reactionContents {
		m[k] = counts[k]
		total += counts[k]
	}
	m["total_count"] = total
	return m
}

var reactionContents = []string{"+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"}

// commitSummaryJSON renders the simple-commit used as a run's head_commit.
func (s *Server) commitSummaryJSON(rs *repoState, sha string) map[string]any {
	c := rs.commits[sha]
	message, author, date, tree := "", rs.Owner, s.started, ""
	if c != nil {
		message, author, date, tree = c.message, c.author, c.date, treeSHA(c.files)
	}
	person := map[string]any{"name": author, "email": author + "@users.noreply.github.com"}
	return map[string]any{
		"id":        sha,
		"tree_id":   tree,
		"message":   message,
		"timestamp": ts(date),
		"author":    person,
		"committer": person,
	}
}

// webHost is the host name of the web base URL.
func webHost(webURL string) string {
	return strings.TrimPrefix(strings.TrimPrefix(webURL, "https://"), "http://")
}
