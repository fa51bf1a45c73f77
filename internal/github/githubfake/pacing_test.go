package githubfake

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNotModifiedIsFree: a conditional request answered 304 costs nothing
// of the primary rate limit, as on GitHub, and says so in its headers.
func TestNotModifiedIsFree(t *testing.T) {
	s := newFake(t, fullPerms)
	client := installationClient(t, s, testInstID)
	ctx := context.Background()
	_, first, err := client.Repositories.GetDefaultWorkflowPermissions(ctx, testOrg, testRepo)
	require.NoError(t, err)
	etag := first.Header.Get("ETag")
	require.NotEmpty(t, etag)

	tests := []struct {
		name        string
		ifNoneMatch string
		wantStatus  int
		wantSpent   int
	}{
		{name: "matching ETag", ifNoneMatch: etag, wantStatus: http.StatusNotModified, wantSpent: 0},
		{name: "stale ETag", ifNoneMatch: `W/"stale"`, wantStatus: http.StatusOK, wantSpent: 1},
		{name: "unconditional", wantStatus: http.StatusOK, wantSpent: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := rateUsed(t, s)
			req, err := client.NewRequest(http.MethodGet, "repos/"+testOrg+"/"+testRepo+"/actions/permissions/workflow", nil)
			require.NoError(t, err)
			if tc.ifNoneMatch != "" {
				req.Header.Set("If-None-Match", tc.ifNoneMatch)
			}
			resp, err := client.BareDo(ctx, req)
			if tc.wantStatus == http.StatusNotModified {
				require.Error(t, err) // go-github reports a 304 as an error
			} else {
				require.NoError(t, err)
			}
			require.NotNil(t, resp)
			resp.Body.Close()
			assert.Equal(t, tc.wantStatus, resp.StatusCode)
			assert.Equal(t, before+tc.wantSpent, rateUsed(t, s))
			assert.Equal(t, etag, resp.Header.Get("ETag"), "the same answer, the same ETag")
			if tc.wantStatus == http.StatusNotModified {
				assert.Empty(t, resp.Header.Get("Content-Type"), "a 304 has no body")
				assert.Equal(t, strconv.Itoa(before), resp.Header.Get("X-RateLimit-Used"))
			}
		})
	}
}

// rateUsed is how much of the test installation's primary limit is spent.
func rateUsed(t *testing.T, s *Server) int {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.rateUsed["installation:"+strconv.FormatInt(testInstID, 10)]
}

// TestRequestsNameTheirRoute: each recorded request names the endpoint it
// reached, so requests can be counted by endpoint.
func TestRequestsNameTheirRoute(t *testing.T) {
	s := newFake(t, fullPerms)
	s.AddRun(testOrg, testRepo, Run{ID: testRunID, Path: ".github/workflows/ci.yml", Conclusion: "failure"})
	s.AddJob(testOrg, testRepo, testRunID, Job{ID: testJobID, Name: "build", Conclusion: "failure", Log: []byte("hello\n")})
	client := installationClient(t, s, testInstID)
	u, _, err := client.Actions.GetWorkflowJobLogs(context.Background(), testOrg, testRepo, testJobID, 1)
	require.NoError(t, err)
	resp, err := http.Get(u.String())
	require.NoError(t, err)
	resp.Body.Close()

	routes := map[string]bool{}
	for _, r := range s.Requests() {
		routes[r.Method+" "+r.Route] = true
	}
	assert.True(t, routes["POST /app/installations/{id}/access_tokens"], "%v", routes)
	assert.True(t, routes["GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs"], "%v", routes)
	assert.True(t, routes["GET /_signed/logs/{token}"], "%v", routes)
}

// TestStreamedLogAndPacing: a generated log is served whole through the
// signed URL, at no more than the log rate, after the added latency.
func TestStreamedLogAndPacing(t *testing.T) {
	s := newFake(t, fullPerms)
	const size = 256 << 10
	s.AddRun(testOrg, testRepo, Run{ID: testRunID, Path: ".github/workflows/ci.yml", Conclusion: "failure"})
	s.AddJob(testOrg, testRepo, testRunID, Job{ID: testJobID, Name: "build", Conclusion: "failure",
		LogStream: func() io.Reader { return strings.NewReader(strings.Repeat("x", size*2)) }, LogSize: size})
	client := installationClient(t, s, testInstID)
	u, _, err := client.Actions.GetWorkflowJobLogs(context.Background(), testOrg, testRepo, testJobID, 1)
	require.NoError(t, err)

	s.SetLatency(100 * time.Millisecond)
	s.SetLogRate(1 << 20) // 256 KiB at 1 MiB/s: at least 250 ms
	start := time.Now()
	resp, err := http.Get(u.String())
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	elapsed := time.Since(start)
	assert.Equal(t, size, len(body), "LogSize bytes, not the reader's whole output")
	assert.Equal(t, "262144", resp.Header.Get("Content-Length"))
	assert.True(t, bytes.Equal(body, bytes.Repeat([]byte("x"), size)))
	assert.GreaterOrEqual(t, elapsed, 340*time.Millisecond, "latency plus the paced transfer")
}
