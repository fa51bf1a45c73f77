package githubfake

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

const testManifest = `{"name":"My Doctor","url":"https://example.com","hook_attributes":{"url":"https://bot.example.com/api/github/hook"},
"redirect_url":"http://127.0.0.1:5555/callback?keep=1","public":false,"default_events":["workflow_run","check_run"],
"default_permissions":{"checks":"write","actions":"read"}}`

func startFlow(t *testing.T) *ManifestFlow {
	t.Helper()
	s := New(Options{AppKey: sharedKey(t)})
	t.Cleanup(s.Close)
	m := s.StartManifestFlow()
	t.Cleanup(m.Close)
	return m
}

// create posts a manifest as the browser does and returns the redirect.
func create(t *testing.T, m *ManifestFlow, path, manifest string) *http.Response {
	t.Helper()
	resp, err := noFollow.PostForm(m.URL()+path, url.Values{"manifest": {manifest}})
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func convertCode(t *testing.T, m *ManifestFlow, prefix, code string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(m.URL()+prefix+"/app-manifests/"+code+"/conversions", "application/json", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body
}

func TestManifestFlowCreatesAndConvertsOnce(t *testing.T) {
	m := startFlow(t)
	resp := create(t, m, "/settings/apps/new?state=xyz", testManifest)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:5555", loc.Host)
	assert.Equal(t, "/callback", loc.Path)
	assert.Equal(t, "xyz", loc.Query().Get("state"), "the state is handed back")
	assert.Equal(t, "1", loc.Query().Get("keep"), "the redirect URL's own query is kept")
	code := loc.Query().Get("code")
	require.NotEmpty(t, code)

	apps := m.Apps()
	require.Len(t, apps, 1)
	assert.False(t, apps[0].Converted)
	assert.JSONEq(t, testManifest, string(apps[0].Manifest))

	status, body := convertCode(t, m, "", code)
	require.Equal(t, http.StatusCreated, status, body)
	for _, k := range []string{"id", "slug", "node_id", "owner", "name", "html_url", "client_id", "client_secret", "webhook_secret", "pem", "permissions", "events", "created_at"} {
		assert.Contains(t, body, k)
	}
	assert.Equal(t, "my-doctor", body["slug"])
	assert.Equal(t, "https://github.com/apps/my-doctor", body["html_url"])
	assert.Equal(t, "octocat", body["owner"].(map[string]any)["login"])
	assert.Equal(t, "User", body["owner"].(map[string]any)["type"])
	assert.Equal(t, map[string]any{"checks": "write", "actions": "read", "metadata": "read"}, body["permissions"])
	assert.Equal(t, []any{"check_run", "workflow_run"}, body["events"])
	block, _ := pem.Decode([]byte(body["pem"].(string)))
	require.NotNil(t, block)
	_, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	require.NoError(t, err, "the pem is a real RSA key")

	apps = m.Apps()
	assert.True(t, apps[0].Converted)
	assert.Equal(t, body["webhook_secret"], apps[0].WebhookSecret)
	assert.Equal(t, int64(body["id"].(float64)), apps[0].ID)

	status, body = convertCode(t, m, "", code)
	assert.Equal(t, http.StatusNotFound, status, "a code is used once")
	assert.Equal(t, "Not Found", body["message"])
}

func TestManifestFlowForAnOrganisation(t *testing.T) {
	m := startFlow(t)
	resp := create(t, m, "/organizations/acme/settings/apps/new?state=s", testManifest)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	// Enterprise Server's API prefix works as well.
	status, body := convertCode(t, m, "/api/v3", loc.Query().Get("code"))
	require.Equal(t, http.StatusCreated, status)
	assert.Equal(t, "acme", body["owner"].(map[string]any)["login"])
	assert.Equal(t, "Organization", body["owner"].(map[string]any)["type"])
	assert.Equal(t, "Organization", m.Apps()[0].OwnerType)
}

func TestManifestFlowRejectsBadManifests(t *testing.T) {
	tests := []struct {
		name, manifest, want string
	}{
		{"no manifest", "", "must hold JSON"},
		{"not JSON", "{name", "must hold JSON"},
		{"no name", `{"hook_attributes":{"url":"https://h.example"},"redirect_url":"https://r.example"}`, "name"},
		{"no hook URL", `{"name":"x","redirect_url":"https://r.example"}`, "hook_attributes.url"},
		{"hook URL not http", `{"name":"x","hook_attributes":{"url":"h.example"},"redirect_url":"https://r.example"}`, "hook_attributes.url"},
		{"no redirect URL", `{"name":"x","hook_attributes":{"url":"https://h.example"}}`, "redirect_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := startFlow(t)
			resp := create(t, m, "/settings/apps/new", tt.manifest)
			body, _ := io.ReadAll(resp.Body)
			assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
			assert.Contains(t, string(body), tt.want)
			assert.Empty(t, m.Apps())
		})
	}
}

func TestManifestFlowPassesTheRestToTheFake(t *testing.T) {
	m := startFlow(t)
	resp, err := http.Get(m.URL() + "/repos/acme/app")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the fake API answers")
	status, body := convertCode(t, m, "", "unknown")
	assert.Equal(t, http.StatusNotFound, status)
	assert.True(t, strings.HasSuffix(body["documentation_url"].(string), "#create-a-github-app-from-a-manifest"))
}
