package version

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestInfoPrefersTheLinkTimeValues(t *testing.T) {
	tests := []struct {
		name                  string
		version, commit, date string
		wantCommit, wantDate  string
	}{
		{"set at link time", "v1.2.3", "abc123", "2026-01-02T03:04:05Z", "abc123", "2026-01-02T03:04:05Z"},
		{"a plain build", "dev", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oldV, oldC, oldD := Version, Commit, Date
			t.Cleanup(func() { Version, Commit, Date = oldV, oldC, oldD })
			Version, Commit, Date = tt.version, tt.commit, tt.date
			b := Info()
			assert.Equal(t, tt.version, b.Version)
			if tt.wantCommit != "" {
				assert.Equal(t, tt.wantCommit, b.Commit)
				assert.Equal(t, tt.wantDate, b.Date)
			} else {
				assert.NotEmpty(t, b.Commit, "the toolchain's revision, or unknown")
				assert.NotEmpty(t, b.Date)
			}
			assert.Equal(t, runtime.Version(), b.GoVersion)
			assert.Equal(t, runtime.GOOS+"/"+runtime.GOARCH, b.Platform)
		})
	}
}
