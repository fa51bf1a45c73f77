package deploy_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// releaseWorkflow is the part of .github/workflows/release.yml these tests read.
type releaseWorkflow struct {
	On struct {
		Push struct {
			Tags []string `yaml:"tags"`
		} `yaml:"push"`
	} `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Permissions map[string]string `yaml:"permissions"`
		Steps       []struct {
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

const releasePath = repoRoot + "/.github/workflows/release.yml"

// TestReleaseWorkflowPassesItsOwnDiagnosis: the image job would not be
// diagnosed by ghcr-doctor itself: the token may only read by default, the
// job that pushes asks for packages: write, it logs in to ghcr.io with
// GITHUB_TOKEN and pushes a lower-case image name.
func TestReleaseWorkflowPassesItsOwnDiagnosis(t *testing.T) {
	var wf releaseWorkflow
	decodeYAML(t, releasePath, &wf)
	assert.Equal(t, []string{"v*"}, wf.On.Push.Tags, "released on version tags")
	assert.Equal(t, map[string]string{"contents": "read"}, wf.Permissions, "the workflow's token may only read")

	image, ok := wf.Jobs["image"]
	require.True(t, ok, "an image job")
	assert.Equal(t, "write", image.Permissions["packages"], "the job that pushes asks for packages: write itself")
	var login, push bool
	for _, s := range image.Steps {
		switch {
		case strings.HasPrefix(s.Uses, "docker/login-action@"):
			login = s.With["registry"] == "ghcr.io" && s.With["password"] == "${{ secrets.GITHUB_TOKEN }}"
		case strings.HasPrefix(s.Uses, "docker/build-push-action@"):
			push = s.With["push"] == "true"
			assert.Equal(t, "linux/amd64,linux/arm64", s.With["platforms"])
			assert.Equal(t, "mode=max", s.With["provenance"])
			assert.Equal(t, "true", s.With["sbom"])
			assert.Equal(t, "deploy/Dockerfile", s.With["file"])
		}
		if strings.Contains(s.Run, "ghcr.io/") {
			assert.Contains(t, s.Run, "${GITHUB_REPOSITORY,,}", "the image name is lower-cased")
		}
	}
	assert.True(t, login, "logs in to ghcr.io with GITHUB_TOKEN")
	assert.True(t, push, "pushes the image")

	bins, ok := wf.Jobs["binaries"]
	require.True(t, ok, "a binaries job")
	assert.Equal(t, map[string]string{"contents": "write"}, bins.Permissions)
	var script string
	for _, s := range bins.Steps {
		script += s.Run + "\n"
	}
	for _, target := range []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"} {
		assert.Contains(t, script, target)
	}
	for _, want := range []string{"sha256sum", "cyclonedx-gomod", "internal/version", ".Commit=", ".Date="} {
		assert.Contains(t, script, want)
	}
}

// TestWorkflowActionsArePinned: every action is pinned to a commit, with
// the release it is named in a comment.
func TestWorkflowActionsArePinned(t *testing.T) {
	pinned := regexp.MustCompile(`^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$`)
	uses := regexp.MustCompile(`^\s*(?:- )?uses:`)
	n := 0
	for i, line := range strings.Split(string(readFile(t, releasePath)), "\n") {
		if uses.MatchString(line) {
			n++
			assert.Regexp(t, pinned, line, "release.yml line %d: pin the action to a commit and name its release", i+1)
		}
	}
	assert.Greater(t, n, 0)
}
