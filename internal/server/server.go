// Package server wires ghcr-doctor's HTTP server: the signed webhook
// endpoint (the hook guard, then go-githubapp's dispatcher), health and
// metrics, the GitHub client creator and the App's identity (learnt once at
// start-up), the durable job queue, and the one registry of event handlers
// and job kinds with the jobs' runners.
package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghcache"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/pacing"
	"github.com/ghcr-doctor/ghcr-doctor/internal/handlers"
	"github.com/ghcr-doctor/ghcr-doctor/internal/ledger"
	"github.com/ghcr-doctor/ghcr-doctor/internal/metrics"
	"github.com/ghcr-doctor/ghcr-doctor/internal/orgaudit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
	"github.com/ghcr-doctor/ghcr-doctor/internal/redelivery"
	"github.com/ghcr-doctor/ghcr-doctor/internal/repoconfig"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
	"github.com/ghcr-doctor/ghcr-doctor/internal/version"
)

// Routes.
const (
	HookPath   = "/api/github/hook"
	HealthPath = "/api/health"
	// LivePath answers 200 while the process serves, whatever the database
	// does: for liveness probes, which should not restart every replica
	// during a database outage.
	LivePath    = "/api/live"
	MetricsPath = "/api/metrics"
)

// maxPayloadBytes is GitHub's cap on webhook payloads.
const maxPayloadBytes = 25 << 20

// redeliveryWindow is how far back missed deliveries are looked for; it
// stays below the queue's job retention so each is redelivered once.
const redeliveryWindow = 48 * time.Hour

// Server is a configured ghcr-doctor server.
type Server struct {
	cfg     *config.Config
	logger  zerolog.Logger
	metrics *metrics.Metrics
	queue   *queue.Durable
	handler http.Handler
	http    *http.Server
}

// clientOptions are how every GitHub client of the server is built.
func clientOptions(cfg *config.Config, m *metrics.Metrics) []githubapp.ClientOption {
	return []githubapp.ClientOption{
		githubapp.WithClientUserAgent("ghcr-doctor/" + version.Version),
		githubapp.WithClientTimeout(cfg.Worker.HTTPTimeout),
		// Conditional requests: unchanged answers cost no rate limit.
		githubapp.WithClientCaching(false, newSharedCache(httpCacheBytes).view),
		// Above the cache: go-github stops reading a JSON answer just short
		// of its end, and the cache keeps only answers read to the end.
		githubapp.WithClientMiddleware(ghcache.DrainBodies, m.RoundTripper, logGitHubCalls),
	}
}

// New builds the server from its configuration and opens its queue.
func New(ctx context.Context, cfg *config.Config, logger zerolog.Logger) (*Server, error) {
	m := metrics.New()
	creator, err := githubapp.NewDefaultCachingClientCreator(cfg.GitHub, clientOptions(cfg, m)...)
	if err != nil {
		return nil, fmt.Errorf("creating GitHub client creator: %w", err)
	}
	identity, err := learnIdentity(ctx, creator)
	if err != nil {
		return nil, err
	}
	logger.Info().Str("app", identity.slug).Msg("GitHub knows the App.")
	clients := &installationClients{creator: creator, pacer: newPacer(cfg.Worker, m)}
	hosts, err := triage.RegistryHostsFor(cfg.GitHub.WebURL)
	if err != nil {
		return nil, fmt.Errorf("github.web_url: %w", err)
	}
	doc := &triage.Doctor{Clients: clients, WebURL: cfg.GitHub.WebURL, MaxLogBytes: cfg.Worker.MaxLogBytes, BotLogin: identity.botLogin, Hosts: hosts}
	doc.Observe = func(out triage.RunOutcome) {
		for _, d := range out.Diagnoses {
			m.Diagnoses.WithLabelValues(string(d.Primary().ID)).Inc()
		}
	}

	// The queue and the handlers need each other: handlers enqueue, the
	// redelivery scan enqueues too; the enqueuer is bound once the queue exists.
	enq := &lateEnqueuer{}
	deliveries := appDeliveries{creator}
	redeliveries := &redelivery.Scanner{Deliveries: deliveries, Queue: enq,
		Window: redeliveryWindow, Settle: min(time.Minute, cfg.Queue.RedeliveryInterval/2)}
	marks := &lateMarks{}
	book := &ledger.Book{Marks: marks}
	doc.Ledgers = func(installationID int64) report.Ledger { return book.For(installationID) }
	doc.Configs = &repoconfig.Absent{}
	preflights := newPreflightChecker(clients, marks, cfg.GitHub.WebURL, identity.botLogin)
	audits := &orgaudit.Service{Clients: orgAuditClients{clients}, Analyze: preflight.Analyze, WebURL: cfg.GitHub.WebURL}
	sweeper := &orgaudit.Sweeper{Installations: appInstallations{creator}, Queue: enq, Every: cfg.Queue.AuditInterval}
	jobs := jobKinds(doc, clients, redeliveries, deliveries, preflights, audits, sweeper)
	q, err := openQueue(ctx, cfg, jobs, logger, m)
	if err != nil {
		return nil, err
	}
	enq.q = q
	marks.q = q

	mux := http.NewServeMux()
	mux.Handle("POST "+HookPath, webhookHandler(cfg.GitHub.App.WebhookSecret, q, book, doc.Configs, m))
	mux.HandleFunc("GET "+HealthPath, health(q, newCredentialState(creator.NewAppClient, cfg.GitHub.App.IntegrationID, cfg.GitHub.V3APIURL)))
	mux.HandleFunc("GET "+LivePath, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": version.Version})
	})
	mux.Handle("GET "+MetricsPath, m.Handler())

	s := &Server{cfg: cfg, logger: logger, metrics: m, queue: q, handler: withLogger(logger, mux)}
	s.http = &http.Server{
		Addr:              listenAddress(cfg),
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
	return s, nil
}

