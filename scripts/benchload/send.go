package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// delivery is one webhook to send.
type delivery struct {
	body []byte
	// done, when set, is told when the delivery was answered.
	done func(answered time.Time, status int)
}

// sendStats is what one batch of deliveries measured.
type sendStats struct {
	n         int
	elapsed   time.Duration
	latencies []time.Duration
	// statuses counts the final answers; retried counts 503s that were
	// sent again, as GitHub's redelivery would.
	statuses map[int]int
	retried  int
}

var guid atomic.Int64

// newClient is a sender's HTTP client, keeping connections alive as
// GitHub's delivery service does.
func newClient(senders int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: senders, MaxConnsPerHost: senders}}
}

// send posts every delivery to url from senders concurrent senders.
func send(client *http.Client, url string, senders int, ds []delivery) (sendStats, error) {
	st := sendStats{n: len(ds), statuses: map[int]int{}}
	var (
		mu   sync.Mutex
		next atomic.Int64
		wg   sync.WaitGroup
		errs []error
	)
	start := time.Now()
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ds) {
					return
				}
				took, status, retries, err := post(client, url, ds[i].body)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					st.latencies = append(st.latencies, took)
					st.statuses[status]++
					st.retried += retries
				}
				mu.Unlock()
				if err == nil && ds[i].done != nil {
					ds[i].done(time.Now(), status)
				}
			}
		}()
	}
	wg.Wait()
	st.elapsed = time.Since(start)
	if len(errs) > 0 {
		return st, fmt.Errorf("%d deliveries failed, the first: %w", len(errs), errs[0])
	}
	return st, nil
}

// post sends one signed workflow_run delivery; a 503 is sent again after
// a short wait, as GitHub's redelivery would. took is the last attempt's
// time to the answer.
func post(client *http.Client, url string, body []byte) (time.Duration, int, int, error) {
	sig := githubfake.Sign([]byte(webhookSecret), body)
	for retries := 0; ; retries++ {
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return 0, 0, retries, fmt.Errorf("building the request: %w", err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-GitHub-Event", "workflow_run")
		req.Header.Set("X-GitHub-Delivery", "bench-"+strconv.FormatInt(guid.Add(1), 10))
		req.Header.Set("X-Hub-Signature-256", sig)
		req.Header.Set("User-Agent", "GitHub-Hookshot/bench")
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, 0, retries, fmt.Errorf("posting: %w", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if resp.StatusCode == http.StatusServiceUnavailable && retries < 20 {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		if resp.StatusCode >= 300 {
			return took, resp.StatusCode, retries, fmt.Errorf("answered %d", resp.StatusCode)
		}
		return took, resp.StatusCode, retries, nil
	}
}

// percentile is the p-th percentile (0..100) of ds, nearest rank.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s))*p/100+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

// merge adds b's figures to a's.
func (a *sendStats) merge(b sendStats) {
	if a.statuses == nil {
		a.statuses = map[int]int{}
	}
	a.n += b.n
	a.elapsed += b.elapsed
	a.latencies = append(a.latencies, b.latencies...)
	for k, v := range b.statuses {
		a.statuses[k] += v
	}
	a.retried += b.retried
}

func (a sendStats) rate() float64 { return float64(a.n) / a.elapsed.Seconds() }
