package githubfake

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

func (s *Server) contentsRoutes(add addRoute) {
	const contentsDoc = docsRoot + "/repos/contents"
	const refsDoc = docsRoot + "/git/refs"
	read := needs("contents:read")
	write := needs("contents:write")
	add("GET", "/repos/{owner}/{repo}/contents", authInstallation, read, contentsDoc+"#get-repository-content", s.handleGetContent)
	add("GET", "/repos/{owner}/{repo}/contents/{path...}", authInstallation, read, contentsDoc+"#get-repository-content", s.handleGetContent)
	add("PUT", "/repos/{owner}/{repo}/contents/{path...}", authInstallation, write, contentsDoc+"#create-or-update-file-contents", s.handlePutContent)
	add("GET", "/repos/{owner}/{repo}/git/ref/{ref...}", authInstallation, read, refsDoc+"#get-a-reference", s.handleGetRef)
	add("POST", "/repos/{owner}/{repo}/git/refs", authInstallation, write, refsDoc+"#create-a-reference", s.handleCreateRef)
	add("PATCH", "/repos/{owner}/{repo}/git/refs/{ref...}", authInstallation, write, refsDoc+"#update-a-reference", s.handleUpdateRef)
	add("DELETE", "/repos/{owner}/{repo}/git/refs/{ref...}", authInstallation, write, refsDoc+"#delete-a-reference", s.handleDeleteRef)
	add("GET", "/repos/{owner}/{repo}/branches/{branch...}", authInstallation, read, docsRoot+"/branches/branches#get-a-branch", s.handleGetBranch)
}

// maxInlineContent is the largest file the contents API returns inline.
const maxInlineContent = 1 << 20

// contentJSON renders a file of a commit; withContent adds the base64 content.
func (s *Server) contentJSON(rs *repoState, ref, path string, content []byte, withContent bool) map[string]any {
	sha := blobSHA(content)
	self := s.apiURL("repos/%s/contents/%s?ref=%s", rs.FullName(), escapePath(path), url.QueryEscape(ref))
	git := s.apiURL("repos/%s/git/blobs/%s", rs.FullName(), sha)
	html := s.webURL("%s/blob/%s/%s", rs.FullName(), ref, path)
	m := map[string]any{
		"type":         "file",
		"size":         len(content),
		"name":         lastSegment(path),
		"path":         path,
		"sha":          sha,
		"url":          self,
		"git_url":      git,
		"html_url":     html,
		"download_url": s.apiURL("_raw/%s/%s/%s", rs.FullName(), url.PathEscape(ref), escapePath(path)),
		"_links":       map[string]any{"self": self, "git": git, "html": html},
	}
	switch {
	case withContent && len(content) > maxInlineContent:
		// Files over 1 MB come without their content, to be read from download_url.
		m["encoding"] = "none"
		m["content"] = ""
	case withContent:
		m["encoding"] = "base64"
		m["content"] = wrapBase64(content)
	}
	return m
}

// wrapBase64 encodes like GitHub: base64 with a newline after every 60 characters.
func wrapBase64(content []byte) string {
	enc := base64.StdEncoding.EncodeToString(content)
	var b strings.Builder
	for len(enc) > 60 {
		b.WriteString(enc[:60])
		b.WriteByte('\n')
		enc = enc[60:]
	}
	b.WriteString(enc)
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		parts[i] = url.PathEscape(part)
	}
	return strings.Join(parts, "/")
}

func (s *Server) handleGetContent(c *call) {
	path := strings.Trim(c.param("path"), "/")
	ref := c.query("ref")
	s.mu.Lock()
	if ref == "" {
		ref = c.repo.DefaultBranch
	}
	commit := c.repo.resolveRef(ref)
	var body any
	if commit != nil {
		if content, ok := commit.files[path]; ok {
			body = s.contentJSON(c.repo, ref, path, content, true)
		} else if entries := s.dirEntries(c.repo, commit, ref, path); len(entries) > 0 {
			body = entries
		}
	}
	s.mu.Unlock()
	switch {
	case commit == nil:
		c.fail(http.StatusNotFound, "No commit found for the ref "+ref)
	case body == nil:
		c.fail(http.StatusNotFound, "Not Found")
	default:
		c.json(http.StatusOK, body)
	}
}

