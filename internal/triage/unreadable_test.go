package triage

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

func TestUnreadableLogsDiagnosis(t *testing.T) {
	read := diagnose.JobLog{Name: "test", Scan: &scan.ScanResult{}}
	unread := func(name string) diagnose.JobLog {
		return diagnose.JobLog{Name: name, HTMLURL: "https://github.com/acme/app/actions/runs/1/job/2",
			Err: diagnose.UnknownFact[struct{}]("the log could not be read: GitHub kept failing, through every retry (status 500)", "")}
	}
	tests := []struct {
		name     string
		jobs     []diagnose.JobLog
		wantOK   bool
		wantText string
	}{
		{"every log read", []diagnose.JobLog{read}, false, ""},
		{"one unreadable", []diagnose.JobLog{read, unread("build")}, true, `The log of job "build" could not be read`},
		{"two unreadable", []diagnose.JobLog{unread("build"), unread("push")}, true, `The logs of jobs "build", "push" could not be read`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := unreadableLogsDiagnosis(&diagnose.Facts{Jobs: tt.jobs})
			require.Equal(t, tt.wantOK, ok)
			if !ok {
				return
			}
			assert.Equal(t, diagnose.CauseUndetermined, d.Primary().ID)
			assert.Contains(t, d.Primary().Summary, tt.wantText)
			assert.Len(t, d.Unknowns, len(tt.jobs)-countRead(tt.jobs))
			assert.Contains(t, d.Unknowns[0].Reason, "status 500")
		})
	}
}

func countRead(jobs []diagnose.JobLog) int {
	n := 0
	for _, j := range jobs {
		if j.Scan != nil {
			n++
		}
	}
	return n
}
