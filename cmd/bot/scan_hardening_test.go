package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/logarchive/ziptest"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

// manyFindingsLog is a job log refusing n distinct packages, one finding each.
func manyFindingsLog(n int) string {
	var b strings.Builder
	b.WriteString(ts + "##[group]Run docker/build-push-action@v6\n" + ts + "##[endgroup]\n")
	for i := range n {
		fmt.Fprintf(&b, "%s#13 ERROR: failed to push ghcr.io/acme/widget%d:1.0: denied: installation not allowed to Write organization package\n", ts, i)
	}
	return b.String()
}

func allocatedBytes() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// TestScanOverlappingZip: a small zip whose central directory points 2,000
// entries at one member holding 1,000 findings is refused at once, within
// a bounded amount of memory.
func TestScanOverlappingZip(t *testing.T) {
	data, err := ziptest.Overlapping([]byte(manyFindingsLog(1000)), 2000)
	require.NoError(t, err)
	t.Logf("the archive is %d KiB", len(data)>>10)
	path := writeFile(t, t.TempDir(), "logs.zip", data)

	runtime.GC()
	before := allocatedBytes()
	r := runBot(t, "", "scan", path)
	grew := allocatedBytes() - before
	t.Logf("allocated %d MiB", grew>>20)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "overlap")
	assert.Empty(t, r.stdout)
	assert.Less(t, grew, uint64(64<<20))
}

// TestScanListsABoundedNumberPerInput: findings stream out as they are
// found, at most maxListedPerInput per input, and the rest are counted.
func TestScanListsABoundedNumberPerInput(t *testing.T) {
	log := manyFindingsLog(1000)
	var members [][2]string
	for i := range 11 {
		members = append(members, [2]string{fmt.Sprintf("%d_job%d.txt", i, i), log})
	}
	path := writeFile(t, t.TempDir(), "logs.zip", zipOf(t, members...))

	r := runBot(t, "", "scan", path)
	assert.Equal(t, 1, r.code)
	assert.Equal(t, maxListedPerInput, strings.Count(r.stdout, ": write_denied "))
	assert.Contains(t, r.stderr, "1000 more findings not listed")
	assert.Contains(t, r.stderr, "11000 GitHub Packages permission errors in 11 logs")

	r = runBot(t, "", "scan", "--json", path)
	assert.Equal(t, 1, r.code)
	var doc struct {
		Findings []map[string]any `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.Len(t, doc.Findings, maxListedPerInput)
}

// TestScanEscapesMemberNames: a zip member's name cannot write escape
// sequences (or bidirectional overrides) to the terminal through the text
// output; JSON keeps the name as it is, escaped by JSON itself.
func TestScanEscapesMemberNames(t *testing.T) {
	name := "0_build\x1b]0;owned\x07\x1b[2J\u202egnp.txt"
	path := writeFile(t, t.TempDir(), "logs.zip", zipOf(t, [2]string{name, failingPushLog}))

	r := runBot(t, "", "scan", path)
	assert.Equal(t, 1, r.code)
	for _, out := range []string{r.stdout, r.stderr} {
		assert.NotContains(t, out, "\x1b")
		assert.NotContains(t, out, "\x07")
		assert.NotContains(t, out, "\u202e")
	}
	assert.Contains(t, r.stdout, `logs.zip!0_build\x1b]0;owned\x07\x1b[2J\u202egnp.txt:10: write_denied`)

	r = runBot(t, "", "scan", "--json", path)
	var doc struct {
		Findings []struct{ File string } `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	require.Len(t, doc.Findings, 1)
	assert.True(t, strings.HasSuffix(doc.Findings[0].File, "!"+name))
}

func TestTerminalSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"build/3_Push.txt", "build/3_Push.txt"},
		{"ビルド.txt", "ビルド.txt"},
		{"a\x1b[31mred", `a\x1b[31mred`},
		{"tab\there", `tab\x09here`},
		{"\u202eevil", `\u202eevil`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"\u0085next line", `\u0085next line`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, terminalSafe(tt.in), "%q", tt.in)
	}
}

// TestStreamedJSONIsTheDocument: the streamed --json output is byte for
// byte what encoding the whole document would give.
func TestStreamedJSONIsTheDocument(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		var fs []scan.Finding
		for i := range n {
			fs = append(fs, scan.Finding{File: fmt.Sprintf("a<%d>.txt", i), Kind: "write_denied", Registry: "ghcr.io", Line: i, Text: "x & y"})
		}
		var whole, streamed bytes.Buffer
		enc := json.NewEncoder(&whole)
		enc.SetIndent("", "  ")
		require.NoError(t, enc.Encode(scanReport{Findings: append([]scan.Finding{}, fs...)}))
		w := newFindingWriter(&streamed, true)
		for _, f := range fs {
			require.NoError(t, w.write(f))
		}
		require.NoError(t, w.close())
		assert.Equal(t, whole.String(), streamed.String(), "%d findings", n)
	}
}
