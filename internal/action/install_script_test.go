package action_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// releaseArchive is a release archive as the release workflow makes it:
// NAME/bot in NAME.tar.gz, here a script that says where it came from.
func releaseArchive(t *testing.T, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	bot := []byte("#!/bin/sh\necho \"bot from the release $*\"\n")
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: name + "/bot", Mode: 0o755, Size: int64(len(bot)), Typeflag: tar.TypeReg}))
	_, err := tw.Write(bot)
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	require.NoError(t, gz.Close())
	return buf.Bytes()
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// stubSource is a module with a cmd/bot that says it was built from source.
func stubSource(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "cmd", "bot"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/stub\n\ngo 1.21\n"), 0o644))
	main := "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"bot built from source\") }\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cmd", "bot", "main.go"), []byte(main), 0o644))
	return dir
}

// TestInstallScript runs the Action's install step against a simulated
// releases page: a release is downloaded and verified, a tampered or
// unlisted archive is refused, and anything that is not a release is
// built from the action's source.
func TestInstallScript(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "tar", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the install script's test needs %s: %v", tool, err)
		}
	}
	script, err := filepath.Abs(filepath.Join(root, "scripts", "action-install.sh"))
	require.NoError(t, err)
	source := stubSource(t)

	linux := releaseArchive(t, "ghcr-doctor_1.2.3_linux_amd64")
	darwin := releaseArchive(t, "ghcr-doctor_1.2.3_darwin_arm64")
	sums := fmt.Sprintf("%s  ghcr-doctor_1.2.3_linux_amd64.tar.gz\n%s  ghcr-doctor_1.2.3_darwin_arm64.tar.gz\n", sha256Hex(linux), sha256Hex(darwin))
	files := map[string][]byte{
		"/v1.2.3/ghcr-doctor_1.2.3_checksums.txt":       []byte(sums),
		"/v1.2.3/ghcr-doctor_1.2.3_linux_amd64.tar.gz":  linux,
		"/v1.2.3/ghcr-doctor_1.2.3_darwin_arm64.tar.gz": darwin,
		// A release whose archive was replaced after the checksums were made.
		"/v1.2.4/ghcr-doctor_1.2.4_checksums.txt":      []byte(sha256Hex(linux) + "  ghcr-doctor_1.2.4_linux_amd64.tar.gz\n"),
		"/v1.2.4/ghcr-doctor_1.2.4_linux_amd64.tar.gz": releaseArchive(t, "ghcr-doctor_1.2.4_linux_amd64"),
		// A release whose checksums file does not list the archive.
		"/v1.2.5/ghcr-doctor_1.2.5_checksums.txt":      []byte(sha256Hex(linux) + "  something_else.tar.gz\n"),
		"/v1.2.5/ghcr-doctor_1.2.5_linux_amd64.tar.gz": linux,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	defer srv.Close()

	tests := []struct {
		name     string
		env      map[string]string
		wantBin  string // the installed binary's answer; "" when the step fails
		wantText []string
	}{
		{"a release is downloaded and verified", map[string]string{"ACTION_REF": "v1.2.3"},
			"bot from the release --version", []string{"verified ghcr-doctor_1.2.3_linux_amd64.tar.gz against ghcr-doctor_1.2.3_checksums.txt"}},
		{"the version input wins over the ref", map[string]string{"ACTION_REF": "main", "GHCR_DOCTOR_VERSION": "v1.2.3"},
			"bot from the release --version", nil},
		{"the runner's OS and architecture pick the archive", map[string]string{"ACTION_REF": "v1.2.3", "RUNNER_OS": "macOS", "RUNNER_ARCH": "ARM64"},
			"bot from the release --version", []string{"verified ghcr-doctor_1.2.3_darwin_arm64.tar.gz"}},
		{"a tampered archive is refused", map[string]string{"ACTION_REF": "v1.2.4"},
			"", []string{"::error title=ghcr-doctor could not be installed::ghcr-doctor_1.2.4_linux_amd64.tar.gz does not match ghcr-doctor_1.2.4_checksums.txt"}},
		{"an archive the checksums do not list is refused", map[string]string{"ACTION_REF": "v1.2.5"},
			"", []string{"does not list ghcr-doctor_1.2.5_linux_amd64.tar.gz; refusing an archive that cannot be verified"}},
		{"a tag without a release is built from source", map[string]string{"ACTION_REF": "v9.9.9"},
			"bot built from source", []string{"v9.9.9 has no release checksums file", "building from the action's source"}},
		{"a branch is built from source", map[string]string{"ACTION_REF": "main"},
			"bot built from source", []string{"ref main is not a release version"}},
		{"a major-version tag is built from source", map[string]string{"ACTION_REF": "v1"},
			"bot built from source", []string{"ref v1 is not a release version"}},
		{"no release and no Go", map[string]string{"ACTION_REF": "main", "PATH": "/usr/bin:/bin"},
			"", []string{"ref main has no release to download and the runner has no Go: add actions/setup-go"}},
		{"an architecture without a release build is built from source", map[string]string{"ACTION_REF": "v1.2.3", "RUNNER_ARCH": "X86"},
			"bot built from source", []string{"no release build for Linux on X86"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			output := filepath.Join(tmp, "output")
			env := map[string]string{
				"RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_TEMP": tmp, "GITHUB_OUTPUT": output,
				"GITHUB_ACTION_PATH": source, "GHCR_DOCTOR_RELEASES_URL": srv.URL, "GHCR_DOCTOR_VERSION": "", "ACTION_REF": "",
			}
			for k, v := range tt.env {
				env[k] = v
			}
			cmd := exec.Command("bash", script)
			cmd.Env = os.Environ()
			for k, v := range env {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			if p, ok := env["PATH"]; ok && goOnPath(p) {
				t.Skipf("go is on %s", p)
			}
			out, err := cmd.CombinedOutput()
			for _, want := range tt.wantText {
				assert.Contains(t, string(out), want)
			}
			if tt.wantBin == "" {
				assert.Error(t, err, "%s", out)
				assert.NoFileExists(t, output, "no binary for the next step")
				return
			}
			require.NoError(t, err, "%s", out)
			written, err := os.ReadFile(output)
			require.NoError(t, err)
			bin, ok := strings.CutPrefix(strings.TrimSpace(string(written)), "bin=")
			require.True(t, ok, "the output is bin=PATH: %q", written)
			assert.True(t, strings.HasPrefix(bin, filepath.Join(tmp, "ghcr-doctor")), "installed in RUNNER_TEMP: %s", bin)
			answer, err := exec.Command(bin, "--version").Output()
			require.NoError(t, err)
			assert.Equal(t, tt.wantBin, strings.TrimSpace(string(answer)))
		})
	}
}

// goOnPath reports whether a go command is on the PATH given.
func goOnPath(path string) bool {
	for _, dir := range filepath.SplitList(path) {
		if _, err := os.Stat(filepath.Join(dir, "go")); err == nil {
			return true
		}
	}
	return false
}
