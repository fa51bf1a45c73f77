package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// runFairness: installation 1 delivers a flood of failed runs at once, the
// others a few each while the flood is being worked; it measures each
// quiet run's delay from its delivery being answered to its tracking issue
// appearing on the simulated GitHub. It prints key=value lines.
func runFairness(args []string) error {
	fs := flag.NewFlagSet("fairness", flag.ExitOnError)
	botPath := fs.String("bot", "", "the bot binary")
	installations := fs.Int("installations", 20, "installations, the first of which floods")
	flood := fs.Int("flood", 2000, "failed runs the first installation delivers at once")
	each := fs.Int("each", 3, "failed runs each other installation delivers")
	senders := fs.Int("senders", 50, "concurrent senders of the flood")
	workers := fs.Int("workers", 4, "the bot's workers")
	spread := fs.Duration("spread", 10*time.Second, "the quiet deliveries are spread over this long, from the flood's start")
	timeout := fs.Duration("timeout", 3*time.Minute, "how long to wait for the quiet installations' reports")
	postgres := fs.String("postgres", "", "a PostgreSQL URL: the queue on a fresh schema there instead of SQLite")
	_ = fs.Parse(args)
	if *botPath == "" {
		return fmt.Errorf("-bot is required")
	}
	per := []int{*flood}
	for i := 1; i < *installations; i++ {
		per = append(per, *each)
	}
	fmt.Fprintf(os.Stderr, "setting up %d installations...\n", *installations)
	w, bot, stop, err := startWorldAndBot(per, *botPath, *postgres, *workers)
	if err != nil {
		return err
	}
	defer stop()
	hook := bot.url + "/api/github/hook"

	var floodRuns, quietRuns []delivery
	quiet := map[int64]*run{}
	var mu sync.Mutex
	delivered := map[int64]time.Time{}
	for _, r := range w.runs {
		if r.installation == 1 {
			floodRuns = append(floodRuns, delivery{body: r.completed})
			continue
		}
		quiet[r.id] = r
		quietRuns = append(quietRuns, delivery{body: r.completed, done: func(at time.Time, status int) {
			mu.Lock()
			defer mu.Unlock()
			if status == http.StatusAccepted {
				delivered[r.id] = at
			}
		}})
	}
	start := time.Now()
	floodDone := make(chan error, 1)
	go func() {
		_, err := send(newClient(*senders), hook, *senders, floodRuns)
		floodDone <- err
	}()
	quietDone := make(chan error, 1)
	go func() {
		client := newClient(4)
		gap := *spread / time.Duration(len(quietRuns))
		var errs []error
		for i, d := range quietRuns {
			time.Sleep(time.Until(start.Add(time.Duration(i) * gap)))
			if _, err := send(client, hook, 1, []delivery{d}); err != nil {
				errs = append(errs, err)
			}
		}
		if len(errs) > 0 {
			quietDone <- fmt.Errorf("%d quiet deliveries failed, the first: %w", len(errs), errs[0])
			return
		}
		quietDone <- nil
	}()

	reported := map[int64]time.Time{}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	waitFor(ctx, 50*time.Millisecond, func() bool {
		now := time.Now()
		owners := map[string]bool{}
		for _, r := range quiet {
			if _, ok := reported[r.id]; !ok {
				owners[r.owner] = true
			}
		}
		for owner := range owners {
			for _, is := range w.fake.Issues(owner, "app") {
				for _, r := range quiet {
					if r.owner == owner && r.branch == branchOfTitle(is.Title) {
						if _, ok := reported[r.id]; !ok {
							reported[r.id] = now
						}
					}
				}
			}
		}
		return len(reported) == len(quiet)
	})
	if err := <-quietDone; err != nil {
		return err
	}
	floodSent := "no"
	select {
	case err := <-floodDone:
		if err != nil {
			return fmt.Errorf("the flood: %w", err)
		}
		floodSent = "yes"
	default:
	}
	mu.Lock()
	var delays []time.Duration
	for id, at := range reported {
		if d, ok := delivered[id]; ok {
			delays = append(delays, max(0, at.Sub(d)))
		}
	}
	mu.Unlock()
	sort.Slice(delays, func(i, j int) bool { return delays[i] < delays[j] })
	fmt.Printf("quiet_runs=%d\nquiet_reported=%d\n", len(quiet), len(reported))
	if len(delays) > 0 {
		fmt.Printf("quiet_delay_p50_s=%.2f\nquiet_delay_p99_s=%.2f\nquiet_delay_max_s=%.2f\n",
			percentile(delays, 50).Seconds(), percentile(delays, 99).Seconds(), delays[len(delays)-1].Seconds())
	}
	fmt.Printf("flood_sent_by_then=%s\nelapsed_s=%.1f\n", floodSent, time.Since(start).Seconds())
	floodIssues := len(w.fake.Issues("org1", "app"))
	fmt.Printf("flood_reported_by_then=%d\n", floodIssues)
	writes, limited, perMinute := writeStats(w.fake.Requests(), 1)
	fmt.Printf("flood_writes=%d\nflood_secondary_limited=%d\nflood_max_writes_per_minute=%d\n", writes, limited, perMinute)
	return nil
}

// writeStats counts an installation's content-creating requests (POST)
// that GitHub accepted, those it refused for a rate limit, and the most
// accepted in any 60 seconds.
func writeStats(reqs []githubfake.Request, installation int64) (writes, limited, perMinute int) {
	var times []time.Time
	for _, r := range reqs {
		if r.InstallationID != installation || r.Method != http.MethodPost {
			continue
		}
		if r.Status == http.StatusForbidden || r.Status == http.StatusTooManyRequests {
			limited++
			continue
		}
		writes++
		times = append(times, r.Time)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i, j := 0, 0; j < len(times); j++ {
		for times[j].Sub(times[i]) >= time.Minute {
			i++
		}
		perMinute = max(perMinute, j-i+1)
	}
	return writes, limited, perMinute
}