// newPacer paces each installation's requests under GitHub's limits, or
// the configured ones; nil when pacing is switched off.
func newPacer(w config.Worker, m *metrics.Metrics) *pacing.Pacer {
	if w.WritesPerMinute < 0 {
		return nil
	}
	limits := pacing.GitHubLimits()
	if w.WritesPerMinute > 0 {
		limits.WritesPerMinute = w.WritesPerMinute
		limits.WriteBurst = min(limits.WriteBurst, max(1, w.WritesPerMinute/4))
	}
	if w.WritesPerHour > 0 {
		limits.WritesPerHour = w.WritesPerHour
	}
	return pacing.New(limits, nil, m)
}

// webhookHandler admits signed deliveries (the hook guard), dispatches
// them to the event handlers, which queue jobs on q, and answers each:
// 202 when a job was queued, 200 when there was nothing to do.
func webhookHandler(secret string, q queue.Enqueuer, book *ledger.Book, configs *repoconfig.Absent, m *metrics.Metrics) http.Handler {
	base := handlers.Base{Queue: markingEnqueuer{next: q}}
	// The guard checks the signature; the dispatcher only ever sees
	// deliveries it verified (see hookGuard.ServeHTTP).
	dispatcher := githubapp.NewEventDispatcher(
		eventHandlers(base, book, configs),
		"",
		githubapp.WithScheduler(githubapp.DefaultScheduler()),
		githubapp.WithErrorCallback(webhookErrorCallback(m)),
		githubapp.WithResponseCallback(webhookResponseCallback(m)),
	)
	return newHookGuard(secret, dispatcher, maxPayloadBytes, maxInFlightBytes, m)
}

// openQueue opens PostgreSQL when configured, else the embedded SQLite file.
func openQueue(ctx context.Context, cfg *config.Config, jobs map[string]queue.Handler, logger zerolog.Logger, m *metrics.Metrics) (*queue.Durable, error) {
	host, _ := os.Hostname()
	opts := queue.Options{
		Workers:      cfg.Worker.Workers,
		JobTimeout:   cfg.Queue.JobTimeout,
		RescueAfter:  cfg.Queue.RescueAfter,
		PollInterval: cfg.Queue.PollInterval,
		RetryBase:    cfg.Queue.RetryBase,
		Retention:    redeliveryWindow + 24*time.Hour,
		ID:           fmt.Sprintf("%s-%d", host, os.Getpid()),
	}
	if cfg.Worker.WritesPerMinute < 0 {
		// Unpaced writes: nothing to spread an installation's jobs for.
		opts.AdmissionSpacing = -1
	}
	// The weekly audits: one sweep a period, by the leader; each
	// installation's audit is keyed by its period, so it runs once.
	if cfg.Queue.AuditInterval > 0 {
		opts.Periodic = append(opts.Periodic, queue.Periodic{Every: cfg.Queue.AuditInterval, Job: orgaudit.SweepJob(cfg.Queue.AuditInterval)})
	}
	if cfg.Queue.RedeliveryInterval > 0 {
		opts.Periodic = append(opts.Periodic, queue.Periodic{Every: cfg.Queue.RedeliveryInterval, Job: redelivery.ScanJob(cfg.Queue.RedeliveryInterval)})
	}
	if cfg.Queue.PostgresURL != "" {
		q, err := queue.OpenPostgres(ctx, cfg.Queue.PostgresURL, opts, jobs, logger, m)
		if err != nil {
			return nil, fmt.Errorf("opening the PostgreSQL queue: %w", err)
		}
		return q, nil
	}
	q, err := queue.OpenSQLite(ctx, cfg.Queue.DataDir, opts, jobs, logger, m)
	if err != nil {
		return nil, fmt.Errorf("opening the queue in %s: %w", cfg.Queue.DataDir, err)
	}
	return q, nil
}

