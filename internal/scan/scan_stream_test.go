package scan

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const pushErrorLine = "2026-01-11T21:51:41.6629350Z #13 ERROR: failed to push ghcr.io/acme/widget:1.0: denied: permission_denied: write_package\n"

func scanString(t *testing.T, log string) *ScanResult {
	t.Helper()
	res, err := ScanLog(strings.NewReader(log))
	require.NoError(t, err)
	return res
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "logs", name))
	require.NoError(t, err)
	return b
}

func TestScanLogCRLFAndANSI(t *testing.T) {
	plain := readFixture(t, "buildx_write_org_package.txt")
	// Colour every line's text and end it with CRLF.
	var sb strings.Builder
	for _, line := range strings.SplitAfter(string(plain), "\n") {
		if line == "" {
			continue
		}
		line = strings.TrimSuffix(line, "\n")
		if n := timestampPrefixLen([]byte(strings.TrimPrefix(line, utf8BOM))); n > 0 {
			if strings.HasPrefix(line, utf8BOM) {
				n += len(utf8BOM)
			}
			line = line[:n] + "\x1b[36;1m" + line[n:] + "\x1b[0m\x1b[K"
		}
		sb.WriteString(line + "\r\n")
	}
	got := scanString(t, sb.String())
	want := scanFixture(t, "buildx_write_org_package.txt")
	assert.Equal(t, summarise(want.Findings), summarise(got.Findings))
	assert.Equal(t, want.Findings[0].Text, got.Findings[0].Text)
	assert.Equal(t, want.TokenPermissions, got.TokenPermissions)
	assert.Equal(t, want.Lines, got.Lines)
}

func TestScanLogInvalidUTF8AndBinary(t *testing.T) {
	log := "\x00\x01\xff\xfe garbage \xc3\x28 denied \x80\n" +
		strings.Repeat("\x00", 100) + "\n" +
		"2026-01-11T21:51:41.6Z ##[group]Run docker push ghcr.io/acme/widget:1.0\n" +
		"##[endgroup]\n" +
		"The push refers to repository [ghcr.io/acme/widget]\n" +
		"denied: \xff\xfeinstallation not allowed to Write organization package \xc3\x28\n"
	res := scanString(t, log)
	require.Len(t, res.Findings, 1)
	f := res.Findings[0]
	assert.Equal(t, KindWriteDenied, f.Kind)
	assert.Equal(t, 6, f.Line)
	assert.True(t, strings.Contains(f.Text, "\uFFFD"), "invalid bytes are replaced: %q", f.Text)
	assert.Equal(t, 6, res.Lines)
}

func TestScanLogLongLineKeepsLineNumbers(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("2026-01-11T21:51:30.1Z ##[group]Run docker/build-push-action@v6\n##[endgroup]\n")
	b.WriteString(strings.Repeat("x denied 403 ghcr.io ", 10<<20/21)) // ~10 MB, one line
	b.WriteString("\n")
	b.WriteString(pushErrorLine)
	res := scanString(t, b.String())
	require.Len(t, res.Findings, 1)
	assert.Equal(t, 4, res.Findings[0].Line)
	assert.Equal(t, 4, res.Lines)
	assert.Equal(t, "acme", res.Findings[0].Owner)
}

// endlessLine yields n bytes of one line without a newline, without
// holding them in memory.
type endlessLine struct{ left int }

func (e *endlessLine) Read(p []byte) (int, error) {
	if e.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), e.left)
	for i := range p[:n] {
		p[i] = 'a'
	}
	e.left -= n
	return n, nil
}

func TestScanLogHugeLineWithoutNewline(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB")
	}
	r := io.MultiReader(strings.NewReader(pushErrorLine), &endlessLine{left: 100 << 20})
	res, err := ScanLog(r)
	require.NoError(t, err)
	assert.Equal(t, 2, res.Lines)
	require.Len(t, res.Findings, 1)
	assert.Equal(t, 1, res.Findings[0].Line)
}

func TestScanLogLongLineCandidateIsTruncated(t *testing.T) {
	long := strings.Repeat("z", 3<<20) + " denied: permission_denied: write_package ghcr.io/acme/widget"
	res, err := Scanner{MaxLineBytes: 1024}.Scan(strings.NewReader(long + "\n" + pushErrorLine))
	require.NoError(t, err)
	// The error text lies beyond the kept prefix of line 1, so only line 2 counts.
	require.Len(t, res.Findings, 1)
	assert.Equal(t, 2, res.Findings[0].Line)
	assert.Equal(t, 2, res.Lines)
}

func TestScanLogNoTrailingNewline(t *testing.T) {
	res := scanString(t, "line one\n"+strings.TrimSuffix(pushErrorLine, "\n"))
	require.Len(t, res.Findings, 1)
	assert.Equal(t, 2, res.Findings[0].Line)
	assert.Equal(t, 2, res.Lines)

	res = scanString(t, "")
	assert.Equal(t, 0, res.Lines)
	assert.NotNil(t, res.Findings)
	assert.Empty(t, res.Findings)
	assert.Nil(t, res.TokenPermissions)
}

