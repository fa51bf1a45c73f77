package githubfake

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// ManifestFlow plays GitHub's side of registering a GitHub App from a
// manifest: the web pages a browser posts the manifest to
// (POST /settings/apps/new and /organizations/{org}/settings/apps/new, as
// after the user clicked "Create GitHub App") and the API call that turns
// the code GitHub hands back into the App's credentials
// (POST /app-manifests/{code}/conversions, also under /api/v3).
//
// It serves web pages and API on one address, like GitHub Enterprise
// Server; every other request goes to the fake GitHub API it wraps.
type ManifestFlow struct {
	fake *Server
	srv  *httptest.Server

	mu     sync.Mutex
	user   string
	nextID int64
	codes  map[string]*manifestGrant
	apps   []ManifestApp
	// failConversions answers that many conversions with 502, keeping the code.
	failConversions int
	// omitSecret leaves the webhook secret out of conversions.
	omitSecret bool
}

// ManifestApp is an App created through the manifest flow.
type ManifestApp struct {
	ID            int64
	Slug          string
	Name          string
	Owner         string
	OwnerType     string // "User" or "Organization"
	HookURL       string
	RedirectURL   string
	WebhookSecret string
	ClientID      string
	ClientSecret  string
	PEM           []byte
	Permissions   map[string]string
	Events        []string
	// Manifest is the manifest as the browser posted it.
	Manifest json.RawMessage
	// Converted is set once the code was exchanged.
	Converted bool
}

// manifestGrant is a code waiting for its conversion.
type manifestGrant struct {
	app     int // index into apps
	expires time.Time
}

// manifestCodeTTL is how long a code stays valid, as on GitHub.
const manifestCodeTTL = time.Hour

// StartManifestFlow starts a server for the manifest flow in front of the
// fake. Its owner for personal Apps is "octocat"; close it with Close.
func (s *Server) StartManifestFlow() *ManifestFlow {
	m := &ManifestFlow{fake: s, user: "octocat", nextID: s.opts.AppID + 1000, codes: map[string]*manifestGrant{}}
	m.srv = httptest.NewServer(m)
	return m
}

// URL is the address of both the web pages and the API, without a trailing slash.
func (m *ManifestFlow) URL() string { return m.srv.URL }

// Close stops the server.
func (m *ManifestFlow) Close() { m.srv.Close() }

// SetUser sets the login that owns personal Apps.
func (m *ManifestFlow) SetUser(login string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.user = login
}

// Apps lists the Apps created so far, oldest first.
func (m *ManifestFlow) Apps() []ManifestApp {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]ManifestApp, len(m.apps))
	for i, a := range m.apps {
		a.Permissions = permsCopy(a.Permissions)
		a.Events = cloneStrings(a.Events)
		a.PEM = append([]byte(nil), a.PEM...)
		out[i] = a
	}
	return out
}

// ServeHTTP answers the manifest flow's requests and passes the rest to the fake.
func (m *ManifestFlow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.EscapedPath(), "/api/v3")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case r.Method == http.MethodPost && path == "/settings/apps/new":
		m.createApp(w, r, "")
	case r.Method == http.MethodPost && len(parts) == 5 && parts[0] == "organizations" && parts[2] == "settings" && parts[3] == "apps" && parts[4] == "new":
		org, err := url.PathUnescape(parts[1])
		if err != nil || org == "" {
			http.NotFound(w, r)
			return
		}
		m.createApp(w, r, org)
	case len(parts) == 3 && parts[0] == "app-manifests" && parts[2] == "conversions":
		if r.Method != http.MethodPost {
			writeManifestError(w, http.StatusNotFound, "Not Found")
			return
		}
		code, err := url.PathUnescape(parts[1])
		if err != nil {
			writeManifestError(w, http.StatusNotFound, "Not Found")
			return
		}
		m.convert(w, code)
	case path == "/app/hook/config" && r.Method == http.MethodPatch:
		m.updateHookConfig(w, r)
	default:
		m.fake.ServeHTTP(w, r)
	}
}

// postedManifest is the part of a manifest the flow checks and uses.
type postedManifest struct {
	Name           string `json:"name"`
	URL            string `json:"url"`
	HookAttributes *struct {
		URL    string `json:"url"`
		Active *bool  `json:"active"`
	} `json:"hook_attributes"`
	RedirectURL        string            `json:"redirect_url"`
	Public             bool              `json:"public"`
	DefaultEvents      []string          `json:"default_events"`
	DefaultPermissions map[string]string `json:"default_permissions"`
}

