package scan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCleanLogLine(t *testing.T) {
	cases := []struct {
		name  string
		raw   string
		first bool
		want  string
	}{
		{"timestamp", "2026-01-11T21:51:33.5480147Z Contents: read", false, "Contents: read"},
		{"short fraction", "2026-01-11T21:51:33.5Z text", false, "text"},
		{"no fraction", "2026-01-11T21:51:33Z text", false, "text"},
		{"BOM on first line", utf8BOM + "2026-01-11T21:51:33.5480147Z Current runner version: '2.331.0'", true, "Current runner version: '2.331.0'"},
		{"BOM kept elsewhere", utf8BOM + "x", false, "\uFEFFx"},
		{"CRLF", "2026-01-11T21:51:33.5480147Z denied: denied\r", false, "denied: denied"},
		{"ANSI colours", "\x1b[36;1mERROR\x1b[0m: \x1b[1mdenied\x1b[m\x1b[K", false, "ERROR: denied"},
		{"OSC hyperlink", "see \x1b]8;;https://example.com\x07link\x1b]8;;\x1b\\ here", false, "see link here"},
		{"NUL and controls", "a\x00b\x07c\td", false, "abc\td"},
		{"invalid UTF-8", "bad \xff\xfe byte", false, "bad \uFFFD byte"},
		{"not a timestamp", "2026-01-11 21:51:33 text", false, "2026-01-11 21:51:33 text"},
		{"timestamp only", "2026-01-11T21:51:33.5480147Z", false, ""},
		{"dangling escape", "text\x1b", false, "text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, cleanLogLine([]byte(tc.raw), tc.first))
		})
	}
}

func TestSplitLogMarker(t *testing.T) {
	cases := []struct{ text, name, rest string }{
		{"##[group]Run docker/login-action@v3", "group", "Run docker/login-action@v3"},
		{"##[endgroup]", "endgroup", ""},
		{"##[error]buildx failed with: x", "error", "buildx failed with: x"},
		{"#15 ERROR: denied", "", "#15 ERROR: denied"},
		{"##[unclosed", "", "##[unclosed"},
	}
	for _, tc := range cases {
		name, rest := splitLogMarker(tc.text)
		assert.Equal(t, tc.name, name, tc.text)
		assert.Equal(t, tc.rest, rest, tc.text)
	}
}

func TestTruncateText(t *testing.T) {
	assert.Equal(t, "short", truncateText("short", 10))
	assert.Equal(t, "abcd…", truncateText("abcdefghij", 5))
	assert.Equal(t, "ééé…", truncateText("éééééé", 4))
	assert.Equal(t, "éééé", truncateText("éééé", 4))
}

func TestGHCLIPrefix(t *testing.T) {
	log := "build\tLog in\t2026-01-11T21:51:33.5480147Z ##[group]Run docker/login-action@v3\n" +
		"build\tLog in\t2026-01-11T21:51:33.5480148Z ##[endgroup]\n" +
		"build\tLog in\t2026-01-11T21:51:34.5480147Z ##[error]Error response from daemon: Get \"https://ghcr.io/v2/\": denied: denied\n" +
		"build\tPush\t2026-01-11T21:51:35.5480147Z #13 ERROR: failed to push ghcr.io/acme/app:1.0: denied: installation not allowed to Write organization package\n"
	res, err := ScanLog(strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 2 {
		t.Fatalf("findings = %+v", res.Findings)
	}
	if got := res.Findings[0]; got.Step != "Run docker/login-action@v3" || strings.HasPrefix(got.Text, "build\t") {
		t.Errorf("the gh prefix was not stripped: %+v", got)
	}
	if got := cleanLogLine([]byte("a\tb\tnot a timestamp"), false); got != "a\tb\tnot a timestamp" {
		t.Errorf("tabs without a timestamp are text: %q", got)
	}
}
