package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"
)

// runIntake sends the same signed deliveries to the bot and to the bare
// handler, in alternating chunks so both see the same machine: first
// ignored actions (workflow_run in_progress), then failed runs that are
// queued. Then it lets the bot drain its queue against the simulated GitHub
// and counts each run's reports. It prints key=value lines.
func runIntake(args []string) error {
	fs := flag.NewFlagSet("intake", flag.ExitOnError)
	botPath := fs.String("bot", "", "the bot binary")
	deliveries := fs.Int("deliveries", 10000, "deliveries of each kind")
	senders := fs.Int("senders", 50, "concurrent senders")
	installations := fs.Int("installations", 250, "installations the runs are spread over")
	chunks := fs.Int("chunks", 5, "alternations between bot and bare handler")
	workers := fs.Int("workers", 4, "the bot's workers")
	postgres := fs.String("postgres", "", "a PostgreSQL URL: the queue on a fresh schema there instead of SQLite")
	drain := fs.Duration("drain", 20*time.Minute, "how long the bot may take to report every run")
	_ = fs.Parse(args)
	if *botPath == "" {
		return fmt.Errorf("-bot is required")
	}
	per := make([]int, *installations)
	for i := range *deliveries {
		per[i%*installations]++
	}
	fmt.Fprintf(os.Stderr, "setting up %d failed runs in %d installations...\n", *deliveries, *installations)
	w, bot, stop, err := startWorldAndBot(per, *botPath, *postgres, *workers)
	if err != nil {
		return err
	}
	defer stop()
	bare, err := startBare()
	if err != nil {
		return err
	}
	defer bare.stop()

	client := newClient(*senders)
	hook := bot.url + "/api/github/hook"
	ignored := make([]delivery, len(w.runs))
	completed := make([]delivery, len(w.runs))
	for i, r := range w.runs {
		ignored[i] = delivery{body: r.ignored}
		completed[i] = delivery{body: r.completed}
	}
	// Warm both up: connections, code paths, the database's pages.
	if _, err := send(client, hook, *senders, ignored[:min(500, len(ignored))]); err != nil {
		return fmt.Errorf("warming up the bot: %w", err)
	}
	if _, err := send(client, bare.url, *senders, ignored[:min(500, len(ignored))]); err != nil {
		return fmt.Errorf("warming up the bare handler: %w", err)
	}
	for _, phase := range []struct {
		name string
		ds   []delivery
	}{{"ignored", ignored}, {"enqueued", completed}} {
		var botStats, bareStats sendStats
		size := (len(phase.ds) + *chunks - 1) / *chunks
		for c := 0; c*size < len(phase.ds); c++ {
			chunk := phase.ds[c*size : min((c+1)*size, len(phase.ds))]
			st, err := send(client, bare.url, *senders, chunk)
			if err != nil {
				return fmt.Errorf("%s to the bare handler: %w", phase.name, err)
			}
			bareStats.merge(st)
			st, err = send(client, hook, *senders, chunk)
			if err != nil {
				return fmt.Errorf("%s to the bot: %w", phase.name, err)
			}
			botStats.merge(st)
		}
		want := http.StatusOK
		if phase.name == "enqueued" {
			want = http.StatusAccepted
		}
		fmt.Printf("%s_per_s=%.0f\n", phase.name, botStats.rate())
		fmt.Printf("%s_bare_per_s=%.0f\n", phase.name, bareStats.rate())
		fmt.Printf("%s_ratio=%.2f\n", phase.name, botStats.rate()/bareStats.rate())
		fmt.Printf("%s_p50_ms=%.1f\n", phase.name, ms(percentile(botStats.latencies, 50)))
		fmt.Printf("%s_p99_ms=%.1f\n", phase.name, ms(percentile(botStats.latencies, 99)))
		fmt.Printf("%s_bare_p99_ms=%.1f\n", phase.name, ms(percentile(bareStats.latencies, 99)))
		fmt.Printf("%s_answered_%d=%d\n", phase.name, want, botStats.statuses[want])
		fmt.Printf("%s_redelivered_503=%d\n", phase.name, botStats.retried)
	}
	intakeRSS, err := bot.peakRSS()
	if err != nil {
		return err
	}
	fmt.Printf("intake_peak_rss_mib=%.0f\n", float64(intakeRSS)/(1<<20))

	// Every failed run must be reported exactly once: one tracking issue and
	// one check run each.
	fmt.Fprintf(os.Stderr, "draining %d jobs against the simulated GitHub...\n", len(w.runs))
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), *drain)
	defer cancel()
	var issues, checks map[int64]int
	waitFor(ctx, 2*time.Second, func() bool {
		issues, checks = w.reports()
		return len(issues) == len(w.runs) && len(checks) == len(w.runs)
	})
	fmt.Printf("drain_s=%.1f\n", time.Since(start).Seconds())
	// A moment more, so a duplicate written late is seen too.
	time.Sleep(2 * time.Second)
	issues, checks = w.reports()
	once, missing, twice := 0, 0, 0
	for _, r := range w.runs {
		switch {
		case issues[r.id] == 1 && checks[r.id] == 1:
			once++
		case issues[r.id] == 0 || checks[r.id] == 0:
			missing++
		default:
			twice++
		}
	}
	fmt.Printf("runs=%d\nreported_once=%d\nreported_missing=%d\nreported_more_than_once=%d\n", len(w.runs), once, missing, twice)
	rss, err := bot.peakRSS()
	if err != nil {
		return err
	}
	fmt.Printf("peak_rss_mib=%.0f\n", float64(rss)/(1<<20))
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
