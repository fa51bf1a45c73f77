package action

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadEnv(t *testing.T) {
	dir := t.TempDir()
	workflowRun := filepath.Join(dir, "workflow_run.json")
	require.NoError(t, os.WriteFile(workflowRun, []byte(`{"action":"completed","workflow_run":{"id":7001,"run_attempt":2}}`), 0o600))
	push := filepath.Join(dir, "push.json")
	require.NoError(t, os.WriteFile(push, []byte(`{"ref":"refs/heads/main"}`), 0o600))
	base := map[string]string{"GITHUB_REPOSITORY": "acme/app", "GITHUB_RUN_ID": "8001", "GITHUB_RUN_ATTEMPT": "3", "INPUT_GITHUB-TOKEN": "tok"}

	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, e Env)
	}{
		{"the current run, GitHub's addresses by default", nil, func(t *testing.T, e Env) {
			assert.Equal(t, Env{Repository: "acme/app", RunID: 8001, RunAttempt: 3, APIURL: "https://api.github.com",
				ServerURL: "https://github.com", Token: "tok"}, e)
		}},
		{"the event's workflow_run", map[string]string{"GITHUB_EVENT_PATH": workflowRun}, func(t *testing.T, e Env) {
			assert.Equal(t, int64(7001), e.RunID)
			assert.Equal(t, 2, e.RunAttempt)
			assert.True(t, e.FromEvent)
		}},
		{"an event without workflow_run", map[string]string{"GITHUB_EVENT_PATH": push}, func(t *testing.T, e Env) {
			assert.Equal(t, int64(8001), e.RunID)
			assert.False(t, e.FromEvent)
		}},
		{"no attempt means the latest", map[string]string{"GITHUB_RUN_ATTEMPT": ""}, func(t *testing.T, e Env) {
			assert.Zero(t, e.RunAttempt)
		}},
		{"GITHUB_TOKEN when the input is empty", map[string]string{"INPUT_GITHUB-TOKEN": "", "GITHUB_TOKEN": "env"}, func(t *testing.T, e Env) {
			assert.Equal(t, "env", e.Token)
		}},
		{"the input before GITHUB_TOKEN", map[string]string{"GITHUB_TOKEN": "env"}, func(t *testing.T, e Env) {
			assert.Equal(t, "tok", e.Token)
		}},
		{"inputs with underscores", map[string]string{"INPUT_GITHUB-TOKEN": "", "INPUT_GITHUB_TOKEN": "u", "INPUT_FAIL_ON_FINDING": "TRUE"}, func(t *testing.T, e Env) {
			assert.Equal(t, "u", e.Token)
			assert.True(t, e.FailOnFinding)
		}},
		{"booleans as actions/toolkit reads them", map[string]string{"INPUT_COMMENT": "True", "INPUT_FAIL-ON-FINDING": "false"}, func(t *testing.T, e Env) {
			assert.True(t, e.Comment)
			assert.False(t, e.FailOnFinding)
		}},
		{"the runner's files", map[string]string{"GITHUB_STEP_SUMMARY": "/s", "GITHUB_OUTPUT": "/o", "RUNNER_TEMP": "/t",
			"GITHUB_API_URL": "https://ghe.example.com/api/v3", "GITHUB_SERVER_URL": "https://ghe.example.com"}, func(t *testing.T, e Env) {
			assert.Equal(t, []string{"/s", "/o", "/t", "https://ghe.example.com/api/v3", "https://ghe.example.com"},
				[]string{e.StepSummary, e.Output, e.RunnerTemp, e.APIURL, e.ServerURL})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ReadEnv(getenv(base, tt.env))
			require.NoError(t, err)
			tt.check(t, e)
		})
	}
}

func TestReadEnvErrors(t *testing.T) {
	dir := t.TempDir()
	noID := filepath.Join(dir, "no_id.json")
	require.NoError(t, os.WriteFile(noID, []byte(`{"workflow_run":{}}`), 0o600))
	base := map[string]string{"GITHUB_REPOSITORY": "acme/app", "GITHUB_RUN_ID": "8001", "GITHUB_TOKEN": "tok"}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no token", map[string]string{"GITHUB_TOKEN": " "}, "no token"},
		{"no repository", map[string]string{"GITHUB_REPOSITORY": ""}, "GITHUB_REPOSITORY is not set"},
		{"a bad repository", map[string]string{"GITHUB_REPOSITORY": "acme"}, "GITHUB_REPOSITORY must be OWNER/NAME"},
		{"a bad run", map[string]string{"GITHUB_RUN_ID": "x"}, "GITHUB_RUN_ID must be a run's ID"},
		{"a bad attempt", map[string]string{"GITHUB_RUN_ATTEMPT": "0"}, "GITHUB_RUN_ATTEMPT must be a positive number"},
		{"a missing event file", map[string]string{"GITHUB_EVENT_PATH": filepath.Join(dir, "nope.json")}, "reading the event file"},
		{"a workflow_run without id", map[string]string{"GITHUB_EVENT_PATH": noID}, "the event's workflow_run has no id"},
		{"a boolean that is not one", map[string]string{"INPUT_FAIL-ON-FINDING": "1"}, `input fail-on-finding must be true or false, not "1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadEnv(getenv(base, tt.env))
			var se *SetupError
			require.ErrorAs(t, err, &se)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// getenv looks variables up in over, then base.
func getenv(base, over map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := over[k]; ok {
			return v
		}
		return base[k]
	}
}
