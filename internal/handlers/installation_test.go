package handlers

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/orgaudit"
)

// example reads one of GitHub's documented payloads, as the simulated
// GitHub's tests keep them, and changes it.
func example(t *testing.T, name string, mutate func(map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "github", "githubfake", "testdata", name))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	if mutate != nil {
		mutate(m)
	}
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

func TestInstallationHandler(t *testing.T) {
	tests := []struct {
		name       string
		event      string
		body       []byte
		wantKey    string
		wantReason string
		badBody    bool
	}{
		{name: "installed: the first audit", event: "installation", body: example(t, "installation.created.json", nil),
			wantKey: "org_audit:957387:installed", wantReason: orgaudit.ReasonInstalled},
		{name: "uninstalled: nothing", event: "installation",
			body: example(t, "installation.created.json", func(m map[string]any) { m["action"] = "deleted" })},
		{name: "suspended: nothing", event: "installation",
			body: example(t, "installation.created.json", func(m map[string]any) { m["action"] = "suspend" })},
		{name: "repositories added: another audit", event: "installation_repositories", body: example(t, "installation_repositories.added.json", nil),
			wantKey: "org_audit:957387:delivery:d-1", wantReason: orgaudit.ReasonRepositoriesAdded},
		{name: "repositories removed: nothing", event: "installation_repositories",
			body: example(t, "installation_repositories.added.json", func(m map[string]any) { m["action"] = "removed" })},
		{name: "no installation", event: "installation", badBody: true,
			body: example(t, "installation.created.json", func(m map[string]any) { delete(m, "installation") })},
		{name: "not JSON", event: "installation", body: []byte("{"), badBody: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &recordingQueue{}
			err := (&Installation{Base: Base{Queue: q}}).Handle(context.Background(), tt.event, "d-1", tt.body)
			if tt.badBody {
				var bad *BadPayloadError
				require.ErrorAs(t, err, &bad)
				assert.Empty(t, q.jobs)
				return
			}
			require.NoError(t, err)
			if tt.wantKey == "" {
				assert.Empty(t, q.jobs)
				return
			}
			require.Len(t, q.jobs, 1)
			job := q.jobs[0]
			assert.Equal(t, orgaudit.KindAudit, job.Kind)
			assert.Equal(t, tt.wantKey, job.Key)
			var req orgaudit.Request
			require.NoError(t, json.Unmarshal(job.Payload, &req))
			assert.Equal(t, orgaudit.Request{InstallationID: 957387, Account: "Codertocat", Reason: tt.wantReason}, req)
		})
	}
}
