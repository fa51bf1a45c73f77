package action_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// root is the repository's root, where action.yml is.
const root = "../.."

// actionlint is the linter of GitHub Actions workflows, a Go module run
// through the module proxy.
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

type actionMetadata struct {
	Name        string
	Description string
	Inputs      map[string]struct {
		Description string
		Default     *string
	}
	Outputs map[string]struct {
		Description string
		Value       string
	}
	Runs struct {
		Using string
		Steps []struct {
			ID    string
			Shell string
			Env   map[string]string
			Run   string
		}
	}
}

func readAction(t *testing.T) actionMetadata {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	require.NoError(t, err)
	var a actionMetadata
	require.NoError(t, yaml.Unmarshal(b, &a))
	return a
}

func TestActionMetadata(t *testing.T) {
	a := readAction(t)
	assert.Equal(t, "composite", a.Runs.Using)
	assert.NotEmpty(t, a.Description)
	for _, name := range []string{"github-token", "comment", "fail-on-finding", "version"} {
		in, ok := a.Inputs[name]
		if assert.True(t, ok, "input %s", name) {
			assert.NotEmpty(t, in.Description, "input %s is documented", name)
			assert.NotNil(t, in.Default, "input %s has a default", name)
		}
	}
	assert.Equal(t, "${{ github.token }}", *a.Inputs["github-token"].Default)
	assert.Len(t, a.Outputs, 4)
	for _, name := range []string{"found", "cause", "fix", "report"} {
		out := a.Outputs[name]
		assert.NotEmpty(t, out.Description, "output %s is documented", name)
		assert.Equal(t, "${{ steps.diagnose.outputs."+name+" }}", out.Value)
	}

	require.Len(t, a.Runs.Steps, 2)
	install, diagnose := a.Runs.Steps[0], a.Runs.Steps[1]
	assert.Equal(t, "install", install.ID)
	assert.Contains(t, install.Run, "$GITHUB_ACTION_PATH/scripts/action-install.sh")
	assert.FileExists(t, filepath.Join(root, "scripts", "action-install.sh"))
	assert.Equal(t, "diagnose", diagnose.ID)
	assert.Equal(t, `"$GHCR_DOCTOR_BIN" action`, diagnose.Run)
	// Inputs reach the command through the environment, never inlined in a script.
	assert.Equal(t, map[string]string{
		"INPUT_GITHUB_TOKEN":    "${{ inputs.github-token }}",
		"INPUT_COMMENT":         "${{ inputs.comment }}",
		"INPUT_FAIL_ON_FINDING": "${{ inputs.fail-on-finding }}",
		"GHCR_DOCTOR_BIN":       "${{ steps.install.outputs.bin }}",
	}, diagnose.Env)
	for _, s := range a.Runs.Steps {
		assert.Equal(t, "bash", s.Shell)
		assert.NotContains(t, s.Run, "${{", "no expression inlined in a script")
	}
}

// TestExamplesPassActionlint lints the example workflows with actionlint,
// with the action itself in place of the published one, so that their
// inputs and outputs are checked against action.yml.
func TestExamplesPassActionlint(t *testing.T) {
	examples, err := filepath.Glob(filepath.Join(root, "examples", "action", "*.yml"))
	require.NoError(t, err)
	require.NotEmpty(t, examples)

	project := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(project, ".git"), 0o755), "actionlint finds the project by it")
	workflows := filepath.Join(project, ".github", "workflows")
	require.NoError(t, os.MkdirAll(workflows, 0o755))
	action, err := os.ReadFile(filepath.Join(root, "action.yml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(project, "action.yml"), action, 0o644))
	for _, ex := range examples {
		b, err := os.ReadFile(ex)
		require.NoError(t, err)
		require.Contains(t, string(b), "uses: ghcr-doctor/ghcr-doctor@v1", "%s uses the action", ex)
		local := strings.ReplaceAll(string(b), "uses: ghcr-doctor/ghcr-doctor@v1", "uses: ./")
		require.NoError(t, os.WriteFile(filepath.Join(workflows, filepath.Base(ex)), []byte(local), 0o644))
	}

	goCmd, err := exec.LookPath("go")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "run", actionlint, "-no-color")
	cmd.Dir = project
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if err != nil && isDownloadFailure(out.String()) && os.Getenv("CI") != "true" {
		t.Skipf("actionlint could not be fetched through the module proxy:\n%s", out.String())
	}
	assert.NoError(t, err, "actionlint:\n%s", out.String())
}

// isDownloadFailure tells a module that could not be fetched from a lint error.
func isDownloadFailure(out string) bool {
	for _, s := range []string{"dial tcp", "no such host", "proxyconnect", "i/o timeout", "connection refused"} {
		if strings.Contains(out, s) {
			return true
		}
	}
	return false
}

func TestInstallScriptPassesShellcheck(t *testing.T) {
	shellcheck, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skip("shellcheck is not installed")
	}
	out, err := exec.Command(shellcheck, filepath.Join(root, "scripts", "action-install.sh")).CombinedOutput()
	assert.NoError(t, err, "%s", out)
}
