package server

import (
	"context"
	"net/http"
	"sync/atomic"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

// delivery is what the server learns about one webhook delivery while it
// is admitted and dispatched, for the answer and the metrics.
type delivery struct {
	// verified says the hook guard checked the delivery's signature.
	verified bool
	// queued says a handler queued a job for it.
	queued atomic.Bool
}

type deliveryKey struct{}

// withDelivery gives the request a delivery record that the handlers'
// enqueuer and the dispatcher's callbacks share.
func withDelivery(r *http.Request, d *delivery) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), deliveryKey{}, d))
}

// deliveryOf is the delivery record of the request's context, nil when none.
func deliveryOf(ctx context.Context) *delivery {
	d, _ := ctx.Value(deliveryKey{}).(*delivery)
	return d
}

// markingEnqueuer marks the delivery whose handler queued a job, so that
// only those count as accepted.
type markingEnqueuer struct{ next queue.Enqueuer }

func (e markingEnqueuer) Enqueue(ctx context.Context, job queue.Job) error {
	if err := e.next.Enqueue(ctx, job); err != nil {
		return err
	}
	if d := deliveryOf(ctx); d != nil {
		d.queued.Store(true)
	}
	return nil
}
