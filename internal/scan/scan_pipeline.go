package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// The scan runs as a pipeline: one goroutine reads the log into chunks of
// whole lines, workers search each chunk for the lines holding an anchor
// (the costly part, and independent from chunk to chunk), and the caller's
// goroutine walks the chunks in order through the scan state. Memory stays
// bounded by the buffers in flight, whatever the log's size.

// chunkKind says what a chunk's data is.
type chunkKind uint8

const (
	// chunkLines: whole lines, each ending in '\n'.
	chunkLines chunkKind = iota
	// chunkLongLine: the kept prefix of a line longer than the buffer; the
	// rest of that line is skipped.
	chunkLongLine
	// chunkTail: the last line of the log, which has no '\n'.
	chunkTail
)

// chunk is one piece of the log on its way through the pipeline.
type chunk struct {
	kind chunkKind
	data []byte
	// buf is the pooled buffer data lies in, or nil.
	buf []byte
	// groups are the anchors the worker searches with.
	groups []anchorGroup
	// candidates are the offsets in data of the lines holding an anchor,
	// in order; set by a worker before ready is closed.
	candidates []int
	ready      chan struct{}
	err        error
}

// maxScanWorkers bounds the goroutines searching chunks for anchors.
const maxScanWorkers = 4

// read feeds the log to the scan state. bufSize is the size of each read
// buffer; a line longer than it keeps its first maxLine bytes.
func (st *scanState) read(r io.Reader, bufSize int) error {
	workers := min(max(runtime.GOMAXPROCS(0), 1), maxScanWorkers)
	inFlight := workers + 3
	free := make(chan []byte, inFlight)
	for range inFlight {
		free <- getScanBuffer(bufSize)
	}
	defer func() {
		for range inFlight {
			putScanBuffer(<-free)
		}
	}()
	work := make(chan *chunk, inFlight+2)
	out := make(chan *chunk, inFlight+2)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				if c.kind == chunkLines {
					c.candidates = findCandidates(c.data, c.groups)
				}
				close(c.ready)
			}
		}()
	}
	rd := &chunkReader{r: r, maxLine: st.maxLine, free: free, work: work, out: out,
		pasted: anchorGroupsFor(st.hosts, true), raw: anchorGroupsFor(st.hosts, false)}
	go rd.run()

	var readErr error
	for c := range out {
		<-c.ready
		switch {
		case c.err != nil:
			readErr = c.err
		case readErr != nil:
			// Drain what was read before the error without scanning it.
		case c.kind == chunkLines:
			st.consumeLines(c.data, c.candidates)
		default:
			st.handleCandidate(c.data)
		}
		if c.buf != nil {
			free <- c.buf
		}
	}
	wg.Wait()
	return readErr
}

// chunkReader reads the log into chunks of whole lines.
type chunkReader struct {
	r       io.Reader
	maxLine int
	free    chan []byte
	work    chan<- *chunk
	out     chan<- *chunk
	// pasted and raw are the anchors for logs that may be pasted and for
	// logs known to be raw runner logs (see pastedLogAnchors).
	pasted, raw []anchorGroup
	rawLog      bool
}

func (cr *chunkReader) emit(c *chunk) {
	c.ready = make(chan struct{})
	c.groups = cr.pasted
	if cr.rawLog {
		c.groups = cr.raw
	}
	if c.kind == chunkLines && !cr.rawLog && bytes.Contains(c.data, []byte(markerGroup)) {
		cr.rawLog = true // later chunks need no pasted-log anchors
	}
	cr.out <- c
	cr.work <- c
}

func (cr *chunkReader) fail(err error) {
	c := &chunk{err: err, ready: make(chan struct{})}
	close(c.ready)
	cr.out <- c
}