// Handler is the server's HTTP handler, for tests that bring their own listener.
func (s *Server) Handler() http.Handler { return s.handler }

// WaitIdle blocks until every accepted job has been processed, or a minute passed.
func (s *Server) WaitIdle() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return s.queue.Wait(ctx)
}

// Serve answers on l and works jobs until ctx ends, then shuts down
// gracefully: no new requests or jobs; jobs in flight get the configured
// shutdown period, after which they are cancelled and retried later.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	// The queue outlives ctx: cancelling River's start context would cancel
	// running jobs at once, while shutdown below lets them finish.
	if err := s.queue.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(l) }()
	s.logger.Info().Str("address", l.Addr().String()).Str("version", version.Version).Msg("Serving.")
	select {
	case err := <-errc:
		// Without HTTP no webhook arrives: stop working jobs too, so the
		// process ends and another one, or this one restarted, takes over.
		s.logger.Error().Err(err).Msg("Serving HTTP failed; stopping the queue.")
		sctx, cancel := context.WithTimeout(context.Background(), s.cfg.Server.ShutdownPeriod)
		defer cancel()
		return errors.Join(fmt.Errorf("serving HTTP: %w", err), s.queue.Shutdown(sctx))
	case <-ctx.Done():
	}
	s.logger.Info().Msg("Shutting down.")
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.Server.ShutdownPeriod)
	defer cancel()
	herr := s.http.Shutdown(sctx)
	qerr := s.queue.Shutdown(sctx)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving HTTP: %w", err)
	}
	return errors.Join(herr, qerr)
}

// Listen binds the configured address. bot serve binds it before New
// opens the queue, so that a second server that cannot serve stops
// before touching the jobs.
func Listen(cfg *config.Config) (net.Listener, error) {
	addr := listenAddress(cfg)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return l, nil
}

func listenAddress(cfg *config.Config) string {
	return net.JoinHostPort(cfg.Server.Address, strconv.Itoa(cfg.Server.Port))
}

// ListenAndServe listens on the configured address and serves until ctx ends.
func (s *Server) ListenAndServe(ctx context.Context) error {
	l, err := Listen(s.cfg)
	if err != nil {
		return err
	}
	return s.Serve(ctx, l)
}

func withLogger(logger zerolog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(logger.WithContext(r.Context())))
	})
}

// lateEnqueuer forwards to the queue once it exists.
type lateEnqueuer struct{ q queue.Enqueuer }

func (l *lateEnqueuer) Enqueue(ctx context.Context, job queue.Job) error {
	return l.q.Enqueue(ctx, job)
}

// appDeliveries makes an app (JWT) client for each use, so the JWT is fresh.
type appDeliveries struct{ creator githubapp.ClientCreator }

func (a appDeliveries) deliveries() (ghapi.AppDeliveries, error) {
	c, err := a.creator.NewAppClient()
	if err != nil {
		return ghapi.AppDeliveries{}, fmt.Errorf("creating the app client: %w", err)
	}
	return ghapi.AppDeliveries{App: c}, nil
}

func (a appDeliveries) List(ctx context.Context, cursor string) ([]redelivery.Delivery, string, error) {
	d, err := a.deliveries()
	if err != nil {
		return nil, "", err
	}
	return d.List(ctx, cursor)
}

func (a appDeliveries) Redeliver(ctx context.Context, id int64) error {
	d, err := a.deliveries()
	if err != nil {
		return err
	}
	return d.Redeliver(ctx, id)
}
