package redelivery

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

type pages struct {
	pages       [][]Delivery
	redelivered []int64
}

func (p *pages) List(_ context.Context, cursor string) ([]Delivery, string, error) {
	i := 0
	if cursor != "" {
		i = int(cursor[0] - '0')
	}
	next := ""
	if i+1 < len(p.pages) {
		next = string(rune('0' + i + 1))
	}
	return p.pages[i], next, nil
}

func (p *pages) Redeliver(_ context.Context, id int64) error {
	p.redelivered = append(p.redelivered, id)
	return nil
}

type jobs struct{ got []queue.Job }

func (j *jobs) Enqueue(_ context.Context, job queue.Job) error {
	j.got = append(j.got, job)
	return nil
}

func TestScan(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	at := func(ago time.Duration) time.Time { return now.Add(-ago) }
	p := &pages{pages: [][]Delivery{
		{
			{ID: 1, GUID: "fresh", DeliveredAt: at(10 * time.Second)},                   // may still be in flight
			{ID: 2, GUID: "failed-then-ok", DeliveredAt: at(2 * time.Minute), OK: true}, // GitHub retried by hand
			{ID: 3, GUID: "failed", DeliveredAt: at(3 * time.Minute)},
		},
		{
			{ID: 4, GUID: "failed-then-ok", DeliveredAt: at(5 * time.Minute)},
			{ID: 5, GUID: "ok", DeliveredAt: at(6 * time.Minute), OK: true},
			{ID: 6, GUID: "failed", DeliveredAt: at(7 * time.Minute)},
			{ID: 7, GUID: "too-old", DeliveredAt: at(49 * time.Hour)},
		},
	}}
	q := &jobs{}
	s := &Scanner{Deliveries: p, Queue: q, Window: 48 * time.Hour, Settle: time.Minute, Now: func() time.Time { return now }}
	require.NoError(t, s.Scan(context.Background(), queue.Job{}))
	require.Len(t, q.got, 1, "only the GUID with no OK delivery, old enough, inside the window")
	assert.Equal(t, "redeliver:failed", q.got[0].Key)
	var args redeliverArgs
	require.NoError(t, json.Unmarshal(q.got[0].Payload, &args))
	assert.EqualValues(t, 3, args.DeliveryID, "the newest attempt of that GUID")

	require.NoError(t, Redeliver(p)(context.Background(), q.got[0]))
	assert.Equal(t, []int64{3}, p.redelivered)
}

func TestScanJobKeyPerPeriod(t *testing.T) {
	f := ScanJob(10 * time.Minute)
	a := f(time.Date(2026, 1, 1, 10, 1, 0, 0, time.UTC))
	b := f(time.Date(2026, 1, 1, 10, 9, 0, 0, time.UTC))
	c := f(time.Date(2026, 1, 1, 10, 11, 0, 0, time.UTC))
	assert.Equal(t, a.Key, b.Key)
	assert.NotEqual(t, a.Key, c.Key)
}