// createApp is the "Create GitHub App" click: it validates the manifest,
// creates the App and redirects to its redirect_url with a code and the state.
func (m *ManifestFlow) createApp(w http.ResponseWriter, r *http.Request, org string) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Bad form", http.StatusBadRequest)
		return
	}
	raw := r.PostForm.Get("manifest")
	var man postedManifest
	if raw == "" || json.Unmarshal([]byte(raw), &man) != nil {
		http.Error(w, "Invalid GitHub App configuration: the manifest field must hold JSON", http.StatusUnprocessableEntity)
		return
	}
	switch {
	case strings.TrimSpace(man.Name) == "":
		http.Error(w, "Invalid GitHub App configuration: name can't be blank", http.StatusUnprocessableEntity)
		return
	case man.HookAttributes == nil || !isHTTPURL(man.HookAttributes.URL):
		http.Error(w, "Invalid GitHub App configuration: hook_attributes.url must be an http(s) URL", http.StatusUnprocessableEntity)
		return
	case !isHTTPURL(man.RedirectURL):
		http.Error(w, "Invalid GitHub App configuration: redirect_url must be an http(s) URL", http.StatusUnprocessableEntity)
		return
	}
	code := randomHex(20)
	m.mu.Lock()
	m.nextID++
	app := ManifestApp{
		ID: m.nextID, Slug: slugify(man.Name), Name: man.Name, Owner: m.user, OwnerType: "User",
		HookURL: man.HookAttributes.URL, RedirectURL: man.RedirectURL, Permissions: permsCopy(man.DefaultPermissions),
		Events: cloneStrings(man.DefaultEvents), Manifest: json.RawMessage(raw),
	}
	if org != "" {
		app.Owner, app.OwnerType = org, "Organization"
	}
	m.apps = append(m.apps, app)
	m.codes[code] = &manifestGrant{app: len(m.apps) - 1, expires: m.fake.now().Add(manifestCodeTTL)}
	m.mu.Unlock()

	target, _ := url.Parse(man.RedirectURL)
	q := target.Query()
	q.Set("code", code)
	if state := r.URL.Query().Get("state"); state != "" {
		q.Set("state", state)
	}
	target.RawQuery = q.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// convert exchanges a code once for the App's credentials.
func (m *ManifestFlow) convert(w http.ResponseWriter, code string) {
	m.mu.Lock()
	if m.failConversions > 0 {
		m.failConversions--
		m.mu.Unlock()
		writeManifestError(w, http.StatusBadGateway, "Server Error")
		return
	}
	grant, ok := m.codes[code]
	delete(m.codes, code)
	m.mu.Unlock()
	if !ok || m.fake.now().After(grant.expires) {
		writeManifestError(w, http.StatusNotFound, "Not Found")
		return
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		writeManifestError(w, http.StatusInternalServerError, "generating the App's key failed")
		return
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})

	m.mu.Lock()
	app := &m.apps[grant.app]
	app.Converted = true
	app.PEM = keyPEM
	if !m.omitSecret {
		app.WebhookSecret = randomHex(20)
	}
	app.ClientID = fmt.Sprintf("Iv23li%014x", app.ID)
	app.ClientSecret = randomHex(20)
	body := m.appJSON(*app)
	m.mu.Unlock()

	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(body)
}

// appJSON renders the conversion's answer: an integration with its secrets.
func (m *ManifestFlow) appJSON(a ManifestApp) map[string]any {
	m.fake.mu.Lock()
	owner := m.fake.userJSON(a.Owner)
	m.fake.mu.Unlock()
	owner["type"] = a.OwnerType
	events := cloneStrings(a.Events)
	sort.Strings(events)
	perms := permsCopy(a.Permissions)
	if _, ok := perms["metadata"]; !ok {
		perms["metadata"] = "read"
	}
	now := m.fake.now().Format(time.RFC3339)
	return map[string]any{
		"id":             a.ID,
		"slug":           a.Slug,
		"node_id":        nodeID("3:App", a.ID),
		"owner":          owner,
		"name":           a.Name,
		"description":    "",
		"external_url":   m.fake.webURL("apps/%s", a.Slug),
		"html_url":       m.fake.webURL("apps/%s", a.Slug),
		"created_at":     now,
		"updated_at":     now,
		"permissions":    perms,
		"events":         nonNilStrings(events),
		"client_id":      a.ClientID,
		"client_secret":  a.ClientSecret,
		"webhook_secret": nilIfEmpty(a.WebhookSecret),
		"pem":            string(a.PEM),
	}
}

func writeManifestError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"message":           message,
		"documentation_url": docsRoot + "/apps/apps#create-a-github-app-from-a-manifest",
	})
}

var slugUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

// slugify makes an App's URL name from its name, as GitHub does.
func slugify(name string) string {
	return strings.Trim(slugUnsafe.ReplaceAllString(strings.ToLower(name), "-"), "-")
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("githubfake: reading random bytes: %v", err))
	}
	return hex.EncodeToString(b)
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
