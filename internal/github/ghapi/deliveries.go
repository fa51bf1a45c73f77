package ghapi

import (
	"context"
	"errors"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/redelivery"
)

// AppDeliveries reads and redelivers the app's webhook deliveries; it must
// wrap an app (JWT) client, not an installation client.
type AppDeliveries struct {
	App *github.Client
}

var _ redelivery.Deliveries = AppDeliveries{}

// List returns one page of deliveries, newest first.
func (a AppDeliveries) List(ctx context.Context, cursor string) ([]redelivery.Delivery, string, error) {
	ds, resp, err := a.App.Apps.ListHookDeliveries(ctx, &github.ListCursorOptions{PerPage: 100, Cursor: cursor})
	if err != nil {
		return nil, "", gherr.Classify("listing webhook deliveries", resp, err)
	}
	out := make([]redelivery.Delivery, 0, len(ds))
	for _, d := range ds {
		out = append(out, redelivery.Delivery{
			ID: d.GetID(), GUID: d.GetGUID(), DeliveredAt: d.GetDeliveredAt().Time,
			OK: d.GetStatus() == "OK", Redelivery: d.GetRedelivery(), Event: d.GetEvent(),
		})
	}
	return out, resp.Cursor, nil
}

// Redeliver asks GitHub to send a delivery again; GitHub answers 202.
func (a AppDeliveries) Redeliver(ctx context.Context, id int64) error {
	_, resp, err := a.App.Apps.RedeliverHookDelivery(ctx, id)
	var accepted *github.AcceptedError
	if errors.As(err, &accepted) {
		return nil
	}
	return gherr.Classify("redelivering a webhook", resp, err)
}
