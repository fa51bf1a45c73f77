package githubfake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// authMode is the kind of credential a route demands.
type authMode int

const (
	// authInstallation requires an installation token.
	authInstallation authMode = iota
	// authJWT requires an app JWT.
	authJWT
	// authNone requires nothing (signed downloads).
	authNone
)

// route is one endpoint: method, path pattern, credentials, permission and handler.
type route struct {
	method string
	segs   []string
	auth   authMode
	// perm is the app permission demanded, as alternative sets; empty means none.
	perm permReq
	// doc is the documentation_url of the endpoint's errors.
	doc    string
	handle func(*call)
}

// call is one request being answered.
type call struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	route  *route
	params map[string]string
	auth   authInfo
	repo   *repoState
}

const docsRoot = "https://docs.github.com/rest"

func (s *Server) buildRoutes() []*route {
	var rs []*route
	add := func(method, pattern string, auth authMode, perm permReq, doc string, h func(*call)) {
		rs = append(rs, &route{method: method, segs: strings.Split(strings.Trim(pattern, "/"), "/"), auth: auth, perm: perm, doc: doc, handle: h})
	}
	s.authRoutes(add)
	s.hookConfigRoutes(add)
	s.actionsRoutes(add)
	s.contentsRoutes(add)
	s.pullsRoutes(add)
	s.pullFilesRoutes(add)
	s.reviewRoutes(add)
	s.issuesRoutes(add)
	s.checksRoutes(add)
	s.settingsRoutes(add)
	s.deliveriesRoutes(add)
	return rs
}

type addRoute func(method, pattern string, auth authMode, perm permReq, doc string, h func(*call))

// match finds the first route whose method and segments fit; "{x}" captures
// one segment and "{x...}" the rest of the path.
func (s *Server) match(method, escapedPath string) (*route, map[string]string) {
	parts := strings.Split(strings.Trim(escapedPath, "/"), "/")
	for _, rt := range s.routes {
		if rt.method != method {
			continue
		}
		if params, ok := matchSegments(rt.segs, parts); ok {
			return rt, params
		}
	}
	return nil, nil
}

func matchSegments(segs, parts []string) (map[string]string, bool) {
	params := map[string]string{}
	for i, seg := range segs {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "...}") {
			if i >= len(parts) {
				return nil, false
			}
			rest := make([]string, 0, len(parts)-i)
			for _, p := range parts[i:] {
				u, err := url.PathUnescape(p)
				if err != nil {
					return nil, false
				}
				rest = append(rest, u)
			}
			params[strings.TrimSuffix(seg[1:], "...}")] = strings.Join(rest, "/")
			return params, true
		}
		if i >= len(parts) {
			return nil, false
		}
		if strings.HasPrefix(seg, "{") {
			u, err := url.PathUnescape(parts[i])
			if err != nil || u == "" {
				return nil, false
			}
			params[seg[1:len(seg)-1]] = u
			continue
		}
		if seg != parts[i] {
			return nil, false
		}
	}
	return params, len(segs) == len(parts)
}

// ServeHTTP answers one request as GitHub would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	if strings.HasPrefix(path, "/api/v3/") {
		path = strings.TrimPrefix(path, "/api/v3")
	}
	auth := s.classifyAuth(r)
	// The request is recorded as soon as its status is known, before the
	// client can see the answer, so inspection right after a call is exact.
	rec := &statusRecorder{ResponseWriter: w, onStatus: func(code int) { s.recordRequest(r, path, code, auth) }}
	defer rec.finish()

	if strings.HasPrefix(path, "/_signed/") || strings.HasPrefix(path, "/_raw/") {
		if s.applyFault(rec, r, path, auth) {
			return
		}
		if strings.HasPrefix(path, "/_signed/") {
			s.serveSigned(rec, r, strings.TrimPrefix(path, "/_signed/"))
		} else {
			s.serveRaw(rec, r, strings.TrimPrefix(path, "/_raw/"))
		}
		return
	}
	s.setCommonHeaders(rec, auth)
	if s.applyFault(rec, r, path, auth) {
		return
	}
	rt, params := s.match(r.Method, path)
	c := &call{s: s, w: rec, r: r, route: rt, params: params, auth: auth}
	if rt == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	if !c.authorize() {
		return
	}
	rt.handle(c)
}