// dirEntries lists a directory of a commit as the contents API does. Caller holds s.mu.
func (s *Server) dirEntries(rs *repoState, commit *commit, ref, dir string) []any {
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	seen := map[string]bool{}
	var names []string
	for p := range commit.files {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(p, prefix), "/")
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []any
	for _, name := range names {
		full := prefix + name
		if content, ok := commit.files[full]; ok {
			out = append(out, s.contentJSON(rs, ref, full, content, false))
			continue
		}
		self := s.apiURL("repos/%s/contents/%s?ref=%s", rs.FullName(), escapePath(full), url.QueryEscape(ref))
		html := s.webURL("%s/tree/%s/%s", rs.FullName(), ref, full)
		out = append(out, map[string]any{
			"type": "dir", "size": 0, "name": name, "path": full, "sha": treeSHA(nil),
			"url": self, "git_url": nil, "html_url": html, "download_url": nil,
			"_links": map[string]any{"self": self, "git": nil, "html": html},
		})
	}
	return out
}

// serveRaw serves a file's raw bytes, like the download_url host.
func (s *Server) serveRaw(w http.ResponseWriter, _ *http.Request, rest string) {
	parts := strings.SplitN(rest, "/", 4)
	if len(parts) < 4 {
		http.NotFound(w, nil)
		return
	}
	ref, _ := url.PathUnescape(parts[2])
	path, _ := url.PathUnescape(parts[3])
	s.mu.Lock()
	var content []byte
	found := false
	if rs := s.st.lookupRepo(parts[0], parts[1]); rs != nil {
		if commit := rs.resolveRef(ref); commit != nil {
			content, found = commit.files[path]
		}
	}
	s.mu.Unlock()
	if !found {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("404: Not Found"))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(content)
}

