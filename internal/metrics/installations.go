package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// installationMetrics are the per-installation metrics: each installation's
// primary budget, the writes the pacing held back, and its waiting jobs.
type installationMetrics struct {
	// Budget is GitHub's X-RateLimit-Remaining of the installation's last answer.
	Budget *prometheus.GaugeVec
	// WritesPaced counts content-creating requests that waited their turn.
	WritesPaced *prometheus.CounterVec
	// WriteWait is the time those writes waited, in seconds.
	WriteWait *prometheus.CounterVec
	// QueueDepth is the installation's jobs waiting for a worker.
	QueueDepth *prometheus.GaugeVec
}

func newInstallationMetrics() installationMetrics {
	return installationMetrics{
		Budget: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ghcr_doctor_installation_rate_limit_remaining",
			Help: "Requests left in the installation's primary GitHub budget, from its last answer's X-RateLimit-Remaining."}, []string{"installation"}),
		WritesPaced: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ghcr_doctor_installation_writes_paced_total",
			Help: "Content-creating requests (comments, issues, check runs, pull requests) that waited their turn under GitHub's secondary limits, by installation."}, []string{"installation"}),
		WriteWait: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ghcr_doctor_installation_write_wait_seconds_total",
			Help: "Time content-creating requests waited for their turn, by installation."}, []string{"installation"}),
		QueueDepth: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ghcr_doctor_installation_queue_depth",
			Help: "Jobs waiting for a worker, by installation (0: the App's own work)."}, []string{"installation"}),
	}
}

func (im installationMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{im.Budget, im.WritesPaced, im.WriteWait, im.QueueDepth}
}

func installationLabel(id int64) string { return strconv.FormatInt(id, 10) }

// WritePaced implements pacing.Observer.
func (m *Metrics) WritePaced(installation int64, waited time.Duration) {
	m.Installations.WritesPaced.WithLabelValues(installationLabel(installation)).Inc()
	m.Installations.WriteWait.WithLabelValues(installationLabel(installation)).Add(waited.Seconds())
}

// Budget implements pacing.Observer.
func (m *Metrics) Budget(installation int64, remaining int) {
	m.Installations.Budget.WithLabelValues(installationLabel(installation)).Set(float64(remaining))
}

// InstallationDepth implements queue.InstallationMetrics: installations
// with nothing waiting drop out of the gauge.
func (m *Metrics) InstallationDepth(byInstallation map[int64]int) {
	m.Installations.QueueDepth.Reset()
	for id, n := range byInstallation {
		m.Installations.QueueDepth.WithLabelValues(installationLabel(id)).Set(float64(n))
	}
}
