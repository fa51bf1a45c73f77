package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ignoreRule is one line of a .dockerignore file.
type ignoreRule struct {
	pattern *regexp.Regexp
	// include marks an exception ("!pattern").
	include bool
}

// parseDockerignore compiles the rules of a .dockerignore file.
func parseDockerignore(t *testing.T, text string) []ignoreRule {
	t.Helper()
	var rules []ignoreRule
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var r ignoreRule
		if rest, ok := strings.CutPrefix(line, "!"); ok {
			line, r.include = rest, true
		}
		line = strings.TrimPrefix(filepath.ToSlash(filepath.Clean(line)), "/")
		r.pattern = regexp.MustCompile("^" + globToRegexp(line) + "$")
		rules = append(rules, r)
	}
	return rules
}

// globToRegexp translates Docker's patterns: * and ? within one path element,
// ** across any number of them.
func globToRegexp(glob string) string {
	var b strings.Builder
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; {
		case strings.HasPrefix(glob[i:], "**/"):
			b.WriteString("(.*/)?")
			i += 2
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// excluded applies the rules as Docker does: a rule matching the path or one
// of its parent directories decides, and the last deciding rule wins.
func excluded(rules []ignoreRule, path string) bool {
	out := false
	for _, r := range rules {
		for p := path; p != "."; p = filepath.ToSlash(filepath.Dir(p)) {
			if r.pattern.MatchString(p) {
				out = !r.include
				break
			}
		}
	}
	return out
}

func loadDockerignore(t *testing.T) []ignoreRule {
	t.Helper()
	return parseDockerignore(t, string(readFile(t, "Dockerfile.dockerignore")))
}

// buildInputs lists, relative to the repository root, every file of the
// module that `go build ./cmd/bot` reads for the image's platform.
func buildInputs(t *testing.T) []string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go command lists the build's files")
	root, err := filepath.Abs(repoRoot)
	require.NoError(t, err)
	const format = `{{if .Module}}{{if .Module.Main}}{{$dir := .Dir}}` +
		`{{range .GoFiles}}{{$dir}}/{{.}}{{"\n"}}{{end}}` +
		`{{range .EmbedFiles}}{{$dir}}/{{.}}{{"\n"}}{{end}}{{end}}{{end}}`
	cmd := exec.Command(goTool, "list", "-deps", "-f", format, "./cmd/bot")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOFLAGS=-mod=readonly")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go list: %s", out)
	files := []string{"go.mod", "go.sum"}
	for _, line := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(root, line)
		require.NoError(t, err)
		files = append(files, filepath.ToSlash(rel))
	}
	require.Greater(t, len(files), 3, "go list found the entry point's files")
	return files
}

func TestDockerignoreKeepsEveryBuildInput(t *testing.T) {
	rules := loadDockerignore(t)
	for _, file := range buildInputs(t) {
		assert.False(t, excluded(rules, file), "%s is needed by go build but Dockerfile.dockerignore drops it", file)
	}
	for _, c := range loadDockerfile(t).final().copies(t) {
		if c.from != "" {
			continue
		}
		for _, src := range c.srcs {
			assert.False(t, excluded(rules, src), "COPY %s: Dockerfile.dockerignore drops it", src)
			_, err := os.Stat(filepath.Join(repoRoot, filepath.FromSlash(src)))
			assert.NoError(t, err, "COPY source %s", src)
		}
	}
}

func TestDockerignoreKeepsSecretsAndHistoryOut(t *testing.T) {
	rules := loadDockerignore(t)
	for _, path := range []string{
		".git/config",
		"deploy/.env",
		"deploy/kubernetes/secret.example.yaml",
		"my-app.private-key.pem",
		"internal/config/config_test.go",
		"internal/diagnose/testdata/logs/docker_login_denied.txt",
	} {
		assert.True(t, excluded(rules, path), "%s must not be sent to the builder", path)
	}
}

func TestDockerignoreMatching(t *testing.T) {
	rules := parseDockerignore(t, "*\n!cmd\n**/*_test.go\n!keep/**/x_test.go\n")
	tests := []struct {
		name     string
		path     string
		excluded bool
	}{
		{name: "top-level file", path: "README.md", excluded: true},
		{name: "re-included directory", path: "cmd/bot/main.go", excluded: false},
		{name: "test file anywhere", path: "cmd/bot/scan_test.go", excluded: true},
		{name: "exception after double star", path: "keep/a/b/x_test.go", excluded: false},
		{name: "star stays within one element", path: "cmdx/main.go", excluded: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.excluded, excluded(rules, tt.path))
		})
	}
}
