package logarchive

import (
	"archive/zip"
	"fmt"
	"sort"
)

// checkOverlap refuses an archive whose members share compressed bytes.
// GitHub writes each member once; a central directory that points many
// entries at one member's data (or one member's data over another's) is a
// zip bomb's trick to make a small file expand without end.
func checkOverlap(files []*zip.File) error {
	type span struct {
		start, end int64
		name       string
	}
	spans := make([]span, 0, len(files))
	for _, f := range files {
		if f.CompressedSize64 == 0 {
			continue
		}
		start, err := f.DataOffset()
		if err != nil {
			return fmt.Errorf("reading member %q: %w", f.Name, err)
		}
		spans = append(spans, span{start: start, end: start + int64(f.CompressedSize64), name: f.Name})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := 1; i < len(spans); i++ {
		prev := spans[i-1]
		if spans[i].start < prev.end {
			return fmt.Errorf("members %q and %q overlap: not an archive GitHub writes", prev.name, spans[i].name)
		}
		if prev.end > spans[i].end {
			spans[i] = prev // keep the span reaching furthest
		}
	}
	return nil
}