type putContentRequest struct {
	Message   string `json:"message"`
	Content   string `json:"content"`
	SHA       string `json:"sha"`
	Branch    string `json:"branch"`
	Committer *struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"committer"`
}

// handlePutContent creates or updates a file with a new commit on a branch.
func (s *Server) handlePutContent(c *call) {
	path := strings.Trim(c.param("path"), "/")
	if strings.HasPrefix(path, ".github/workflows/") && !c.auth.token.hasPerm("workflows", "write") {
		c.w.Header().Set("X-Accepted-GitHub-Permissions", needs("contents:write", "workflows:write").String())
		c.fail(http.StatusForbidden, fmt.Sprintf("refusing to allow a GitHub App to create or update workflow `%s` without `workflows` permission", path))
		return
	}
	var req putContentRequest
	if !c.decode(&req) {
		return
	}
	switch {
	case req.Message == "":
		c.invalid("Invalid request.\n\n\"message\" wasn't supplied.")
		return
	case req.Content == "" && c.r.ContentLength == 0:
		c.invalid("Invalid request.\n\n\"content\" wasn't supplied.")
		return
	}
	content, err := base64.StdEncoding.DecodeString(req.Content)
	if err != nil {
		c.invalid("content is not valid Base64")
		return
	}
	s.mu.Lock()
	status, body, problem := s.putContentLocked(c.repo, path, content, req)
	s.mu.Unlock()
	switch {
	case status == http.StatusUnprocessableEntity:
		c.invalid(problem)
	case problem != "":
		c.fail(status, problem)
	default:
		c.json(status, body)
	}
}

func (s *Server) putContentLocked(rs *repoState, path string, content []byte, req putContentRequest) (int, map[string]any, string) {
	branch := req.Branch
	if branch == "" {
		branch = rs.DefaultBranch
	}
	branch = strings.TrimPrefix(branch, "refs/heads/")
	headSHA, ok := rs.branches[branch]
	if !ok {
		return http.StatusNotFound, nil, "Branch " + branch + " not found"
	}
	head := rs.commits[headSHA]
	existing, exists := head.files[path]
	switch {
	case exists && req.SHA == "":
		return http.StatusUnprocessableEntity, nil, "Invalid request.\n\n\"sha\" wasn't supplied."
	case exists && req.SHA != blobSHA(existing):
		return http.StatusConflict, nil, fmt.Sprintf("%s does not match %s", path, req.SHA)
	}
	files := copyFiles(head.files)
	files[path] = content
	author := "" + s.opts.AppSlug + "[bot]"
	if req.Committer != nil && req.Committer.Name != "" {
		author = req.Committer.Name
	}
	next := rs.newCommit(s.st, head.sha, req.Message, author, files, s.now())
	rs.branches[branch] = next.sha
	status := http.StatusOK
	if !exists {
		status = http.StatusCreated
	}
	return status, map[string]any{
		"content": s.contentJSON(rs, branch, path, content, false),
		"commit":  s.gitCommitJSON(rs, next),
	}, ""
}

// gitCommitJSON renders a git commit object.
func (s *Server) gitCommitJSON(rs *repoState, c *commit) map[string]any {
	person := map[string]any{"name": c.author, "email": c.author + "@users.noreply.github.com", "date": ts(c.date)}
	parents := []any{}
	if c.parent != "" {
		parents = append(parents, map[string]any{
			"sha":      c.parent,
			"url":      s.apiURL("repos/%s/git/commits/%s", rs.FullName(), c.parent),
			"html_url": s.webURL("%s/commit/%s", rs.FullName(), c.parent),
		})
	}
	tree := treeSHA(c.files)
	return map[string]any{
		"sha":       c.sha,
		"node_id":   nodeID("6:Commit", stableID("commit", c.sha)),
		"url":       s.apiURL("repos/%s/git/commits/%s", rs.FullName(), c.sha),
		"html_url":  s.webURL("%s/commit/%s", rs.FullName(), c.sha),
		"author":    person,
		"committer": person,
		"message":   c.message,
		"tree":      map[string]any{"sha": tree, "url": s.apiURL("repos/%s/git/trees/%s", rs.FullName(), tree)},
		"parents":   parents,
		"verification": map[string]any{
			"verified": false, "reason": "unsigned", "signature": nil, "payload": nil,
		},
	}
}

// refJSON renders a git reference of a branch.
func (s *Server) refJSON(rs *repoState, branch, sha string) map[string]any {
	return map[string]any{
		"ref":     "refs/heads/" + branch,
		"node_id": nodeID("3:Ref", stableID("ref", rs.FullName()+branch)),
		"url":     s.apiURL("repos/%s/git/refs/heads/%s", rs.FullName(), branch),
		"object": map[string]any{
			"sha":  sha,
			"type": "commit",
			"url":  s.apiURL("repos/%s/git/commits/%s", rs.FullName(), sha),
		},
	}
}

func (s *Server) handleGetRef(c *call) {
	ref := c.param("ref")
	branch, isHead := strings.CutPrefix(ref, "heads/")
	s.mu.Lock()
	sha, ok := c.repo.branches[branch]
	var body map[string]any
	if isHead && ok {
		body = s.refJSON(c.repo, branch, sha)
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

func (s *Server) handleCreateRef(c *call) {
	var req struct {
		Ref string `json:"ref"`
		SHA string `json:"sha"`
	}
	if !c.decode(&req) {
		return
	}
	if req.Ref == "" || req.SHA == "" {
		c.invalid("Invalid request.\n\n\"ref\" and \"sha\" are required.")
		return
	}
	if !strings.HasPrefix(req.Ref, "refs/") || strings.Count(req.Ref, "/") < 2 {
		c.invalid("Reference name must start with 'refs/' and have at least two slashes.")
		return
	}
	branch, isHead := strings.CutPrefix(req.Ref, "refs/heads/")
	if !isHead {
		c.invalid("Only branch references (refs/heads/...) are supported.")
		return
	}
	s.mu.Lock()
	_, exists := c.repo.branches[branch]
	_, known := c.repo.commits[strings.ToLower(req.SHA)]
	var body map[string]any
	if !exists && known {
		c.repo.branches[branch] = strings.ToLower(req.SHA)
		body = s.refJSON(c.repo, branch, strings.ToLower(req.SHA))
	}
	s.mu.Unlock()
	switch {
	case exists:
		c.invalid("Reference already exists")
	case !known:
		c.invalid("Object does not exist")
	default:
		c.w.Header().Set("Location", body["url"].(string))
		c.json(http.StatusCreated, body)
	}
}

func (s *Server) handleUpdateRef(c *call) {
	var req struct {
		SHA   string `json:"sha"`
		Force bool   `json:"force"`
	}
	if !c.decode(&req) {
		return
	}
	branch, isHead := strings.CutPrefix(c.param("ref"), "heads/")
	s.mu.Lock()
	current, exists := c.repo.branches[branch]
	target, known := c.repo.commits[strings.ToLower(req.SHA)]
	fastForward := known && isAncestor(c.repo, current, target)
	var body map[string]any
	if isHead && exists && known && (fastForward || req.Force) {
		c.repo.branches[branch] = target.sha
		body = s.refJSON(c.repo, branch, target.sha)
	}
	s.mu.Unlock()
	switch {
	case !isHead || !exists:
		c.invalid("Reference does not exist")
	case !known:
		c.invalid("Object does not exist")
	case body == nil:
		c.invalid("Update is not a fast forward")
	default:
		c.json(http.StatusOK, body)
	}
}

// isAncestor tells whether ancestor is reachable from c through parents.
func isAncestor(rs *repoState, ancestor string, c *commit) bool {
	for c != nil {
		if c.sha == ancestor {
			return true
		}
		c = rs.commits[c.parent]
	}
	return false
}

func (s *Server) handleDeleteRef(c *call) {
	branch, isHead := strings.CutPrefix(c.param("ref"), "heads/")
	s.mu.Lock()
	_, exists := c.repo.branches[branch]
	deletable := isHead && exists && branch != c.repo.DefaultBranch
	if deletable {
		delete(c.repo.branches, branch)
	}
	s.mu.Unlock()
	if !deletable {
		c.invalid("Reference does not exist")
		return
	}
	c.noContent()
}

func (s *Server) handleGetBranch(c *call) {
	branch := c.param("branch")
	s.mu.Lock()
	sha, ok := c.repo.branches[branch]
	var body map[string]any
	if ok {
		cm := c.repo.commits[sha]
		api := s.apiURL("repos/%s/branches/%s", c.repo.FullName(), branch)
		body = map[string]any{
			"name": branch,
			"commit": map[string]any{
				"sha":       sha,
				"node_id":   nodeID("6:Commit", stableID("commit", sha)),
				"url":       s.apiURL("repos/%s/commits/%s", c.repo.FullName(), sha),
				"html_url":  s.webURL("%s/commit/%s", c.repo.FullName(), sha),
				"commit":    s.gitCommitJSON(c.repo, cm),
				"author":    s.userJSON(cm.author),
				"committer": s.userJSON(cm.author),
				"parents":   s.gitCommitJSON(c.repo, cm)["parents"],
			},
			"_links":         map[string]any{"self": api, "html": s.webURL("%s/tree/%s", c.repo.FullName(), branch)},
			"protected":      false,
			"protection":     map[string]any{"enabled": false, "required_status_checks": map[string]any{"enforcement_level": "off", "contexts": []string{}, "checks": []any{}}},
			"protection_url": api + "/protection",
		}
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Branch not found")
		return
	}
	c.json(http.StatusOK, body)
}

// hasPerm tells whether a token holds a permission at a level or above.
func (t *installToken) hasPerm(name, level string) bool {
	return needs(name + ":" + level).satisfiedBy(t.perms)
}
