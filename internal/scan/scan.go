package scan

import (
	"bytes"
	"io"
	"sync"
)

// Defaults of Scanner.
const (
	// DefaultMaxLineBytes is how much of each line is kept for matching.
	DefaultMaxLineBytes = 64 << 10
	// DefaultMaxFindings bounds the findings kept from one log.
	DefaultMaxFindings = 1000
	// scanChunkBytes is the size of each read buffer; lines are searched in
	// place in it.
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

// handleCandidate handles a line that did not go through a worker's
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
