// Package metrics defines the Prometheus metrics ghcr-doctor exports on
// /api/metrics: webhooks, queue, diagnoses and GitHub API calls, and per
// installation its budget, paced writes and waiting jobs.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ghcr-doctor/ghcr-doctor/internal/version"
)

// Outcomes of a webhook delivery, the values of the outcome label of
// ghcr_doctor_webhooks_total.
const (
	// WebhookAccepted is a delivery for which a job was queued.
	WebhookAccepted = "accepted"
	// WebhookIgnored is a valid delivery with nothing to do: an event no
	// handler takes, or an action or conclusion the handler skips
	// (workflow_run requested or in_progress, a cancelled run, a comment
	// without a command).
	WebhookIgnored      = "ignored"
	WebhookUnauthorized = "unauthorized"
	WebhookBadRequest   = "bad_request"
	WebhookUnavailable  = "unavailable"
	WebhookError        = "error"
)

// WebhookOutcomes are every value of the outcome label of
// ghcr_doctor_webhooks_total.
var WebhookOutcomes = []string{WebhookAccepted, WebhookIgnored, WebhookUnauthorized, WebhookBadRequest, WebhookUnavailable, WebhookError}

// Metrics holds the collectors of one server.
type Metrics struct {
	Registry    *prometheus.Registry
	Webhooks    *prometheus.CounterVec
	QueueDepth  prometheus.Gauge
	Jobs        *prometheus.CounterVec
	JobDuration *prometheus.HistogramVec
	Diagnoses   *prometheus.CounterVec
	GitHubCalls *prometheus.CounterVec
	// RateLimitRemaining is GitHub's X-RateLimit-Remaining of the last
	// answer, by rate-limit resource (core, graphql, search, …).
	RateLimitRemaining *prometheus.GaugeVec
	// Installations are the metrics of each installation (installations.go).
	Installations installationMetrics
}

// New registers every collector on a fresh registry.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ghcr_doctor_webhooks_total",
			Help: "Webhook deliveries received, by event and outcome (accepted: a job was queued; ignored: nothing to do; " +
				"unauthorized; bad_request; unavailable: the queue could not store it; error)."}, []string{"event", "outcome"}),
		QueueDepth: prometheus.NewGauge(prometheus.GaugeOpts{Name: "ghcr_doctor_queue_depth", Help: "Jobs waiting for a worker."}),
		Jobs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ghcr_doctor_jobs_total",
			Help: "Attempts of background jobs that ended, by kind and outcome (ok, retry, snoozed, cancelled, failed: the last attempt failed)."}, []string{"kind", "outcome"}),
		JobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ghcr_doctor_job_duration_seconds",
			Help: "Time of one attempt of a background job, by kind: its wait in the queue once it was due, plus its run.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 12)}, []string{"kind"}),
		Diagnoses: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ghcr_doctor_diagnoses_total",
			Help: "Diagnoses made, by primary cause."}, []string{"cause"}),
		GitHubCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ghcr_doctor_github_requests_total",
			Help: "GitHub API requests, by status class."}, []string{"status"}),
		RateLimitRemaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ghcr_doctor_github_rate_limit_remaining",
			Help: "Requests left in GitHub's rate-limit window, from the last answer's X-RateLimit-Remaining, by resource."}, []string{"resource"}),
		Installations: newInstallationMetrics(),
	}
	m.Registry.MustRegister(m.Webhooks, m.QueueDepth, m.Jobs, m.JobDuration, m.Diagnoses, m.GitHubCalls, m.RateLimitRemaining,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), buildInfo(version.Info()))
	m.Registry.MustRegister(m.Installations.collectors()...)
	return m
}

// buildInfo is the constant 1 labelled with the running build, so
// dashboards can tell which version each replica runs.
func buildInfo(b version.Build) prometheus.Collector {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "ghcr_doctor_build_info",
		Help:        "The running build: always 1, labelled with its version, commit, build date and Go version.",
		ConstLabels: prometheus.Labels{"version": b.Version, "commit": b.Commit, "date": b.Date, "goversion": b.GoVersion}})
	g.Set(1)
	return g
}

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// Depth implements queue.Metrics.
func (m *Metrics) Depth(n int) { m.QueueDepth.Set(float64(n)) }

// Done implements queue.Metrics.
func (m *Metrics) Done(kind, outcome string, took time.Duration) {
	m.Jobs.WithLabelValues(kind, outcome).Inc()
	m.JobDuration.WithLabelValues(kind).Observe(took.Seconds())
}

// RoundTripper counts GitHub API responses by status class and keeps the
// rate-limit gauge from their headers.
func (m *Metrics) RoundTripper(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err != nil {
			m.GitHubCalls.WithLabelValues("error").Inc()
			return resp, err
		}
		m.GitHubCalls.WithLabelValues(strconv.Itoa(resp.StatusCode/100) + "xx").Inc()
		if left, err := strconv.ParseFloat(resp.Header.Get("X-RateLimit-Remaining"), 64); err == nil {
			resource := resp.Header.Get("X-RateLimit-Resource")
			if resource == "" {
				resource = "core"
			}
			m.RateLimitRemaining.WithLabelValues(resource).Set(left)
		}
		return resp, nil
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
