package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// auditProgress shows how many repositories were audited on standard
// error: one line redrawn in place, at most every tenth of a second, on
// a terminal; nothing otherwise (the summary line says it all).
type auditProgress struct {
	w    io.Writer
	live bool

	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func newAuditProgress(w io.Writer, live bool) *auditProgress {
	return &auditProgress{w: w, live: live}
}

// update is audit.Auditor's Progress.
func (p *auditProgress) update(done, total int, repository string) {
	if !p.live {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	const width = 24
	filled := width * done / max(total, 1)
	bar := "[" + strings.Repeat("#", filled) + strings.Repeat(".", width-filled) + "]"
	fmt.Fprintf(p.w, "\r\x1b[K%s %d/%d repositories  %s", bar, done, total, terminalSafe(repository))
	p.drawn = true
}

// finish clears the live line.
func (p *auditProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
