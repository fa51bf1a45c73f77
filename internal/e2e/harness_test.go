package e2e

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/server"
)

const (
	webhookSecret = "e2e-webhook-secret"
	org           = "acme"
	repoName      = "app"
	installID     = int64(4242)
	headSHA       = "0123456789abcdef0123456789abcdef01234567"
)

// allPermissions is what the App asks for in its manifest.
var allPermissions = map[string]string{
	"actions": "read", "checks": "write", "contents": "read", "issues": "write", "pull_requests": "write",
	"metadata": "read", "administration": "read", "organization_administration": "read",
}

var (
	keyOnce sync.Once
	key     *rsa.PrivateKey
)

// appKey is one RSA key shared by every test: generating one per test is slow.
func appKey(t testing.TB) *rsa.PrivateKey {
	keyOnce.Do(func() {
		var err error
		key, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
	})
	return key
}

// env is one running bot against one fake GitHub.
type env struct {
	t       testing.TB
	fake    *githubfake.Server
	srv     *server.Server
	hookURL string
	logs    *syncBuffer
}

func newEnv(t testing.TB, perms map[string]string) *env {
	t.Helper()
	return newEnvWith(t, perms, nil)
}

// newEnvWith is newEnv with a chance to change the configuration.
func newEnvWith(t testing.TB, perms map[string]string, tweak func(*config.Config)) *env {
	t.Helper()
	fake := githubfake.New(githubfake.Options{AppID: 99, AppSlug: "ghcr-doctor", AppKey: appKey(t)})
	t.Cleanup(fake.Close)
	fake.AddInstallation(installID, org, "Organization", perms)
	fake.AddRepo(githubfake.Repo{Owner: org, Name: repoName, ID: 1001, OwnerType: "Organization", InstallationID: installID})

	cfg := &config.Config{}
	cfg.GitHub = githubapp.Config{WebURL: "https://github.com", V3APIURL: fake.URL() + "/"}
	cfg.GitHub.App.IntegrationID = 99
	cfg.GitHub.App.WebhookSecret = webhookSecret
	cfg.GitHub.App.PrivateKey = string(fake.AppPrivateKeyPEM())
	cfg.Worker = config.Worker{Workers: 2, HTTPTimeout: 10 * time.Second}
	cfg.Queue = config.Queue{DataDir: t.TempDir(), PollInterval: 50 * time.Millisecond, RedeliveryInterval: -1, AuditInterval: -1}
	// Generous: a loaded CI machine can take seconds to stop the queue;
	// shutdown returns as soon as it is done.
	cfg.Server.ShutdownPeriod = 30 * time.Second

	if tweak != nil {
		tweak(cfg)
	}
	logs := &syncBuffer{}
	logger := zerolog.New(logs).Level(zerolog.DebugLevel)
	srv, err := server.New(context.Background(), cfg, logger)
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	hookURL := "http://" + l.Addr().String() + server.HookPath
	fake.SetWebhookTarget(hookURL, webhookSecret)
	return &env{t: t, fake: fake, srv: srv, hookURL: hookURL, logs: logs}
}

// deliver sends a signed event as GitHub would and waits until the bot has
// processed everything it accepted.
func (e *env) deliver(event string, payload []byte) githubfake.DeliveryResult {
	e.t.Helper()
	res, err := e.fake.Deliver(context.Background(), event, payload)
	require.NoError(e.t, err)
	require.NoError(e.t, e.srv.WaitIdle())
	return res
}

// scenario is one failed run: its workflow file, its log, and how it ran.
type scenario struct {
	workflow   string
	log        string
	event      string
	actor      string
	headRepo   string
	pr         int
	conclusion string
	runID      int64
	attempt    int
	repoPerm   string
	orgPerm    string
	extraJobs  []githubfake.Job
	// repo is the repository of the run, repoName when empty; another one
	// must have been added to the fake first.
	repo string
	// owner is the repository's owner, org when empty; another one must
	// have been added to the fake first, with its installation.
	owner string
}

const workflowPath = ".github/workflows/release.yml"

// addRun stores the scenario in the fake and returns the workflow_run event.
func (e *env) addRun(s scenario) []byte {
	e.t.Helper()
	if s.runID == 0 {
		s.runID = 7001
	}
	if s.attempt == 0 {
		s.attempt = 1
	}
	if s.event == "" {
		s.event = "push"
	}
	if s.actor == "" {
		s.actor = "octocat"
	}
	if s.conclusion == "" {
		s.conclusion = "failure"
	}
	if s.repoPerm == "" {
		s.repoPerm = "write"
	}
	if s.orgPerm == "" {
		s.orgPerm = "write"
	}
	repo := s.repo
	if repo == "" {
		repo = repoName
	}
	org := org
	if s.owner != "" {
		org = s.owner
	}
	e.fake.SetRepoWorkflowPermissions(org, repo, s.repoPerm)
	e.fake.SetOrgWorkflowPermissions(org, s.orgPerm)
	e.fake.SetFile(org, repo, headSHA, workflowPath, []byte(s.workflow))
	var prs []int
	branch := "main"
	if s.pr != 0 {
		branch = "feature"
		head := s.headRepo
		e.fake.AddPull(org, repo, githubfake.Pull{Number: s.pr, Title: "Change", HeadSHA: headSHA, HeadRef: branch, BaseRef: "main", HeadRepoFullName: head, User: s.actor})
		if head == "" || head == org+"/"+repo {
			prs = []int{s.pr}
		}
	}
	e.fake.AddRun(org, repo, githubfake.Run{ID: s.runID, Attempt: s.attempt, Name: "Release", Path: workflowPath, HeadSHA: headSHA,
		HeadBranch: branch, Event: s.event, Conclusion: s.conclusion, Actor: s.actor, HeadRepoFullName: s.headRepo, PullRequests: prs, WorkflowID: 55})
	jobConclusion := "failure"
	if s.conclusion == "success" {
		jobConclusion = "success"
	}
	e.fake.AddJob(org, repo, s.runID, githubfake.Job{ID: s.runID*10 + int64(s.attempt), RunAttempt: s.attempt, Name: "build", Conclusion: jobConclusion, Log: []byte(s.log)})
	for _, j := range s.extraJobs {
		j.RunAttempt = s.attempt
		e.fake.AddJob(org, repo, s.runID, j)
	}
	return e.fake.WorkflowRunEvent("completed", org, repo, s.runID)
}

// syncBuffer collects the server's log lines safely across goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
