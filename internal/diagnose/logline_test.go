package diagnose

import (
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
