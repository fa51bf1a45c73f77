package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
)

func TestInstallationMetrics(t *testing.T) {
	m := New()
	m.Budget(7, 4321)
	m.WritePaced(7, 1500*time.Millisecond)
	m.WritePaced(7, 500*time.Millisecond)
	m.InstallationDepth(map[int64]int{7: 12, 8: 3})
	assert.Equal(t, 4321.0, testutil.ToFloat64(m.Installations.Budget.WithLabelValues("7")))
	assert.Equal(t, 2.0, testutil.ToFloat64(m.Installations.WritesPaced.WithLabelValues("7")))
	assert.Equal(t, 2.0, testutil.ToFloat64(m.Installations.WriteWait.WithLabelValues("7")))
	assert.Equal(t, 12.0, testutil.ToFloat64(m.Installations.QueueDepth.WithLabelValues("7")))

	m.InstallationDepth(map[int64]int{8: 1})
	assert.Equal(t, 1, testutil.CollectAndCount(m.Installations.QueueDepth), "an installation with nothing waiting drops out")
	assert.Equal(t, 1.0, testutil.ToFloat64(m.Installations.QueueDepth.WithLabelValues("8")))
}
