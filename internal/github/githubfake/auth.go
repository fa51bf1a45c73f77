package githubfake

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// authInfo is what the Authorization header of a request turned out to be.
type authInfo struct {
	// kind is "jwt", "installation", "none" or "other".
	kind string
	// token is the installation token, for kind "installation".
	token *installToken
	// problem explains why credentials were not accepted.
	problem string
}

func (s *Server) classifyAuth(r *http.Request) authInfo {
	header := r.Header.Get("Authorization")
	if header == "" {
		return authInfo{kind: "none"}
	}
	fields := strings.Fields(header)
	if len(fields) != 2 || !(strings.EqualFold(fields[0], "bearer") || strings.EqualFold(fields[0], "token")) {
		return authInfo{kind: "other", problem: "Bad credentials"}
	}
	cred := fields[1]
	if strings.Count(cred, ".") == 2 {
		if problem := s.verifyJWT(cred); problem != "" {
			return authInfo{kind: "other", problem: problem}
		}
		return authInfo{kind: "jwt"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, ok := s.st.tokens[cred]
	if !ok || !s.now().Before(tok.expires) {
		return authInfo{kind: "other", problem: "Bad credentials"}
	}
	return authInfo{kind: "installation", token: tok}
}

// verifyJWT checks an app JWT like GitHub: RS256 signed by the app key, "iss"
// the app ID, not expired and not valid for more than ten minutes. It returns
// GitHub's complaint, or "" when the token is good.
func (s *Server) verifyJWT(token string) string {
	return verifyAppJWT(token, func(int64) (*rsa.PublicKey, bool) { return &s.key.PublicKey, true }, s.opts.AppID, s.now())
}

// jwtIssuer reads the "iss" claim of an app JWT without verifying it, to
// find the App whose key must have signed it; 0 when there is none.
func jwtIssuer(token string) int64 {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return 0
	}
	claimsJSON, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return 0
	}
	var claims struct {
		Iss any `json:"iss"`
	}
	if json.Unmarshal(claimsJSON, &claims) != nil {
		return 0
	}
	switch v := claims.Iss.(type) {
	case string:
		id, _ := strconv.ParseInt(v, 10, 64)
		return id
	case float64:
		return int64(v)
	}
	return 0
}

// verifyAppJWT checks an app JWT signed by the key of App appID (keyOf
// finds it), valid at now.
func verifyAppJWT(token string, keyOf func(appID int64) (*rsa.PublicKey, bool), appID int64, now time.Time) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "A JSON web token could not be decoded"
	}
	headerJSON, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	claimsJSON, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return "A JSON web token could not be decoded"
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(headerJSON, &header) != nil || header.Alg != "RS256" {
		return "A JSON web token could not be decoded"
	}
	key, ok := keyOf(appID)
	if !ok {
		return "Integration not found"
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], sig) != nil {
		return "A JSON web token could not be decoded"
	}
	var claims struct {
		Iat int64 `json:"iat"`
		Exp int64 `json:"exp"`
	}
	if json.Unmarshal(claimsJSON, &claims) != nil {
		return "A JSON web token could not be decoded"
	}
	if jwtIssuer(token) != appID {
		return "'Issuer' claim ('iss') must be an Integer"
	}
	unix := now.Unix()
	switch {
	case claims.Exp <= unix:
		return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
	case claims.Exp-claims.Iat > 600:
		return "'Expiration time' claim ('exp') is too far in the future"
	case claims.Iat > unix+60:
		return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
	}
	return ""
}

// authorize applies the route's credential, repository and permission rules,
// answering the request itself when they fail.
func (c *call) authorize() bool {
	switch c.route.auth {
	case authNone:
		return true
	case authJWT:
		if c.auth.kind != "jwt" {
			msg := c.auth.problem
			if msg == "" || c.auth.kind == "installation" {
				msg = "A JSON web token could not be decoded"
			}
			c.fail(http.StatusUnauthorized, msg)
			return false
		}
		return true
	}
	switch c.auth.kind {
	case "installation":
	case "none":
		c.fail(http.StatusUnauthorized, "Requires authentication")
		return false
	default:
		c.fail(http.StatusUnauthorized, "Bad credentials")
		return false
	}
	if owner, name := c.params["owner"], c.params["repo"]; owner != "" && name != "" {
		c.s.mu.Lock()
		rs := c.s.st.lookupRepo(owner, name)
		covered := rs != nil && c.covers(rs)
		c.s.mu.Unlock()
		if !covered {
			c.fail(http.StatusNotFound, "Not Found")
			return false
		}
		c.repo = rs
	}
	return c.require(c.route.perm)
}

