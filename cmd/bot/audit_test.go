package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pushWithoutPermissions publishes to ghcr.io with GITHUB_TOKEN and declares
// no permissions: at risk under a read-only default, fine under write.
const pushWithoutPermissions = `name: image
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/acme/app:latest
`

const testsOnly = "on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n"

// repoWith lays out a repository with workflows under .github/workflows
// and other files at its root; it returns the root.
func repoWith(t *testing.T, workflows, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	wf := filepath.Join(root, ".github", "workflows")
	require.NoError(t, os.MkdirAll(wf, 0o755))
	for name, body := range workflows {
		writeFile(t, wf, name, []byte(body))
	}
	for name, body := range files {
		writeFile(t, root, name, []byte(body))
	}
	return root
}

func TestAuditExitCodes(t *testing.T) {
	root := repoWith(t, map[string]string{"image.yml": pushWithoutPermissions, "ci.yml": testsOnly}, nil)
	wf := filepath.Join(root, ".github", "workflows")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"nothing at risk", []string{"audit", "--workflow", filepath.Join(wf, "ci.yml")}, 0},
		{"read-only default", []string{"audit", "--workflow", filepath.Join(wf, "image.yml")}, 1},
		{"write default", []string{"audit", "--workflow", "--default", "write", filepath.Join(wf, "image.yml")}, 0},
		{"a directory", []string{"audit", "--workflow", wf}, 1},
		{"missing file", []string{"audit", "--workflow", filepath.Join(wf, "ci.yml"), filepath.Join(wf, "nope.yml")}, 2},
		{"no source", []string{"audit", filepath.Join(wf, "ci.yml")}, 2},
		{"no file", []string{"audit", "--workflow"}, 2},
		{"bad default", []string{"audit", "--workflow", "--default", "admin", filepath.Join(wf, "ci.yml")}, 2},
		{"bad format", []string{"audit", "--workflow", "--format", "xml", filepath.Join(wf, "ci.yml")}, 2},
		{"json and csv", []string{"audit", "--workflow", "--json", "--format", "csv", filepath.Join(wf, "ci.yml")}, 2},
		{"bad flag", []string{"audit", "--workflow", "--nope", filepath.Join(wf, "ci.yml")}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBot(t, "", tt.args...)
			assert.Equal(t, tt.code, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
		})
	}
}

