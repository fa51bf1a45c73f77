package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// progressSource counts the bytes of each job log as it downloads.
type progressSource struct {
	triage.FactSource
	p *progress
}

func (s *progressSource) ListRunJobs(ctx context.Context, owner, repo string, runID int64, attempt int) ([]triage.Job, error) {
	jobs, err := s.FactSource.ListRunJobs(ctx, owner, repo, runID, attempt)
	for _, j := range jobs {
		s.p.name(j.ID, j.Name)
	}
	return jobs, err
}

func (s *progressSource) OpenJobLog(ctx context.Context, owner, repo string, jobID int64) (io.ReadCloser, error) {
	rc, err := s.FactSource.OpenJobLog(ctx, owner, repo, jobID)
	if err != nil {
		s.p.failed(jobID, err)
		return nil, err
	}
	return &countingReader{rc: rc, job: jobID, p: s.p}, nil
}

// countingReader reports what it reads to the progress.
type countingReader struct {
	rc   io.ReadCloser
	job  int64
	p    *progress
	once sync.Once
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.rc.Read(b)
	c.p.add(c.job, n)
	return n, err
}

func (c *countingReader) Close() error {
	c.once.Do(func() { c.p.done(c.job) })
	return c.rc.Close()
}

// progress shows the bytes downloaded per job on standard error: a live
// line redrawn at most every tenth of a second on a terminal, one plain
// line per finished job otherwise.
type progress struct {
	w    io.Writer
	live bool

	mu    sync.Mutex
	names map[int64]string
	bytes map[int64]int64
	drawn time.Time
	shown bool
}

func newProgress(w io.Writer, live bool) *progress {
	return &progress{w: w, live: live, names: map[int64]string{}, bytes: map[int64]int64{}}
}

func (p *progress) name(job int64, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.names[job] = name
}

func (p *progress) label(job int64) string {
	if n := p.names[job]; n != "" {
		return fmt.Sprintf("job %q", n)
	}
	return fmt.Sprintf("job %d", job)
}

func (p *progress) add(job int64, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bytes[job] += int64(n)
	if p.live && time.Since(p.drawn) >= 100*time.Millisecond {
		p.drawn = time.Now()
		p.shown = true
		fmt.Fprintf(p.w, "\r\x1b[KDownloading the log of %s: %s", p.label(job), humanBytes(p.bytes[job]))
	}
}

func (p *progress) done(job int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
	fmt.Fprintf(p.w, "Downloaded the log of %s: %s\n", p.label(job), humanBytes(p.bytes[job]))
}

func (p *progress) failed(job int64, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
	fmt.Fprintf(p.w, "Could not download the log of %s: %v\n", p.label(job), err)
}

// finish removes the live line.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
}

func (p *progress) clearLocked() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// humanBytes is "812 B", "12.3 kB", "4.0 MB".
func humanBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/(1000*1000))
	}
	return fmt.Sprintf("%.2f GB", float64(n)/(1000*1000*1000))
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