// covers tells whether the call's token may act on a repository. Caller holds s.mu.
func (c *call) covers(rs *repoState) bool {
	tok := c.auth.token
	if rs.InstallationID != tok.inst.id {
		return false
	}
	return tok.repoIDs == nil || tok.repoIDs[rs.ID]
}

// require checks an app permission, answering 403 with X-Accepted-GitHub-Permissions when missing.
func (c *call) require(p permReq) bool {
	if len(p) == 0 || p.satisfiedBy(c.auth.token.perms) {
		return true
	}
	c.w.Header().Set("X-Accepted-GitHub-Permissions", p.String())
	c.fail(http.StatusForbidden, "Resource not accessible by integration")
	return false
}

// permReq lists alternative sets of permissions; any one complete set suffices.
type permReq [][]perm

type perm struct{ name, level string }

// needs builds a requirement of one set of "name:level" permissions.
func needs(specs ...string) permReq { return permReq{parsePerms(specs)} }

// either adds an alternative set to a requirement.
func (p permReq) either(specs ...string) permReq { return append(p, parsePerms(specs)) }

func parsePerms(specs []string) []perm {
	out := make([]perm, len(specs))
	for i, sp := range specs {
		name, level, _ := strings.Cut(sp, ":")
		out[i] = perm{name: name, level: level}
	}
	return out
}

var levelRank = map[string]int{"": 0, "none": 0, "read": 1, "write": 2, "admin": 3}

