package diagnose

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Defaults of Scanner.
const (
	// DefaultMaxLineBytes is how much of each line is kept for matching.
	DefaultMaxLineBytes = 64 << 10
	// DefaultMaxFindings bounds the findings kept from one log.
	DefaultMaxFindings = 1000
	// scanChunkBytes is the read buffer; lines are searched in place in it.
	scanChunkBytes = 1 << 20
)

// Scanner finds GitHub Packages permission errors in GitHub Actions job
// logs. The zero value is ready to use. A Scanner holds no state between
// calls and may be shared.
type Scanner struct {
	// MaxLineBytes bounds how much of each line is kept for matching; the
	// rest of a longer line is read and discarded. Zero means
	// DefaultMaxLineBytes.
	MaxLineBytes int
	// MaxFindings bounds the findings kept from one log; later ones are
	// dropped. Zero means DefaultMaxFindings.
	MaxFindings int
	// Hosts are the GitHub Packages registries to recognise; nil means
	// DefaultRegistryHosts (github.com's and GHE.com's).
	Hosts *RegistryHosts
}

// ScanLog scans one job log with the default Scanner.
func ScanLog(r io.Reader) (*ScanResult, error) {
	return Scanner{}.Scan(r)
}

// Scan reads a job log as a stream in constant memory, whatever its size
// and line lengths, and returns the findings, the GITHUB_TOKEN permissions
// and the secret source printed in its "Set up job" section, and the
// number of lines. Finding.File is left empty for the caller to fill.
func (s Scanner) Scan(r io.Reader) (*ScanResult, error) {
	maxLine := s.MaxLineBytes
	if maxLine <= 0 {
		maxLine = DefaultMaxLineBytes
	}
	maxFindings := s.MaxFindings
	if maxFindings <= 0 {
		maxFindings = DefaultMaxFindings
	}
	hosts := s.Hosts
	if hosts == nil {
		hosts = DefaultRegistryHosts()
	}
	st := newScanState(maxLine, maxFindings, hosts)
	if err := st.read(r, max(scanChunkBytes, 2*maxLine)); err != nil {
		return nil, err
	}
	return st.result(), nil
}

// read feeds the log to the scan state chunk by chunk. Complete lines are
// searched in place; a line longer than the buffer keeps its first
// maxLine bytes and the rest is skipped up to its newline.
func (st *scanState) read(r io.Reader, bufSize int) error {
	buf := getScanBuffer(bufSize)
	defer putScanBuffer(buf)
	start, end := 0, 0
	eof := false
	inLongLine := false
	var longLine []byte
	for {
		if !eof && end < len(buf) {
			n, err := io.ReadAtLeast(r, buf[end:], 1)
			end += n
			switch {
			case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
				eof = true
			case err != nil:
				return fmt.Errorf("reading log: %w", err)
			}
		}
		if inLongLine {
			nl := bytes.IndexByte(buf[start:end], '\n')
			if nl < 0 {
				start, end = 0, 0
				if eof {
					st.handleCandidate(longLine)
					return nil
				}
				continue
			}
			start += nl + 1
			inLongLine = false
			st.handleCandidate(longLine)
		}
		region := buf[start:end]
		if last := bytes.LastIndexByte(region, '\n'); last >= 0 {
			st.scanRegion(region[:last+1])
			start += last + 1
		}
		switch {
		case eof && start == end:
			return nil
		case eof:
			st.handleCandidate(buf[start:end])
			return nil
		case start == 0 && end == len(buf):
			longLine = append(longLine[:0], buf[:st.maxLine]...)
			inLongLine = true
			start, end = 0, 0
		default:
			end = copy(buf, buf[start:end])
			start = 0
		}
	}
}

// scanRegion handles a run of complete lines (region ends with '\n'). Only
// lines containing a scan anchor are cleaned and matched; the others are
// counted with a vectorised newline count.
func (st *scanState) scanRegion(region []byte) {
	if st.rawLogSeen {
		st.rawLogSeen = false
		st.anchors = anchorGroupsFor(st.hosts, false)
		st.anchorNext = st.anchorNext[:len(st.anchors)]
	}
	if st.awaitNext != nil {
		st.resolveAwait(region[:bytes.IndexByte(region, '\n')])
	}
	next := st.anchorNext
	for i := range next {
		next[i] = -2 // not searched yet
	}
	pos := 0
	// resumed is the start of the line whose timestamp the search skipped,
	// or -1.
	resumed := -1
	for pos < len(region) {
		if st.everyLine() {
			end := pos + bytes.IndexByte(region[pos:], '\n')
			st.handleLine(region[pos:end], followingLine(region, end))
			pos = end + 1
			continue
		}
		hit := -1
		for i := range st.anchors {
			n := next[i]
			if n == -1 {
				continue
			}
			if n < pos {
				n = st.anchors[i].next(region, pos)
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
			st.lines += bytes.Count(region[pos:], newline)
			return
		}
		lineStart := pos + bytes.LastIndexByte(region[pos:hit], '\n') + 1
		if lineStart == pos && resumed >= 0 {
			lineStart = resumed // the hit is after a skipped timestamp
		} else {
			st.lines += bytes.Count(region[pos:lineStart], newline)
		}
		resumed = -1
		if ts := timestampPrefixLen(region[lineStart:min(lineStart+maxTimestampLen, len(region))]); ts > 0 && hit < lineStart+ts {
			// The anchor is in the runner's timestamp ("…T21:04:03.4031234Z"):
			// look on in the rest of the line.
			resumed, pos = lineStart, lineStart+ts
			continue
		}
		lineEnd := hit + bytes.IndexByte(region[hit:], '\n')
		st.handleLine(region[lineStart:lineEnd], followingLine(region, lineEnd))
		pos = lineEnd + 1
	}
}

var newline = []byte{'\n'}

// maxTimestampLen bounds the runner's timestamp prefix with its fraction.
const maxTimestampLen = 40

// scanBuffers reuses read buffers of the default size: a server scans
// log after log, and a fresh megabyte each time is mostly spent zeroing.
var scanBuffers = sync.Pool{New: func() any { b := make([]byte, scanChunkBytes); return &b }}

func getScanBuffer(size int) []byte {
	if size != scanChunkBytes {
		return make([]byte, size)
	}
	return *scanBuffers.Get().(*[]byte)
}

func putScanBuffer(buf []byte) {
	if len(buf) == scanChunkBytes {
		scanBuffers.Put(&buf)
	}
}

// followingLine returns the line after the newline at lineEnd when region
// holds all of it, else nil.
func followingLine(region []byte, lineEnd int) []byte {
	start := lineEnd + 1
	if start >= len(region) {
		return nil
	}
	end := bytes.IndexByte(region[start:], '\n')
	if end < 0 {
		return nil
	}
	return region[start : start+end]
}

// handleCandidate handles a line that did not go through scanRegion's
// anchor search (a long line's prefix, the last line without newline).
func (st *scanState) handleCandidate(line []byte) {
	if st.awaitNext != nil {
		st.resolveAwait(line)
	}
	if st.everyLine() || st.hasAnchor(line) {
		st.handleLine(line, nil)
		return
	}
	st.lines++
}
