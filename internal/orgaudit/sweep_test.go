package orgaudit

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

type listedInstallations []Installation

func (l listedInstallations) ListInstallations(context.Context) ([]Installation, error) {
	return l, nil
}

// keyedQueue drops jobs whose key it has seen, as the durable queue does.
type keyedQueue struct {
	jobs []queue.Job
	seen map[string]bool
}

func (q *keyedQueue) Enqueue(_ context.Context, j queue.Job) error {
	if q.seen == nil {
		q.seen = map[string]bool{}
	}
	if !q.seen[j.Key] {
		q.seen[j.Key] = true
		q.jobs = append(q.jobs, j)
	}
	return nil
}

// TestWeeklySweepQueuesEachInstallationOncePerWeek: replicas sweeping the
// same week queue the same keys, so each installation is audited once.
func TestWeeklySweepQueuesEachInstallationOncePerWeek(t *testing.T) {
	q := &keyedQueue{}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	insts := listedInstallations{{ID: 1, Account: "acme"}, {ID: 2, Account: "octo"}}
	replica := func(at time.Time) *Sweeper {
		return &Sweeper{Installations: insts, Queue: q, Now: func() time.Time { return at }}
	}
	require.NoError(t, replica(now).Sweep(context.Background(), SweepJob(Week)(now)))
	require.NoError(t, replica(now.Add(time.Hour)).Sweep(context.Background(), SweepJob(Week)(now.Add(time.Hour))))
	require.Len(t, q.jobs, 2, "a second replica in the same week adds nothing")
	assert.Equal(t, SweepJob(Week)(now).Key, SweepJob(Week)(now.Add(time.Hour)).Key, "the sweep itself is one job a week")

	var req Request
	require.NoError(t, json.Unmarshal(q.jobs[0].Payload, &req))
	assert.Equal(t, Request{InstallationID: 1, Account: "acme", Reason: ReasonWeekly}, req)
	assert.Equal(t, KindAudit, q.jobs[0].Kind)
	assert.Equal(t, "org_audit:1", q.jobs[0].Serial)

	require.NoError(t, replica(now.Add(Week)).Sweep(context.Background(), SweepJob(Week)(now.Add(Week))))
	assert.Len(t, q.jobs, 4, "next week, each installation again")
	assert.NotEqual(t, SweepJob(Week)(now).Key, SweepJob(Week)(now.Add(Week)).Key)
}
