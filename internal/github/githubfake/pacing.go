package githubfake

import (
	"context"
	"io"
	"net/http"
	"time"
)

// pacing is how slow the fake answers: a fixed latency before every
// answer, as a round trip to GitHub costs, and a bandwidth cap on signed
// downloads, as blob storage serves logs. Zero values mean no delay.
type pacing struct {
	latency time.Duration
	logRate int64 // bytes per second; 0: unlimited
}

// SetLatency makes every answer (API calls, signed downloads, raw files)
// wait d first, as a round trip to GitHub does; 0 switches it off. It
// applies to requests that arrive after the call.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pace.latency = d
}

// SetLogRate caps signed downloads (job logs, run log archives) at
// bytesPerSecond; 0 switches the cap off.
func (s *Server) SetLogRate(bytesPerSecond int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pace.logRate = bytesPerSecond
}

func (s *Server) pacingNow() pacing {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pace
}

// waitLatency sleeps for the configured latency; false when the client
// went away meanwhile.
func waitLatency(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// pacedCopyChunk is how much a paced download writes between sleeps.
const pacedCopyChunk = 64 << 10

// copyPaced copies src to w at no more than rate bytes per second (any
// speed when rate is 0), streaming: it never holds more than one chunk.
func copyPaced(ctx context.Context, w http.ResponseWriter, src io.Reader, rate int64) error {
	if rate <= 0 {
		_, err := io.Copy(w, src)
		return err
	}
	buf := make([]byte, pacedCopyChunk)
	start := time.Now()
	var sent int64
	for {
		n, err := src.Read(buf)
		if n > 0 {
			// A chunk leaves when the bytes up to its end are due, so the
			// client's last byte arrives no sooner than the rate allows.
			sent += int64(n)
			due := start.Add(time.Duration(float64(sent) / float64(rate) * float64(time.Second)))
			if !waitLatency(ctx, time.Until(due)) {
				return ctx.Err()
			}
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