// statusRecorder reports the status code of a response once, when it is written.
type statusRecorder struct {
	http.ResponseWriter
	code     int
	onStatus func(int)
}

func (r *statusRecorder) setStatus(code int) {
	if r.code == 0 {
		r.code = code
		r.onStatus(code)
	}
}

func (r *statusRecorder) WriteHeader(code int) {
	r.setStatus(code)
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.setStatus(http.StatusOK)
	return r.ResponseWriter.Write(b)
}

// finish reports a response that wrote nothing as 200, as net/http sends it.
func (r *statusRecorder) finish() { r.setStatus(http.StatusOK) }

func (s *Server) recordRequest(r *http.Request, path string, status int, auth authInfo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	req := Request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Status: status, Auth: auth.kind, Time: s.now()}
	if auth.token != nil {
		req.InstallationID = auth.token.inst.id
	}
	s.st.requests = append(s.st.requests, req)
}

// setCommonHeaders writes the headers GitHub sends on every API response.
func (s *Server) setCommonHeaders(w http.ResponseWriter, auth authInfo) {
	h := w.Header()
	h.Set("X-GitHub-Request-Id", newRequestID())
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	limit, used, reset := s.countRate(auth)
	remaining := limit - used
	if remaining < 1 {
		remaining = 1 // the natural budget never runs out; inject PrimaryRateLimit to exhaust it
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
	h.Set("X-RateLimit-Resource", "core")
}

func (s *Server) countRate(auth authInfo) (limit, used int, reset int64) {
	key, limit := "anonymous", 60
	switch {
	case auth.token != nil:
		key, limit = fmt.Sprintf("installation:%d", auth.token.inst.id), 5000
	case auth.kind == "jwt":
		key, limit = "app", 5000
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.rateUsed[key]++
	hours := int64(s.now().Sub(s.started).Hours()) + 1
	return limit, s.st.rateUsed[key], s.started.Unix() + hours*3600
}

// json writes a JSON body; GET answers carry an ETag and honour If-None-Match.
func (c *call) json(status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		c.fail(http.StatusInternalServerError, fmt.Sprintf("encoding response: %v", err))
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if c.r.Method == http.MethodGet && status == http.StatusOK {
		sum := sha256.Sum256(body)
		etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
		h.Set("ETag", etag)
		if c.r.Header.Get("If-None-Match") == etag {
			c.w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	c.w.WriteHeader(status)
	_, _ = c.w.Write(body)
}

// apiError is one entry of a validation error's "errors" list.
type apiError struct {
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
}

// fail writes GitHub's basic error body.
func (c *call) fail(status int, message string) {
	doc := docsRoot
	if c.route != nil && c.route.doc != "" {
		doc = c.route.doc
	}
	c.json(status, map[string]any{"message": message, "documentation_url": doc})
}

// invalid writes a 422 with a message and field errors.
func (c *call) invalid(message string, errs ...apiError) {
	doc := docsRoot
	if c.route != nil && c.route.doc != "" {
		doc = c.route.doc
	}
	body := map[string]any{"message": message, "documentation_url": doc}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	c.json(http.StatusUnprocessableEntity, body)
}

func (c *call) noContent() { c.w.WriteHeader(http.StatusNoContent) }

// decode reads a JSON request body; it answers 400 itself when the body is not JSON.
func (c *call) decode(v any) bool {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(c.r.Body); err != nil {
		c.fail(http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	if buf.Len() == 0 {
		return true
	}
	if err := json.Unmarshal(buf.Bytes(), v); err != nil {
		c.fail(http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

func (c *call) param(name string) string { return c.params[name] }

// intParam parses a numeric path parameter; it answers 404 itself when it is not a number.
func (c *call) intParam(name string) (int64, bool) {
	n, err := strconv.ParseInt(c.params[name], 10, 64)
	if err != nil {
		c.fail(http.StatusNotFound, "Not Found")
		return 0, false
	}
	return n, true
}

func (c *call) query(name string) string { return c.r.URL.Query().Get(name) }
