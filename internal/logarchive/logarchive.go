// Package logarchive opens what a user hands to `bot scan`: a plain-text
// GitHub Actions job log, or the zip archive GitHub's "Download log archive"
// gives for a workflow run, and lists the logs in it to scan.
//
// A run's archive holds one file per job at its root ("0_build.txt") and,
// for most runs, one folder per job with a file per step
// ("build/3_Push.txt"). Each job is scanned once: from its job-level file
// when the archive has one, else from its per-step files, so an error is
// never reported twice. An archive whose members overlap (a zip bomb's
// trick) is refused.
package logarchive

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Stdin is the path that names standard input.
const Stdin = "-"

// Entry is one log to scan.
type Entry struct {
	// Name is the zip member name ("build/3_Push.txt"), or "" for a plain log.
	Name string
	open func() (io.ReadCloser, error)
}

// Open returns a reader for the entry's text. Each call starts from the
// beginning, except for a plain log read from standard input, which can
// be read once.
func (e Entry) Open() (io.ReadCloser, error) {
	return e.open()
}

// Source is an opened file or standard input and the logs in it.
type Source struct {
	Entries []Entry
	closers []io.Closer
}

// Close releases the file and any spooled copy of standard input.
func (s *Source) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i].Close())
	}
	return errors.Join(errs...)
}

// zipMagic starts every zip archive (local file header, or the end
// record of an empty archive).
var zipMagic = [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06")}

// Open lists the logs in r, which holds size bytes: the selected members
// of a zip archive, or r itself as one plain log.
func Open(r io.ReaderAt, size int64) ([]Entry, error) {
	head := make([]byte, 4)
	n, err := r.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	if !isZip(head[:n]) {
		return []Entry{{open: func() (io.ReadCloser, error) {
			return io.NopCloser(io.NewSectionReader(r, 0, size)), nil
		}}}, nil
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("reading zip archive: %w", err)
	}
	if err := checkOverlap(zr.File); err != nil {
		return nil, fmt.Errorf("reading zip archive: %w", err)
	}
	return zipEntries(zr.File), nil
}

// OpenPath opens a file, or standard input (stdin) when path is "-". A
// zip archive on standard input is spooled to a temporary file, since
// reading a zip needs random access; a plain log is streamed.
func OpenPath(p string, stdin io.Reader) (*Source, error) {
	if p == Stdin {
		return openStdin(stdin)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("opening log: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("opening log: %w", err)
	}
	if info.IsDir() {
		f.Close()
		return nil, fmt.Errorf("opening log %s: is a directory", p)
	}
	entries, err := Open(f, info.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("opening %s: %w", p, err)
	}
	return &Source{Entries: entries, closers: []io.Closer{f}}, nil
}

func openStdin(stdin io.Reader) (*Source, error) {
	br := bufio.NewReader(stdin)
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading standard input: %w", err)
	}
	if !isZip(head) {
		used := false
		return &Source{Entries: []Entry{{open: func() (io.ReadCloser, error) {
			if used {
				return nil, errors.New("standard input can be read only once")
			}
			used = true
			return io.NopCloser(br), nil
		}}}}, nil
	}
	tmp, err := os.CreateTemp("", "bot-scan-*.zip")
	if err != nil {
		return nil, fmt.Errorf("spooling standard input: %w", err)
	}
	src := &Source{closers: []io.Closer{tmp, removeFile(tmp.Name())}}
	size, err := io.Copy(tmp, br)
	if err != nil {
		src.Close()
		return nil, fmt.Errorf("spooling standard input: %w", err)
	}
	if src.Entries, err = Open(tmp, size); err != nil {
		src.Close()
		return nil, fmt.Errorf("opening standard input: %w", err)
	}
	return src, nil
}

type removeFile string

func (r removeFile) Close() error { return os.Remove(string(r)) }

func isZip(head []byte) bool {
	for _, m := range zipMagic {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}

// zipEntries selects the members to scan: every job-level file at the
// root, and the per-step files of jobs that have no job-level file.
func zipEntries(files []*zip.File) []Entry {
	jobFiles := map[string]bool{}
	for _, f := range files {
		if isRegular(f) && !strings.Contains(f.Name, "/") {
			jobFiles[jobName(f.Name)] = true
		}
	}
	var selected []*zip.File
	for _, f := range files {
		if !isRegular(f) {
			continue
		}
		dir, _, nested := strings.Cut(f.Name, "/")
		if nested && jobFiles[dir] {
			continue
		}
		selected = append(selected, f)
	}
	sort.SliceStable(selected, func(i, j int) bool { return memberLess(selected[i].Name, selected[j].Name) })
	entries := make([]Entry, 0, len(selected))
	for _, f := range selected {
		entries = append(entries, Entry{Name: f.Name, open: f.Open})
	}
	return entries
}

func isRegular(f *zip.File) bool {
	return !strings.HasSuffix(f.Name, "/") && f.Mode().IsRegular()
}

// jobName is the job a root file holds: "0_build.txt" → "build".
func jobName(name string) string {
	name = strings.TrimSuffix(name, path.Ext(name))
	if i := strings.IndexByte(name, '_'); i > 0 {
		if _, err := strconv.Atoi(name[:i]); err == nil {
			return name[i+1:]
		}
	}
	return name
}

// memberLess orders members as GitHub numbers them: by folder, then by
// the numeric prefix ("2_Build.txt" before "10_Push.txt").
func memberLess(a, b string) bool {
	dirA, baseA := path.Split(a)
	dirB, baseB := path.Split(b)
	if dirA != dirB {
		return dirA < dirB
	}
	numA, okA := numericPrefix(baseA)
	numB, okB := numericPrefix(baseB)
	if okA && okB && numA != numB {
		return numA < numB
	}
	return baseA < baseB
}

func numericPrefix(base string) (int, bool) {
	i := strings.IndexByte(base, '_')
	if i <= 0 {
		return 0, false
	}
	n, err := strconv.Atoi(base[:i])
	return n, err == nil
}
