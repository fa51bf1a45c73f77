package action

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

func TestSummaryWhenNothingIsFound(t *testing.T) {
	target := report.Target{Run: diagnose.Run{ID: 7001}}
	tests := []struct {
		name string
		jobs []diagnose.JobLog
		want string
	}{
		{"no failed job", nil, "## ghcr-doctor: no GitHub Packages error found\n\nRun 7001 has no failed job, so there was nothing to diagnose.\n"},
		{"two failed jobs, names as code", []diagnose.JobLog{{Name: "test"}, {Name: "lint `x` @octocat"}},
			"## ghcr-doctor: no GitHub Packages error found\n\nThe logs of the 2 failed jobs of run 7001 show no refused push or login to GitHub Packages:\n\n" +
				"- `test`\n- ``lint `x` @\u200boctocat``\n\nThe run failed for another reason.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Findings{Facts: &diagnose.Facts{Jobs: tt.jobs}, Target: target}
			assert.Equal(t, tt.want, Summary(f))
			assert.False(t, f.Found())
		})
	}
}

func TestSummaryWithinTheLimit(t *testing.T) {
	line := strings.Repeat("x", 99) + "\n"
	tests := []struct {
		name    string
		md      string
		wantCut bool
	}{
		{"short", "## ghcr-doctor\n", false},
		{"exactly the limit", strings.Repeat(line, MaxSummaryBytes/100) + strings.Repeat("y", MaxSummaryBytes%100), false},
		{"over the limit", strings.Repeat(line, MaxSummaryBytes/100+5), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "summary")
			require.NoError(t, AppendSummary(path, tt.md))
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.LessOrEqual(t, len(got), MaxSummaryBytes)
			if !tt.wantCut {
				assert.Equal(t, tt.md, string(got))
				return
			}
			assert.True(t, strings.HasSuffix(string(got), "has all of it._\n"))
			assert.True(t, strings.HasPrefix(tt.md, strings.SplitAfter(string(got), "\n\n_The rest")[0][:1000]))
		})
	}
}
