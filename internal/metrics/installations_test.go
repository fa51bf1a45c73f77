package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func value(t *testing.T, c prometheus.Metric) float64 {
	t.Helper()
	var m dto.Metric
	require.NoError(t, c.Write(&m))
	if m.Gauge != nil {
		return m.GetGauge().GetValue()
	}
	return m.GetCounter().GetValue()
}

func TestInstallationMetrics(t *testing.T) {
	m := New()
	m.Budget(7, 4321)
	m.WritePaced(7, 1500*time.Millisecond)
	m.WritePaced(7, 500*time.Millisecond)
	m.InstallationDepth(map[int64]int{7: 12, 8: 3})
	assert.Equal(t, 4321.0, value(t, m.Installations.Budget.WithLabelValues("7")))
	assert.Equal(t, 2.0, value(t, m.Installations.WritesPaced.WithLabelValues("7")))
	assert.Equal(t, 2.0, value(t, m.Installations.WriteWait.WithLabelValues("7")))
	assert.Equal(t, 12.0, value(t, m.Installations.QueueDepth.WithLabelValues("7")))

	m.InstallationDepth(map[int64]int{8: 1})
	families, err := m.Registry.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() == "ghcr_doctor_installation_queue_depth" {
			require.Len(t, f.GetMetric(), 1, "an installation with nothing waiting drops out")
			assert.Equal(t, "8", f.GetMetric()[0].GetLabel()[0].GetValue())
			assert.Equal(t, 1.0, f.GetMetric()[0].GetGauge().GetValue())
		}
	}
}