func TestAuditNotAWorkflowIsReportedAndTheOthersChecked(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "broken.yml", []byte("jobs: [\n"))
	good := writeFile(t, dir, "image.yml", []byte(pushWithoutPermissions))
	r := runBot(t, "", "audit", "--workflow", "--json", bad, good)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "broken.yml")
	var doc struct {
		Jobs []map[string]any `json:"jobs"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc), r.stdout)
	require.Len(t, doc.Jobs, 2, "the good file's jobs are still reported")
	assert.Equal(t, "missing_packages_write", doc.Jobs[1]["verdict"])
}

func TestAuditJSONSchema(t *testing.T) {
	root := repoWith(t, map[string]string{"image.yml": pushWithoutPermissions}, nil)
	r := runBot(t, "", "audit", "--workflow", "--json", filepath.Join(root, ".github", "workflows"))
	require.Equal(t, 1, r.code, r.stderr)
	var doc map[string][]map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc), r.stdout)
	require.Len(t, doc, 1, "one key: jobs")
	jobs := doc["jobs"]
	require.Len(t, jobs, 2)
	for _, j := range jobs {
		var keys []string
		for k := range j {
			keys = append(keys, k)
		}
		assert.ElementsMatch(t, []string{"file", "job", "publishes_to", "verdict", "line", "reason", "fix"}, keys)
	}
	assert.Equal(t, "test", jobs[0]["job"])
	assert.Equal(t, "none", jobs[0]["publishes_to"])
	assert.Equal(t, "not_publishing", jobs[0]["verdict"])
	assert.Equal(t, "image", jobs[1]["job"])
	assert.Equal(t, "ghcr.io", jobs[1]["publishes_to"])
	assert.Equal(t, "missing_packages_write", jobs[1]["verdict"])
	assert.Equal(t, float64(18), jobs[1]["line"], "the push step")
	assert.Contains(t, jobs[1]["fix"], "packages: write")
	assert.True(t, strings.HasSuffix(jobs[1]["file"].(string), ".github/workflows/image.yml"))

	empty := runBot(t, "", "audit", "--workflow", "--format", "json", writeFile(t, t.TempDir(), "e.yml", []byte(testsOnly)))
	assert.Equal(t, 0, empty.code)
	assert.Contains(t, empty.stdout, `"jobs": [`)
}

func TestAuditCSV(t *testing.T) {
	root := repoWith(t, map[string]string{"image.yml": pushWithoutPermissions}, nil)
	r := runBot(t, "", "audit", "--workflow", "--format", "csv", filepath.Join(root, ".github", "workflows", "image.yml"))
	require.Equal(t, 1, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, []string{"file", "job", "publishes_to", "verdict", "line", "reason", "fix"}, rows[0])
	assert.Equal(t, []string{"image", "ghcr.io", "missing_packages_write", "18"}, rows[2][1:5])
}

func TestAuditTextAndMarkdown(t *testing.T) {
	root := repoWith(t, map[string]string{"image.yml": pushWithoutPermissions}, nil)
	path := filepath.Join(root, ".github", "workflows", "image.yml")
	r := runBot(t, "", "audit", "--workflow", path)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 2, "one line per job")
	assert.True(t, strings.HasPrefix(lines[1], filepath.ToSlash(path)+":18: image: missing_packages_write (ghcr.io) "), lines[1])
	assert.Contains(t, r.stderr, "1 at risk of 2 jobs in 1 workflows")

	md := runBot(t, "", "audit", "--workflow", "--format", "markdown", path)
	assert.Contains(t, md.stdout, "| file | job | verdict |")
	assert.Contains(t, md.stdout, "`missing_packages_write`")
}

// TestAuditReadsTheRepositoryFiles: package.json at the repository root
// (two levels above .github/workflows) names the npm registry.
func TestAuditReadsTheRepositoryFiles(t *testing.T) {
	npm := `on:
  push:
    tags: ['v*']
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: ${{ secrets.GITHUB_TOKEN }}
`
	with := repoWith(t, map[string]string{"npm.yml": npm}, map[string]string{"package.json": `{"name":"@acme/x","publishConfig":{"registry":"https://npm.pkg.github.com"}}`})
	r := runBot(t, "", "audit", "--workflow", "--json", filepath.Join(with, ".github", "workflows"))
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"verdict": "missing_packages_write"`)
	assert.Contains(t, r.stdout, `"publishes_to": "npm.pkg.github.com"`)

	without := repoWith(t, map[string]string{"npm.yml": npm}, nil)
	r = runBot(t, "", "audit", "--workflow", "--json", filepath.Join(without, ".github", "workflows"))
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"verdict": "unknown"`)
}

// TestAuditReadsThePackageDirectory: npm publish in a working-directory
// reads that directory's package.json, not the root's.
func TestAuditReadsThePackageDirectory(t *testing.T) {
	npm := `on:
  push:
    tags: ['v*']
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
        working-directory: packages/web
        env:
          NODE_AUTH_TOKEN: ${{ secrets.GITHUB_TOKEN }}
`
	root := repoWith(t, map[string]string{"npm.yml": npm}, map[string]string{"package.json": `{"name":"workspace","private":true}`})
	r := runBot(t, "", "audit", "--workflow", "--json", filepath.Join(root, ".github", "workflows"))
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"verdict": "unknown"`, "the package directory's files were not given")

	require.NoError(t, os.MkdirAll(filepath.Join(root, "packages", "web"), 0o755))
	writeFile(t, filepath.Join(root, "packages", "web"), "package.json", []byte(`{"name":"@acme/web","publishConfig":{"registry":"https://npm.pkg.github.com"}}`))
	r = runBot(t, "", "audit", "--workflow", "--json", filepath.Join(root, ".github", "workflows"))
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"verdict": "missing_packages_write"`)
	assert.Contains(t, r.stdout, `"publishes_to": "npm.pkg.github.com"`)
}

func TestAuditOwnerChecksNamespaces(t *testing.T) {
	wf := strings.Replace(pushWithoutPermissions, "ghcr.io/acme/app", "ghcr.io/someone-else/app", 1)
	path := writeFile(t, t.TempDir(), "w.yml", []byte(wf))
	r := runBot(t, "", "audit", "--workflow", "--default", "write", "--json", path)
	assert.Equal(t, 0, r.code, "no owner: the namespace cannot be checked")
	r = runBot(t, "", "audit", "--workflow", "--default", "write", "--owner", "acme", "--json", path)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, `"verdict": "namespace_mismatch"`)
}
