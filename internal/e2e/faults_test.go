package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

func quickRetries(c *config.Config) {
	c.Queue.RetryBase = 50 * time.Millisecond
	c.Worker.HTTPTimeout = 2 * time.Second
}

// TestGitHubFaults checks that each kind of GitHub trouble ends the job in
// the right state: transient ones are retried until the report is posted
// once; a rate limit waits for its reset; expired logs stop at once.
func TestGitHubFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault githubfake.Fault
		// wantJobsCalls is how often the job list must have been asked for.
		wantJobsCalls int
		wantMinWait   time.Duration
	}{
		{name: "500s are retried", fault: githubfake.Fault{Method: "GET", PathPattern: "^/repos/acme/app/actions/runs/7001/attempts/1/jobs", Times: 2, Status: 500},
			wantJobsCalls: 3},
		{name: "502 on posting the check run is retried", fault: githubfake.Fault{Method: "POST", PathPattern: "/repos/acme/app/check-runs", Times: 1, Status: 502},
			wantJobsCalls: 2},
		{name: "a timeout is retried", fault: githubfake.Fault{Method: "GET", PathPattern: "^/repos/acme/app/actions/runs/7001/attempts/1/jobs", Times: 1, Delay: 3 * time.Second},
			wantJobsCalls: 2},
		{name: "a secondary rate limit waits for retry-after", fault: githubfake.Fault{Method: "GET", PathPattern: "^/repos/acme/app/actions/runs/7001/attempts/1/jobs", Times: 1, RetryAfter: 2},
			wantJobsCalls: 2, wantMinWait: 2 * time.Second},
		{name: "a primary rate limit waits for the reset", fault: githubfake.Fault{Method: "GET", PathPattern: "^/repos/acme/app/actions/runs/7001/attempts/1/jobs", Times: 1, PrimaryRateLimit: true, RetryAfter: 3},
			wantJobsCalls: 2, wantMinWait: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, allPermissions, quickRetries)
			ev := e.addRun(scenario{workflow: wfSeed, log: seedLog()})
			e.fake.InjectFault(tt.fault)
			start := time.Now()
			e.deliver("workflow_run", ev)
			took := time.Since(start)
			t.Logf("report posted %v after the delivery", took.Round(time.Millisecond))

			assert.Len(t, e.fake.CheckRuns(org, repoName), 1, "the report is posted exactly once")
			assert.Len(t, e.fake.Issues(org, repoName), 1)
			assert.Equal(t, tt.wantJobsCalls, e.fake.CountRequests("GET", "/repos/acme/app/actions/runs/7001/attempts/1/jobs"))
			assert.Zero(t, e.fake.PendingFaults())
			if tt.wantMinWait > 0 {
				assert.GreaterOrEqual(t, took, tt.wantMinWait, "the job waited for the limit to reset")
			}
		})
	}
}

func TestExpiredLogsStopAtOnce(t *testing.T) {
	e := newEnvWith(t, allPermissions, quickRetries)
	ev := e.addRun(scenario{workflow: wfSeed, log: seedLog()})
	e.fake.AddJob(org, repoName, 7001, githubfake.Job{ID: 70011, Name: "build", Conclusion: "failure", LogExpired: true})
	e.deliver("workflow_run", ev)
	assert.Equal(t, 1, e.fake.CountRequests("GET", "/repos/acme/app/actions/jobs/70011/logs"), "an expired log is asked for once")
	assert.Empty(t, e.fake.CheckRuns(org, repoName))
}

func TestMissingPermissionStopsAtOnce(t *testing.T) {
	perms := map[string]string{}
	for k, v := range allPermissions {
		perms[k] = v
	}
	delete(perms, "actions")
	e := newEnvWith(t, perms, quickRetries)
	e.deliver("workflow_run", e.addRun(scenario{workflow: wfSeed, log: seedLog()}))
	assert.Equal(t, 1, e.fake.CountRequests("GET", "/repos/acme/app/actions/runs/7001/attempts/1/jobs"), "not retried")
	assert.Empty(t, e.fake.CheckRuns(org, repoName), "nothing is posted")
	assert.Contains(t, e.logs.String(), "actions:read", "the log names the permission to grant")
}

// TestRedeliveryOfMissedWebhooks: deliveries that never got an OK are
// redelivered once each, successful ones are left alone, and the
// redelivered events are diagnosed.
func TestRedeliveryOfMissedWebhooks(t *testing.T) {
	e := newEnvWith(t, allPermissions, func(c *config.Config) {
		c.Queue.RedeliveryInterval = 400 * time.Millisecond
	})
	missed := e.addRun(scenario{workflow: wfSeed, log: seedLog()})
	e.fake.RecordFailedDelivery("workflow_run", missed)
	e.fake.RecordFailedDelivery("workflow_run", missed) // GitHub's own retry by a person: same event, another GUID
	okPayload := e.addRun(scenario{workflow: wfSeed, runID: 7100, log: "nothing\n", conclusion: "success"})
	e.deliver("workflow_run", okPayload)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.Eventually(t, func() bool { return len(e.fake.Redeliveries()) >= 2 }, 15*time.Second, 50*time.Millisecond)
	require.NoError(t, e.fake.WaitRedeliveries(ctx))
	require.NoError(t, e.srv.WaitIdle())
	// Several scans later, still one redelivery per GUID.
	time.Sleep(1500 * time.Millisecond)
	require.NoError(t, e.srv.WaitIdle())
	assert.Len(t, e.fake.Redeliveries(), 2, "once per missed delivery GUID, never for the successful one")

	crs := e.fake.CheckRuns(org, repoName)
	assert.Len(t, crs, 1, "the redelivered run is diagnosed once")
	assert.Len(t, e.fake.Issues(org, repoName), 1)
}
