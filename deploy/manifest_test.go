package deploy_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/handlers"
	"github.com/ghcr-doctor/ghcr-doctor/internal/server"
)

// appManifest is a GitHub App manifest, every field GitHub accepts.
type appManifest struct {
	Name           string `json:"name"`
	URL            string `json:"url"`
	Description    string `json:"description"`
	HookAttributes struct {
		URL    string `json:"url"`
		Active *bool  `json:"active"`
	} `json:"hook_attributes"`
	RedirectURL           string            `json:"redirect_url"`
	CallbackURLs          []string          `json:"callback_urls"`
	SetupURL              string            `json:"setup_url"`
	Public                *bool             `json:"public"`
	RequestOAuthOnInstall bool              `json:"request_oauth_on_install"`
	SetupOnUpdate         bool              `json:"setup_on_update"`
	DefaultEvents         []string          `json:"default_events"`
	DefaultPermissions    map[string]string `json:"default_permissions"`
}

func loadManifest(t *testing.T) *appManifest {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(readFile(t, "app-manifest.json")))
	dec.DisallowUnknownFields()
	var m appManifest
	require.NoError(t, dec.Decode(&m), "app-manifest.json")
	return &m
}

func TestManifestDeliversWebhooksToTheHookPath(t *testing.T) {
	m := loadManifest(t)
	assert.NotEmpty(t, m.Name)
	assert.Equal(t, "https://"+modulePath(t), m.URL)
	assert.Equal(t, false, *m.Public, "a private App: only its owner installs it")

	hook, err := url.Parse(m.HookAttributes.URL)
	require.NoError(t, err)
	assert.Equal(t, "https", hook.Scheme)
	assert.True(t, strings.HasSuffix(hook.Path, server.HookPath), "hook_attributes.url %q ends with %s", m.HookAttributes.URL, server.HookPath)
	cfg := parseConfig(t, "deploy/config.yml", readFile(t, "config.yml"))
	assert.Equal(t, strings.TrimSuffix(cfg.Server.PublicURL, "/")+server.HookPath, m.HookAttributes.URL,
		"the webhook URL is server.public_url plus the hook path")

	redirect, err := url.Parse(m.RedirectURL)
	require.NoError(t, err)
	assert.Equal(t, hook.Host, redirect.Host, "redirect_url on the same placeholder host")
}

func TestManifestSubscribesToTheHandledEvents(t *testing.T) {
	m := loadManifest(t)
	assert.Contains(t, m.DefaultEvents, "workflow_run")
	for _, event := range (&handlers.WorkflowRun{}).Handles() {
		assert.Contains(t, m.DefaultEvents, event, "a handler subscribes to %s", event)
	}
	for _, event := range m.DefaultEvents {
		_, err := github.ParseWebHook(event, []byte("{}"))
		assert.NoError(t, err, "%s: not a webhook event", event)
	}
	// GitHub sends every App its installation events; they cannot be subscribed to.
	for _, event := range (&handlers.Installation{}).Handles() {
		assert.NotContains(t, m.DefaultEvents, event, "%s is sent without a subscription", event)
	}
}

func TestManifestPermissionsAreValidAndLeast(t *testing.T) {
	m := loadManifest(t)
	raw, err := json.Marshal(m.DefaultPermissions)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var perms github.InstallationPermissions
	assert.NoError(t, dec.Decode(&perms), "every default_permissions key is a GitHub App permission")

	for name, level := range m.DefaultPermissions {
		assert.Contains(t, []string{"read", "write"}, level, "%s", name)
	}
	assert.Equal(t, "read", m.DefaultPermissions["metadata"], "metadata: read is mandatory")
}

// markdownTable returns the rows of the table under the "## heading" section of md,
// each row's cells with backticks and blanks trimmed, header and rule dropped.
func markdownTable(t *testing.T, md, heading string) [][]string {
	t.Helper()
	_, section, ok := strings.Cut(md, "\n## "+heading+"\n")
	require.True(t, ok, "app-manifest.md has a section %q", heading)
	section, _, _ = strings.Cut(section, "\n## ")
	var rows [][]string
	for _, line := range strings.Split(section, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			continue
		}
		var cells []string
		for _, cell := range strings.Split(strings.Trim(line, "|"), "|") {
			cells = append(cells, strings.Trim(strings.TrimSpace(cell), "`"))
		}
		rows = append(rows, cells)
	}
	require.Greater(t, len(rows), 2, "section %q has a table", heading)
	require.Regexp(t, regexp.MustCompile(`^-+$`), rows[1][0], "section %q: the table's rule", heading)
	return rows[2:]
}

func TestManifestDocumentationExplainsEveryPermission(t *testing.T) {
	m := loadManifest(t)
	md := string(readFile(t, "app-manifest.md"))

	explained := map[string]string{}
	for _, row := range markdownTable(t, md, "Permissions") {
		require.Len(t, row, 3, "permission row %q: permission | level | why", row)
		assert.NotEmpty(t, row[2], "%s: why", row[0])
		explained[row[0]] = row[1]
	}
	assert.Equal(t, m.DefaultPermissions, explained, "app-manifest.md's permission table and app-manifest.json list the same permissions at the same levels")

	events := map[string]bool{}
	for _, row := range markdownTable(t, md, "Events") {
		require.Len(t, row, 3, "event row %q: event | permission | why", row)
		assert.NotEmpty(t, row[2], "%s: why", row[0])
		assert.Contains(t, m.DefaultPermissions, row[1], "event %s needs permission %s, which the manifest must request", row[0], row[1])
		events[row[0]] = true
	}
	for _, event := range m.DefaultEvents {
		assert.True(t, events[event], "app-manifest.md explains event %s", event)
	}
	assert.Len(t, events, len(m.DefaultEvents), "app-manifest.md explains only events the manifest subscribes to")
}

func TestReadmeLinksTheManifestDocumentation(t *testing.T) {
	readme := string(readFile(t, repoRoot+"/README.md"))
	assert.True(t, strings.Contains(readme, "deploy/app-manifest.md"), "README.md must link deploy/app-manifest.md, the App manifest's explanation")
}