func (cr *chunkReader) run() {
	defer close(cr.work)
	defer close(cr.out)
	var carry []byte // the start of a line the last buffer ended in
	skipping := false
	for {
		buf := <-cr.free
		n := copy(buf, carry)
		carry = carry[:0]
		eof := false
		for n < len(buf) && !eof {
			m, err := io.ReadAtLeast(cr.r, buf[n:], 1)
			n += m
			switch {
			case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
				eof = true
			case err != nil:
				cr.free <- buf
				cr.fail(fmt.Errorf("reading log: %w", err))
				return
			}
		}
		data := buf[:n]
		if skipping {
			nl := bytes.IndexByte(data, '\n')
			if nl < 0 {
				cr.free <- buf
				if eof {
					return
				}
				continue
			}
			skipping = false
			data = data[nl+1:]
		}
		last := bytes.LastIndexByte(data, '\n')
		switch {
		case last >= 0:
			carry = append(carry, data[last+1:]...)
			cr.emit(&chunk{kind: chunkLines, data: data[:last+1], buf: buf})
			if eof && len(carry) > 0 {
				cr.emit(&chunk{kind: chunkTail, data: carry})
			}
		case eof:
			if len(data) > 0 {
				cr.emit(&chunk{kind: chunkTail, data: data, buf: buf})
			} else {
				cr.free <- buf
			}
		case len(data) == len(buf):
			cr.emit(&chunk{kind: chunkLongLine, data: data[:cr.maxLine], buf: buf})
			skipping = true
		default:
			carry = append(carry, data...)
			cr.free <- buf
		}
		if eof {
			return
		}
	}
}

// findCandidates returns the offsets of the lines of region (whole lines,
// ending with '\n') that hold an anchor outside the runner's timestamp.
func findCandidates(region []byte, groups []anchorGroup) []int {
	var out []int
	next := make([]int, len(groups))
	for i := range next {
		next[i] = -2 // not searched yet
	}
	pos := 0
	// resumed is the start of the line whose timestamp the search skipped,
	// or -1.
	resumed := -1
	for pos < len(region) {
		hit := -1
		for i := range groups {
			n := next[i]
			if n == -1 {
				continue
			}
			if n < pos {
				n = groups[i].next(region, pos)
				next[i] = n
				if n < 0 {
					continue
				}
			}
			if hit < 0 || n < hit {
				hit = n
			}
		}
		if hit < 0 {
			return out
		}
		lineStart := pos + bytes.LastIndexByte(region[pos:hit], '\n') + 1
		if lineStart == pos && resumed >= 0 {
			lineStart = resumed // the hit is after a skipped timestamp
		}
		resumed = -1
		if ts := timestampPrefixLen(region[lineStart:min(lineStart+maxTimestampLen, len(region))]); ts > 0 && hit < lineStart+ts {
			// The anchor is in the runner's timestamp ("…T21:04:03.4031234Z"):
			// look on in the rest of the line.
			resumed, pos = lineStart, lineStart+ts
			continue
		}
		out = append(out, lineStart)
		pos = hit + bytes.IndexByte(region[hit:], '\n') + 1
	}
	return out
}

// consumeLines walks a chunk of whole lines: the candidate lines are
// handled, the others counted (or handled one by one while every line
// matters).
func (st *scanState) consumeLines(region []byte, candidates []int) {
	if st.awaitNext != nil {
		st.resolveAwait(region[:bytes.IndexByte(region, '\n')])
	}
	pos, next := 0, 0
	for pos < len(region) {
		if st.everyLine() {
			end := pos + bytes.IndexByte(region[pos:], '\n')
			st.handleLine(region[pos:end], followingLine(region, end))
			pos = end + 1
			continue
		}
		for next < len(candidates) && candidates[next] < pos {
			next++
		}
		if next == len(candidates) {
			st.lines += bytes.Count(region[pos:], newline)
			return
		}
		start := candidates[next]
		st.lines += bytes.Count(region[pos:start], newline)
		end := start + bytes.IndexByte(region[start:], '\n')
		st.handleLine(region[start:end], followingLine(region, end))
		pos = end + 1
	}
}