// TestScanLogIndependentOfReadSizes checks that the result does not depend
// on how the reader splits the stream or on the buffer size.
func TestScanLogIndependentOfReadSizes(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "logs", "*.txt"))
	require.NoError(t, err)
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		want, err := ScanLog(bytes.NewReader(data))
		require.NoError(t, err)
		t.Run(filepath.Base(file), func(t *testing.T) {
			readers := map[string]io.Reader{
				"one byte": iotest.OneByteReader(bytes.NewReader(data)),
				"half":     iotest.HalfReader(bytes.NewReader(data)),
				"data+EOF": iotest.DataErrReader(bytes.NewReader(data)),
			}
			for name, r := range readers {
				got, err := ScanLog(r)
				require.NoError(t, err, name)
				assert.Equal(t, want, got, name)
			}
			st := newScanState(DefaultMaxLineBytes, DefaultMaxFindings, DefaultRegistryHosts())
			require.NoError(t, st.read(bytes.NewReader(data), 2*DefaultMaxLineBytes))
			assert.Equal(t, want, st.result(), "small buffer")
		})
	}
}

func TestScanLogReadError(t *testing.T) {
	boom := errors.New("connection lost")
	_, err := ScanLog(io.MultiReader(strings.NewReader(pushErrorLine), iotest.ErrReader(boom)))
	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "reading log")
}

func TestScanLogSteps(t *testing.T) {
	log := strings.Join([]string{
		"##[group]Run docker/build-push-action@v6",
		"with:",
		"  tags: ghcr.io/acme/widget:1.0",
		// The header echoes scripts and inputs: never findings.
		"  script: echo 'denied: permission_denied: write_package'",
		"##[endgroup]",
		"##[group]Docker info",
		"##[group]Run nested tool output",
		"##[endgroup]",
		"##[endgroup]",
		"#15 ERROR: denied: permission_denied: write_package",
		"ERROR: denied: permission_denied: write_package",
		"##[error]buildx failed with: ERROR: denied: permission_denied: write_package",
		"##[group]Run docker push ghcr.io/acme/other:1.0",
		"##[endgroup]",
		"The push refers to repository [ghcr.io/acme/other]",
		"denied: permission_denied: write_package",
		"Post job cleanup.",
		"denied: permission_denied: write_package",
	}, "\n")
	res := scanString(t, log)
	assert.Equal(t, []want{
		{KindWriteDenied, RegistryGHCR, "acme", "widget", "buildx", stepBPA6, 10, "permission_denied: write_package"},
		{KindWriteDenied, RegistryGHCR, "acme", "other", "docker", "Run docker push ghcr.io/acme/other:1.0", 16, "permission_denied: write_package"},
		{KindWriteDenied, RegistryGHCR, "acme", "other", ToolUnknown, "Post job cleanup", 18, "permission_denied: write_package"},
	}, summarise(res.Findings), "nested groups keep the step; a new step resets the step's context; post-job cleanup has only the job's")
	assert.Equal(t, []string{RegistryFromStep, RegistryFromStep, RegistryFromJob}, registrySources(res.Findings))
}

func TestScanLogContextRequiresGitHubHost(t *testing.T) {
	cases := map[string]string{
		"no registry named, bare status": "##[group]Run ./push.sh\n##[endgroup]\nHTTP 403 Forbidden\n",
		"Docker Hub after ghcr": "##[group]Run ./push.sh\n##[endgroup]\nThe push refers to repository [ghcr.io/acme/a]\n" +
			"The push refers to repository [docker.io/acme/a]\nunexpected status: 403 Forbidden\n",
		"bare name means Docker Hub": "##[group]Run ./push.sh\n##[endgroup]\nLogin to ghcr.io ok\n" +
			"The push refers to repository [acme/a]\ndenied: denied\n",
		"line names another URL": "##[group]Run ./push.sh ghcr.io/acme/a\n##[endgroup]\n" +
			"Error response from daemon: Get \"https://registry.example.com/v2/\": denied: denied\n",
		"401 on a line without host": "##[group]Run docker push ghcr.io/acme/a\n##[endgroup]\nHTTP 401 Unauthorized\n",
	}
	for name, log := range cases {
		t.Run(name, func(t *testing.T) {
			assert.Empty(t, scanString(t, log).Findings)
		})
	}
}

func TestScanLogMaxFindings(t *testing.T) {
	var b strings.Builder
	for i := range 50 {
		b.WriteString("##[group]Run docker push ghcr.io/acme/w\n##[endgroup]\n")
		b.WriteString("failed to push ghcr.io/acme/w" + strings.Repeat("x", i) + ":1: denied: denied\n")
	}
	res, err := Scanner{MaxFindings: 7}.Scan(strings.NewReader(b.String()))
	require.NoError(t, err)
	assert.Len(t, res.Findings, 7)
	assert.Equal(t, 150, res.Lines)
}

func TestScanLogTokenPermissionsBlockIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("##[group]GITHUB_TOKEN Permissions\nPackages: write\n")
	for range 200 {
		b.WriteString("noise line\n")
	}
	b.WriteString("Contents: write\n")
	res := scanString(t, b.String())
	assert.Equal(t, TokenPermissions{"packages": "write"}, res.TokenPermissions)
	assert.Equal(t, 203, res.Lines)
}

func registrySources(fs []Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.RegistryFrom)
	}
	return out
}
