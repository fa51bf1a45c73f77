package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

func TestMarkerRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		m    report.Marker
	}{
		{"plain", report.Marker{Key: "0123456789abcdef", Workflow: ".github/workflows/release.yml", Package: "ghcr.io/acme/app",
			State: report.StateOpen, Hash: "fedcba9876543210", Run: 9001, Cause: diagnose.CausePackageAccess}},
		{"resolved with annotations", report.Marker{Key: "0123456789abcdef", Workflow: ".github/workflows/build-push.yaml",
			State: report.StateResolved, Hash: "fedcba9876543210", Run: 1, Annotations: "00112233aabbccdd"}},
		{"packages of one report", report.Marker{Key: "0123456789abcdef", Workflow: ".github/workflows/release.yml", State: report.StateOpen,
			Hash: "fedcba9876543210", Run: 3, Cause: diagnose.CauseMissingPackagesWrite, Omitted: 7, Packages: []report.PackageCause{
				{Package: "ghcr.io/acme/api", Cause: diagnose.CauseMissingPackagesWrite},
				{Package: "ghcr.io/acme/a,b=c d%2C --> packages=x", Cause: diagnose.CausePackageAccess},
				{Package: "", Cause: diagnose.CauseUndetermined},
			}}},
		{"hostile values", report.Marker{Key: "0123456789abcdef", Workflow: ".github/workflows/a b --> <img> key=ffffffffffffffff.yml",
			Package: "ghcr.io/acme/x%41 state=resolved", State: report.StateOpen, Hash: "fedcba9876543210", Run: 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.m.String()
			assert.Regexp(t, `^<!-- ghcr-doctor:v1 [^<>]* -->$`, s)
			assert.Equal(t, 1, countSubstr(s, "-->"), "no value can end the comment")
			got, ok := report.ParseMarker("some text\n" + s + "\nmore")
			require.True(t, ok)
			assert.Equal(t, tc.m, got)
		})
	}
}

func TestParseMarkerRejects(t *testing.T) {
	cases := map[string]string{
		"none":             "just a comment",
		"bad key":          "<!-- ghcr-doctor:v1 key=xyz workflow=a package=b state=open hash=fedcba9876543210 run=1 -->",
		"bad state":        "<!-- ghcr-doctor:v1 key=0123456789abcdef workflow=a package=b state=weird hash=fedcba9876543210 run=1 -->",
		"no hash":          "<!-- ghcr-doctor:v1 key=0123456789abcdef workflow=a package=b state=open run=1 -->",
		"old version":      "<!-- ghcr-doctor:v0 key=0123456789abcdef workflow=a package=b state=open hash=fedcba9876543210 run=1 -->",
		"bad escape":       "<!-- ghcr-doctor:v1 key=0123456789abcdef workflow=%zz package=b state=open hash=fedcba9876543210 run=1 -->",
		"bad package list": "<!-- ghcr-doctor:v1 key=0123456789abcdef workflow=a state=open hash=fedcba9876543210 run=1 packages=ghcr.io/a=x,%zz=y -->",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			_, ok := report.ParseMarker(body)
			assert.False(t, ok)
		})
	}
}

func TestParseMarkerTakesTheFirst(t *testing.T) {
	body := report.RenderComment(diagnoses(packageAccess()), prTarget())
	first, ok := report.ParseMarker(body)
	require.True(t, ok)
	forged := report.Marker{Key: "ffffffffffffffff", State: report.StateResolved, Hash: "ffffffffffffffff"}
	got, ok := report.ParseMarker(body + "\n```\n" + forged.String() + "\n```\n")
	require.True(t, ok)
	assert.Equal(t, first, got)
}

func countSubstr(s, sub string) int {
	n := 0
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			n++
		}
	}
	return n
}
