package demo

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"github.com/ghcr-doctor/ghcr-doctor/internal/samples"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/server"
)

// The simulated world: one organisation with the App installed on one repository.
const (
	Owner          = "acme"
	Repo           = "app"
	InstallationID = int64(4242)
	AppID          = int64(99)
	AppSlug        = "ghcr-doctor"
	RunID          = int64(7001)
	WorkflowPath   = ".github/workflows/release.yml"
	WebhookSecret  = "demo-webhook-secret"
	Admin          = "ada"
	headSHA        = "0123456789abcdef0123456789abcdef01234567"
)

// appPermissions are what the App's manifest asks for.
var appPermissions = map[string]string{
	"actions": "write", "checks": "write", "contents": "write", "workflows": "write", "pull_requests": "write",
	"issues": "write", "metadata": "read", "administration": "write", "organization_administration": "read",
	"members": "read",
}

var (
	keyOnce sync.Once
	appKey  *rsa.PrivateKey
	keyErr  error
)

// sharedKey is the simulated App's key, made once per process: making one is slow.
func sharedKey() (*rsa.PrivateKey, error) {
	keyOnce.Do(func() { appKey, keyErr = rsa.GenerateKey(rand.Reader, 2048) })
	return appKey, keyErr
}

// World is a simulated GitHub and the real ghcr-doctor server wired to it.
type World struct {
	Fake   *githubfake.Server
	Server *server.Server
	BotURL string
	// head is the commit the story ends on; run is its failed run and
	// pull the pull request the story opened, 0 for none.
	head    string
	run     int64
	pull    int
	dataDir string
	cancel  context.CancelFunc
	done    chan error
}

// startWorld starts the fake GitHub and the bot. log receives the
// server's log lines; nil discards them.
func startWorld(ctx context.Context, log io.Writer) (w *World, err error) {
	key, err := sharedKey()
	if err != nil {
		return nil, fmt.Errorf("making the simulated App's key: %w", err)
	}
	fake := githubfake.New(githubfake.Options{AppID: AppID, AppSlug: AppSlug, AppKey: key})
	defer func() {
		if err != nil {
			fake.Close()
		}
	}()
	fake.AddInstallation(InstallationID, Owner, "Organization", appPermissions)
	fake.AddRepo(githubfake.Repo{Owner: Owner, Name: Repo, ID: 1001, OwnerType: "Organization", InstallationID: InstallationID})
	fake.SetCollaborator(Owner, Repo, Admin, "admin", "admin")

	dataDir, err := os.MkdirTemp("", "ghcr-doctor-demo-")
	if err != nil {
		return nil, fmt.Errorf("making the queue's directory: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dataDir)
		}
	}()
	cfg := &config.Config{}
	cfg.GitHub = githubapp.Config{WebURL: config.DefaultWebURL, V3APIURL: fake.URL() + "/"}
	cfg.GitHub.App.IntegrationID = AppID
	cfg.GitHub.App.WebhookSecret = WebhookSecret
	cfg.GitHub.App.PrivateKey = string(fake.AppPrivateKeyPEM())
	cfg.Worker = config.Worker{Workers: 2, HTTPTimeout: 10 * time.Second}
	cfg.Queue = config.Queue{DataDir: dataDir, PollInterval: 50 * time.Millisecond, RetryBase: 200 * time.Millisecond, RedeliveryInterval: -1}
	cfg.Server.ShutdownPeriod = 5 * time.Second

	if log == nil {
		log = io.Discard
	}
	srv, err := server.New(ctx, cfg, zerolog.New(log).With().Timestamp().Logger())
	if err != nil {
		return nil, fmt.Errorf("starting ghcr-doctor: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening: %w", err)
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(sctx, l) }()
	botURL := "http://" + l.Addr().String()
	fake.SetWebhookTarget(botURL+server.HookPath, WebhookSecret)
	return &World{Fake: fake, Server: srv, BotURL: botURL, dataDir: dataDir, cancel: cancel, done: done}, nil
}

// Close stops the bot, then the fake, and removes the queue's files.
func (w *World) Close() error {
	w.cancel()
	err := <-w.done
	w.Fake.Close()
	os.RemoveAll(w.dataDir)
	if err != nil {
		return fmt.Errorf("stopping ghcr-doctor: %w", err)
	}
	return nil
}

// setUp stores the scenario's repository state, run and job in the fake.
func (w *World) setUp(s Scenario) {
	f := w.Fake
	w.head, w.run = headSHA, RunID
	f.SetRepoWorkflowPermissions(Owner, Repo, or(s.RepoDefault, "write"))
	f.SetOrgWorkflowPermissions(Owner, or(s.OrgDefault, "write"))
	f.SetFile(Owner, Repo, "main", WorkflowPath, []byte(s.Workflow))
	f.SetFile(Owner, Repo, headSHA, WorkflowPath, []byte(s.Workflow))
	branch, actor := "main", or(s.Actor, "octocat")
	var prs []int
	if s.PullRequest != 0 {
		branch = "feature"
		f.AddPull(Owner, Repo, githubfake.Pull{Number: s.PullRequest, Title: "Change the release", HeadSHA: headSHA, HeadRef: branch,
			BaseRef: "main", HeadRepoFullName: s.HeadRepo, User: actor})
		if s.HeadRepo == "" {
			prs = []int{s.PullRequest}
		}
	}
	f.AddRun(Owner, Repo, githubfake.Run{ID: RunID, Attempt: 1, Name: "Release", Path: WorkflowPath, HeadSHA: headSHA,
		HeadBranch: branch, Event: or(s.Event, "push"), Conclusion: "failure", Actor: actor, HeadRepoFullName: s.HeadRepo,
		PullRequests: prs, WorkflowID: 55})
	f.AddJob(Owner, Repo, RunID, githubfake.Job{ID: RunID*10 + 1, RunAttempt: 1, Name: "build", Conclusion: "failure",
		Log: []byte(JobLog(s.TokenPermissions, s.Step, s.Output...))})
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// JobLog builds a job log in GitHub's format.
var JobLog = samples.JobLog
