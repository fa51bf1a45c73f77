package metrics

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ghcr-doctor/ghcr-doctor/internal/version"
)

func TestBuildInfoMetric(t *testing.T) {
	rec := httptest.NewRecorder()
	New().Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/metrics", nil))
	b := version.Info()
	var line string
	for _, l := range strings.Split(rec.Body.String(), "\n") {
		if strings.HasPrefix(l, "ghcr_doctor_build_info{") {
			line = l
		}
	}
	assert.NotEmpty(t, line, "ghcr_doctor_build_info is exported")
	for _, want := range []string{`version="` + b.Version + `"`, `commit="` + b.Commit + `"`, `date="` + b.Date + `"`, `goversion="` + b.GoVersion + `"`} {
		assert.Contains(t, line, want)
	}
	assert.True(t, strings.HasSuffix(line, " 1"), line)
}
