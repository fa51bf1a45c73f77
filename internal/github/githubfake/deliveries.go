package githubfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Delivery is a recorded webhook delivery.
type Delivery struct {
	ID             int64
	GUID           string
	Event          string
	Action         string
	Redelivery     bool
	Status         string
	StatusCode     int
	DeliveredAt    time.Time
	InstallationID int64
	RepositoryID   int64
	Payload        []byte
}

type delivery struct {
	Delivery
	duration    float64
	headers     map[string]string
	respHeaders map[string]string
	respBody    string
}

func (s *Server) recordDelivery(event, guid string, payload []byte, redelivery bool, out sendOutcome) *delivery {
	action, instID, repoID := payloadFacts(payload)
	s.mu.Lock()
	defer s.mu.Unlock()
	d := &delivery{
		Delivery: Delivery{
			ID: s.st.newID(), GUID: guid, Event: event, Action: action, Redelivery: redelivery,
			Status: deliveryStatus(out), StatusCode: out.statusCode, DeliveredAt: s.now(),
			InstallationID: instID, RepositoryID: repoID, Payload: append([]byte(nil), payload...),
		},
		duration:    out.duration.Seconds(),
		headers:     out.headers,
		respHeaders: out.respHeaders,
		respBody:    string(out.body),
	}
	s.st.deliveries = append(s.st.deliveries, d)
	return d
}

// Deliveries lists the recorded webhook deliveries, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.st.deliveries))
	for i, d := range s.st.deliveries {
		out[i] = d.Delivery
	}
	return out
}

// WaitRedeliveries waits until the redeliveries requested so far have been sent, or ctx ends.
func (s *Server) WaitRedeliveries(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.background.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for redeliveries: %w", ctx.Err())
	}
}

func (s *Server) deliveriesRoutes(add addRoute) {
	const doc = docsRoot + "/apps/webhooks"
	add("GET", "/app/hook/deliveries", authJWT, nil, doc+"#list-deliveries-for-an-app-webhook", s.handleListDeliveries)
	add("GET", "/app/hook/deliveries/{id}", authJWT, nil, doc+"#get-a-delivery-for-an-app-webhook", s.handleGetDelivery)
	add("POST", "/app/hook/deliveries/{id}/attempts", authJWT, nil, doc+"#redeliver-a-delivery-for-an-app-webhook", s.handleRedeliver)
}

func (s *Server) deliverySummaryJSON(d *delivery) map[string]any {
	return map[string]any{
		"id":              d.ID,
		"guid":            d.GUID,
		"delivered_at":    ts(d.DeliveredAt),
		"redelivery":      d.Redelivery,
		"duration":        d.duration,
		"status":          d.Status,
		"status_code":     d.StatusCode,
		"event":           d.Event,
		"action":          nullable(d.Action),
		"installation_id": d.InstallationID,
		"repository_id":   d.RepositoryID,
		"throttled_at":    nil,
	}
}

// handleListDeliveries lists deliveries newest first with cursor pagination:
// the cursor names the ID the next page starts at.
func (s *Server) handleListDeliveries(c *call) {
	perPage := 30
	if v := c.query("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			c.invalid("Invalid request.\n\nper_page must be a positive integer.")
			return
		}
		perPage = min(n, 100)
	}
	startAt := int64(-1)
	if cur := c.query("cursor"); cur != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(cur, "v1_"), 10, 64)
		if err != nil {
			c.invalid("Invalid cursor")
			return
		}
		startAt = n
	}
	s.mu.Lock()
	all := append([]*delivery(nil), s.st.deliveries...)
	sort.Slice(all, func(i, j int) bool { return all[i].ID > all[j].ID })
	var page []any
	var next int64 = -1
	for _, d := range all {
		if startAt >= 0 && d.ID > startAt {
			continue
		}
		if len(page) == perPage {
			next = d.ID
			break
		}
		page = append(page, s.deliverySummaryJSON(d))
	}
	s.mu.Unlock()
	if next >= 0 {
		c.w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, c.pageURL("cursor", fmt.Sprintf("v1_%d", next))))
	}
	c.json(http.StatusOK, nonNil(page))
}

func (s *Server) deliveryOfRequest(c *call) *delivery {
	id, err := strconv.ParseInt(c.param("id"), 10, 64)
	if err != nil {
		return nil
	}
	for _, d := range s.st.deliveries {
		if d.ID == id {
			return d
		}
	}
	return nil
}

func (s *Server) handleGetDelivery(c *call) {
	s.mu.Lock()
	d := s.deliveryOfRequest(c)
	var body map[string]any
	if d != nil {
		body = s.deliverySummaryJSON(d)
		body["url"] = s.opts.WebhookURL
		body["request"] = map[string]any{"headers": d.headers, "payload": json.RawMessage(d.Payload)}
		respPayload, _ := json.Marshal(d.respBody)
		body["response"] = map[string]any{"headers": d.respHeaders, "payload": json.RawMessage(respPayload)}
	}
	s.mu.Unlock()
	if body == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, body)
}

// handleRedeliver accepts a redelivery and re-sends the delivery in the
// background with the same GUID, recording a new delivery marked as a redelivery.
func (s *Server) handleRedeliver(c *call) {
	s.mu.Lock()
	d := s.deliveryOfRequest(c)
	var event, guid string
	var payload []byte
	if d != nil {
		event, guid, payload = d.Event, d.GUID, d.Payload
		s.st.redeliveries = append(s.st.redeliveries, d.ID)
		s.background.Add(1)
	}
	s.mu.Unlock()
	if d == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	go func() {
		defer s.background.Done()
		target, secret := s.webhookTarget()
		out := sendOutcome{err: errNoWebhookTarget, headers: s.webhookHeaders(event, guid, secret, payload)}
		if target != "" {
			out = s.send(context.Background(), target, secret, event, guid, payload)
		}
		s.recordDelivery(event, guid, payload, true, out)
	}()
	c.json(http.StatusAccepted, map[string]any{})
}
