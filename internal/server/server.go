// Package server wires ghcr-doctor's HTTP server: the signed webhook
// endpoint (go-githubapp's dispatcher), health and metrics, the GitHub
// client creator, the background queue and the handlers.
package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/doctor"
	"github.com/ghcr-doctor/ghcr-doctor/internal/handlers"
	"github.com/ghcr-doctor/ghcr-doctor/internal/metrics"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
	"github.com/ghcr-doctor/ghcr-doctor/internal/version"
)

// Routes.
const (
	HookPath    = "/api/github/hook"
	HealthPath  = "/api/health"
	MetricsPath = "/api/metrics"
)

// maxPayloadBytes is GitHub's cap on webhook payloads.
const maxPayloadBytes = 25 << 20

// Server is a configured ghcr-doctor server.
type Server struct {
	cfg     *config.Config
	logger  zerolog.Logger
	metrics *metrics.Metrics
	queue   *queue.Memory
	handler http.Handler
	http    *http.Server
}

// New builds the server from its configuration.
func New(cfg *config.Config, logger zerolog.Logger) (*Server, error) {
	m := metrics.New()
	creator, err := githubapp.NewDefaultCachingClientCreator(cfg.GitHub,
		githubapp.WithClientUserAgent("ghcr-doctor/"+version.Version),
		githubapp.WithClientTimeout(cfg.Worker.HTTPTimeout),
		githubapp.WithClientMiddleware(m.RoundTripper),
	)
	if err != nil {
		return nil, fmt.Errorf("creating GitHub client creator: %w", err)
	}
	clients := &installationClients{creator: creator}
	doc := &doctor.Doctor{Clients: clients, WebURL: cfg.GitHub.WebURL, MaxLogBytes: cfg.Worker.MaxLogBytes, BotLogin: clients.BotLogin}
	doc.Observe = func(out doctor.Outcome) {
		for _, d := range out.Diagnoses {
			m.Diagnoses.WithLabelValues(string(d.Primary().ID)).Inc()
		}
	}

	jobs := map[string]queue.Handler{
		handlers.KindDiagnoseRun: handlers.DiagnoseRunJob(doc),
	}
	for kind, h := range remedyJobs(doc, clients) {
		jobs[kind] = h
	}
	q := queue.NewMemory(cfg.Worker.Workers, cfg.Worker.QueueSize, jobs, logger, m)
	base := handlers.Base{Queue: q}
	events := append([]githubapp.EventHandler{&handlers.WorkflowRun{Base: base}}, remedyEvents(base)...)

	dispatcher := githubapp.NewEventDispatcher(
		events,
		cfg.GitHub.App.WebhookSecret,
		githubapp.WithScheduler(githubapp.DefaultScheduler()),
		githubapp.WithErrorCallback(webhookErrorCallback(m)),
		githubapp.WithResponseCallback(webhookResponseCallback(m)),
	)

	mux := http.NewServeMux()
	mux.Handle("POST "+HookPath, http.MaxBytesHandler(dispatcher, maxPayloadBytes))
	mux.HandleFunc("GET "+HealthPath, health)
	mux.Handle("GET "+MetricsPath, m.Handler())

	s := &Server{cfg: cfg, logger: logger, metrics: m, queue: q, handler: withLogger(logger, mux)}
	s.http = &http.Server{
		Addr:              net.JoinHostPort(cfg.Server.Address, strconv.Itoa(cfg.Server.Port)),
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
	return s, nil
}

// Handler is the server's HTTP handler, for tests that bring their own listener.
func (s *Server) Handler() http.Handler { return s.handler }

// WaitIdle blocks until every accepted job has been processed.
func (s *Server) WaitIdle() { s.queue.Wait() }

// Serve answers on l until ctx ends, then shuts down gracefully: no new
// requests or jobs, jobs in flight get the configured shutdown period.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(l) }()
	s.logger.Info().Str("address", l.Addr().String()).Str("version", version.Version).Msg("Serving.")
	select {
	case err := <-errc:
		return fmt.Errorf("serving HTTP: %w", err)
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

// ListenAndServe listens on the configured address and serves until ctx ends.
func (s *Server) ListenAndServe(ctx context.Context) error {
	l, err := net.Listen("tcp", s.http.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", s.http.Addr, err)
	}
	return s.Serve(ctx, l)
}

func withLogger(logger zerolog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(logger.WithContext(r.Context())))
	})
}
