package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// logRoute is where the bot asks for the failed job's log; go-github
// answers anything but its 302 with a plain error.
const logRoute = "/repos/acme/app/actions/jobs/70011/logs"

// TestJobLogDownloadFaults: GitHub failing the job-log download is retried
// until the normal report is posted once; when it fails through every
// retry, the one report posted says the log could not be read.
func TestJobLogDownloadFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault githubfake.Fault
		// wantUnreadable: the log never came, the report must say so.
		wantUnreadable bool
	}{
		{name: "500 once", fault: githubfake.Fault{Method: "GET", PathPattern: logRoute, Times: 1, Status: http.StatusInternalServerError}},
		{name: "502 once", fault: githubfake.Fault{Method: "GET", PathPattern: logRoute, Times: 1, Status: http.StatusBadGateway}},
		{name: "429 once", fault: githubfake.Fault{Method: "GET", PathPattern: logRoute, Times: 1, Status: http.StatusTooManyRequests, RetryAfter: 1}},
		{name: "secondary rate limit once", fault: githubfake.Fault{Method: "GET", PathPattern: logRoute, Times: 1, RetryAfter: 1}},
		{name: "500 every time", fault: githubfake.Fault{Method: "GET", PathPattern: logRoute, Times: 1000, Status: http.StatusInternalServerError},
			wantUnreadable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, allPermissions, quickRetries)
			ev := e.addRun(scenario{workflow: wfSeed, log: seedLog()})
			e.fake.InjectFault(tt.fault)
			e.deliver("workflow_run", ev)

			crs := e.fake.CheckRuns(org, repoName)
			issues := e.fake.Issues(org, repoName)
			require.Len(t, crs, 1, "one check run, never none, never two")
			require.Len(t, issues, 1, "one tracking issue, never none, never two")
			posted := crs[0].Output.Summary + crs[0].Output.Text + issues[0].Body
			if tt.wantUnreadable {
				assert.Contains(t, posted, "could not be read")
				assert.Contains(t, posted, `"build"`, "the report names the job")
				assert.NotContains(t, posted, "sig=", "no signed URL is posted")
				assert.Equal(t, 8, e.fake.CountRequests("GET", logRoute), "every attempt asked")
				return
			}
			assert.NotContains(t, posted, "could not be read")
			assert.Contains(t, posted, "ghcr.io/acme/app")
			assert.Equal(t, 2, e.fake.CountRequests("GET", logRoute), "asked again once")
			assert.Zero(t, e.fake.PendingFaults())
		})
	}
}