func (p permReq) satisfiedBy(granted map[string]string) bool {
	for _, set := range p {
		ok := true
		for _, need := range set {
			have := granted[need.name]
			if need.name == "metadata" && have == "" {
				have = "read"
			}
			if levelRank[have] < levelRank[need.level] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// String renders the requirement as GitHub's X-Accepted-GitHub-Permissions
// header: permissions of one set joined by ",", alternative sets by "; ".
func (p permReq) String() string {
	sets := make([]string, len(p))
	for i, set := range p {
		items := make([]string, len(set))
		for j, need := range set {
			items[j] = need.name + "=" + need.level
		}
		sets[i] = strings.Join(items, ",")
	}
	return strings.Join(sets, "; ")
}

func (s *Server) authRoutes(add addRoute) {
	const appsDoc = docsRoot + "/apps/apps"
	add("GET", "/app", authJWT, nil, appsDoc+"#get-the-authenticated-app", s.handleGetApp)
	add("GET", "/app/installations", authJWT, nil, appsDoc+"#list-installations-for-the-authenticated-app", s.handleListInstallations)
	add("GET", "/app/installations/{id}", authJWT, nil, appsDoc+"#get-an-installation-for-the-authenticated-app", s.handleGetInstallation)
	add("POST", "/app/installations/{id}/access_tokens", authJWT, nil, appsDoc+"#create-an-installation-access-token-for-an-app", s.handleCreateToken)
	add("GET", "/repos/{owner}/{repo}/installation", authJWT, nil, appsDoc+"#get-a-repository-installation-for-the-authenticated-app", s.handleRepoInstallation)
	add("GET", "/orgs/{org}/installation", authJWT, nil, appsDoc+"#get-an-organization-installation-for-the-authenticated-app", s.handleAccountInstallation)
	add("GET", "/users/{org}/installation", authJWT, nil, appsDoc+"#get-a-user-installation-for-the-authenticated-app", s.handleAccountInstallation)
	add("GET", "/installation/repositories", authInstallation, nil, docsRoot+"/apps/installations#list-repositories-accessible-to-the-app-installation", s.handleInstallationRepos)
}

func (s *Server) handleGetApp(c *call) {
	c.json(http.StatusOK, s.appJSON())
}

func (s *Server) handleListInstallations(c *call) {
	s.mu.Lock()
	var items []any
	for _, id := range sortedInstallationIDs(s.st.installations) {
		items = append(items, s.installationJSON(s.st.installations[id]))
	}
	s.mu.Unlock()
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, nonNil(items[page.start:page.end]))
}

func (s *Server) handleGetInstallation(c *call) {
	id, ok := c.intParam("id")
	if !ok {
		return
	}
	s.mu.Lock()
	inst := s.st.installations[id]
	var body map[string]any
	if inst != nil {
		body = s.installationJSON(inst)
	}
	s.mu.Unlock()
	if inst == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

func (s *Server) handleRepoInstallation(c *call) {
	s.mu.Lock()
	rs := s.st.lookupRepo(c.param("owner"), c.param("repo"))
	var body map[string]any
	if rs != nil {
		if inst := s.st.installations[rs.InstallationID]; inst != nil {
			body = s.installationJSON(inst)
		}
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

func (s *Server) handleAccountInstallation(c *call) {
	s.mu.Lock()
	var body map[string]any
	for _, id := range sortedInstallationIDs(s.st.installations) {
		if inst := s.st.installations[id]; strings.EqualFold(inst.account, c.param("org")) {
			body = s.installationJSON(inst)
			break
		}
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

// handleCreateToken issues an installation token, optionally narrowed to some
// repositories and permissions as the request body asks.
func (s *Server) handleCreateToken(c *call) {
	id, ok := c.intParam("id")
	if !ok {
		return
	}
	var req tokenRequest
	if !c.decode(&req) {
		return
	}
	s.mu.Lock()
	inst := s.st.installations[id]
	var body map[string]any
	problem := "Not Found"
	if inst != nil {
		body, problem = s.issueTokenLocked(inst, req)
	}
	s.mu.Unlock()
	switch {
	case inst == nil:
		c.fail(http.StatusNotFound, problem)
	case problem != "":
		c.invalid(problem)
	default:
		c.json(http.StatusCreated, body)
	}
}

type tokenRequest struct {
	Repositories  []string          `json:"repositories"`
	RepositoryIDs []int64           `json:"repository_ids"`
	Permissions   map[string]string `json:"permissions"`
}

func (s *Server) issueTokenLocked(inst *installation, req tokenRequest) (map[string]any, string) {
	perms := permsCopy(inst.perms)
	if _, ok := perms["metadata"]; !ok {
		perms["metadata"] = "read"
	}
	if len(req.Permissions) > 0 {
		for name, level := range req.Permissions {
			if levelRank[perms[name]] < levelRank[level] {
				return nil, "The permissions requested are not granted to this installation."
			}
		}
		perms = permsCopy(req.Permissions)
		perms["metadata"] = "read"
	}
	tok := &installToken{value: "ghs_" + randomAlnum(36), inst: inst, perms: perms, expires: s.now().Add(s.opts.TokenTTL).Truncate(time.Second)}
	var repos []any
	if len(req.Repositories) > 0 || len(req.RepositoryIDs) > 0 {
		tok.repoIDs = map[int64]bool{}
		wanted := map[string]bool{}
		for _, n := range req.Repositories {
			wanted[strings.ToLower(n)] = true
		}
		for _, rid := range req.RepositoryIDs {
			wanted["id:"+strconv.FormatInt(rid, 10)] = true
		}
		for _, key := range sortedKeys(s.st.repos) {
			rs := s.st.repos[key]
			if rs.InstallationID == inst.id && (wanted[strings.ToLower(rs.Name)] || wanted["id:"+strconv.FormatInt(rs.ID, 10)]) {
				tok.repoIDs[rs.ID] = true
				repos = append(repos, s.repoJSON(rs, false))
			}
		}
		if len(tok.repoIDs) != len(req.Repositories)+len(req.RepositoryIDs) {
			return nil, "There is at least one repository that does not exist or is not accessible to the parent installation."
		}
	}
	s.st.tokens[tok.value] = tok
	body := map[string]any{
		"token":                tok.value,
		"expires_at":           tok.expires.Format(time.RFC3339),
		"permissions":          perms,
		"repository_selection": "all",
	}
	if repos != nil {
		body["repository_selection"] = "selected"
		body["repositories"] = repos
	}
	return body, ""
}

func (s *Server) handleInstallationRepos(c *call) {
	s.mu.Lock()
	var items []any
	for _, key := range sortedKeys(s.st.repos) {
		if rs := s.st.repos[key]; c.covers(rs) {
			// GitHub lists full repository objects here (default_branch, archived, …).
			items = append(items, s.repoJSON(rs, true))
		}
	}
	s.mu.Unlock()
	page, ok := c.paginate(len(items), 30)
	if !ok {
		return
	}
	c.json(http.StatusOK, map[string]any{"total_count": len(items), "repository_selection": "all", "repositories": nonNil(items[page.start:page.end])})
}

func sortedInstallationIDs(m map[int64]*installation) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sortInt64s(ids)
	return ids
}

// randomAlnum returns n random characters from [A-Za-z0-9].
func randomAlnum(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("githubfake: reading random bytes: %v", err))
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	h := strings.ToUpper(hex.EncodeToString(b))
	return h[0:4] + ":" + h[4:8] + ":" + h[8:12] + ":" + h[12:16]
}

// newGUID returns a random RFC 4122 version 4 UUID.
func newGUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
