package githubfake

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/require"
)

const (
	testAppID   = int64(4242)
	testInstID  = int64(77)
	testOrg     = "octo-org"
	testRepo    = "octo-repo"
	testRunID   = int64(9001)
	testJobID   = int64(5001)
	testHeadSHA = "3484a3fb816e0859fd6e1cea078d76385ff50625"
)

// fullPerms is every permission the app asks for.
var fullPerms = map[string]string{
	"actions": "write", "checks": "write", "contents": "write", "issues": "write",
	"pull_requests": "write", "metadata": "read", "administration": "write",
	"workflows": "write", "members": "read", "organization_administration": "write",
}

// newFake starts a fake with one organization installation and one repository.
func newFake(t *testing.T, perms map[string]string) *Server {
	t.Helper()
	s := New(Options{AppID: testAppID, AppSlug: "ghcr-doctor", AppKey: sharedKey(t)})
	t.Cleanup(s.Close)
	s.AddInstallation(testInstID, testOrg, "Organization", perms)
	s.AddRepo(Repo{Owner: testOrg, Name: testRepo, ID: 300029405, InstallationID: testInstID})
	return s
}

func baseURL(t *testing.T, s *Server) *url.URL {
	t.Helper()
	u, err := url.Parse(s.URL() + "/")
	require.NoError(t, err)
	return u
}

// installationClient is a go-github client authenticating as an installation through ghinstallation.
func installationClient(t *testing.T, s *Server, installationID int64) *github.Client {
	t.Helper()
	itr, err := ghinstallation.New(http.DefaultTransport, s.AppID(), installationID, s.AppPrivateKeyPEM())
	require.NoError(t, err)
	itr.BaseURL = s.URL()
	c := github.NewClient(&http.Client{Transport: itr})
	c.BaseURL = baseURL(t, s)
	return c
}

// appClient is a go-github client authenticating as the app with a JWT.
func appClient(t *testing.T, s *Server) *github.Client {
	t.Helper()
	atr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, s.AppID(), s.AppPrivateKeyPEM())
	require.NoError(t, err)
	atr.BaseURL = s.URL()
	c := github.NewClient(&http.Client{Transport: atr})
	c.BaseURL = baseURL(t, s)
	return c
}

// requireStatus asserts an error is a go-github ErrorResponse with a status and returns it.
func requireStatus(t *testing.T, err error, status int) *github.ErrorResponse {
	t.Helper()
	var er *github.ErrorResponse
	require.True(t, errors.As(err, &er), "want *github.ErrorResponse, got %T: %v", err, err)
	require.Equal(t, status, er.Response.StatusCode, "message: %s", er.Message)
	return er
}

func readFixture(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// missingKeys lists the keys of want (recursively through objects and first
// array elements) that got lacks.
func missingKeys(prefix string, want, got map[string]any) []string {
	var missing []string
	for k, wv := range want {
		gv, ok := got[k]
		if !ok {
			missing = append(missing, prefix+k)
			continue
		}
		switch w := wv.(type) {
		case map[string]any:
			if g, ok := gv.(map[string]any); ok {
				missing = append(missing, missingKeys(prefix+k+".", w, g)...)
			}
		case []any:
			g, ok := gv.([]any)
			if ok && len(w) > 0 && len(g) > 0 {
				wm, ok1 := w[0].(map[string]any)
				gm, ok2 := g[0].(map[string]any)
				if ok1 && ok2 {
					missing = append(missing, missingKeys(prefix+k+"[0].", wm, gm)...)
				}
			}
		}
	}
	return missing
}

// getJSON fetches a path with an installation token and decodes the JSON body.
func getJSON(t *testing.T, s *Server, client *github.Client, path string) (map[string]any, *github.Response) {
	t.Helper()
	req, err := client.NewRequest("GET", path, nil)
	require.NoError(t, err)
	var m map[string]any
	resp, err := client.Do(context.Background(), req, &m)
	require.NoError(t, err)
	return m, resp
}

// addFailedRun adds a failed run with one failed job and its log.
func addFailedRun(s *Server, log string) {
	s.AddRun(testOrg, testRepo, Run{
		ID: testRunID, Name: "release", Path: ".github/workflows/release.yml", HeadSHA: testHeadSHA,
		HeadBranch: "main", Event: "push", Conclusion: "failure", Actor: "octocat",
	})
	s.AddJob(testOrg, testRepo, testRunID, Job{
		ID: testJobID, Name: "publish", Conclusion: "failure",
		Steps: []Step{{Name: "Set up job", Conclusion: "success"}, {Name: "Push image", Conclusion: "failure", Log: []byte("denied\n")}},
		Log:   []byte(log),
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

// sharedKey is one app key for all tests, to keep them fast.
func sharedKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// testClock is a clock a test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

// It starts at the wall clock: the clients under test sign their JWTs with it.
func newTestClock() *testClock { return &testClock{now: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
