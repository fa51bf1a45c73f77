// Package ziptest builds malformed zip archives for tests of what reads
// them.
package ziptest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
)

// Overlapping returns a zip archive whose central directory lists entries
// members, named "<i>_job<i>.txt", that all point at the data of one
// deflated member holding content: a small file that expands entries
// times.
func Overlapping(content []byte, entries int) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("0_job0.txt")
	if err != nil {
		return nil, fmt.Errorf("adding the member: %w", err)
	}
	if _, err := w.Write(content); err != nil {
		return nil, fmt.Errorf("writing the member: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("closing the archive: %w", err)
	}
	b := buf.Bytes()
	// The end of central directory record is the last 22 bytes (no comment).
	eocd := b[len(b)-22:]
	cdSize := binary.LittleEndian.Uint32(eocd[12:])
	cdOffset := binary.LittleEndian.Uint32(eocd[16:])
	record := b[cdOffset : cdOffset+cdSize]
	nameLen := int(binary.LittleEndian.Uint16(record[28:]))
	fixed, rest := record[:46], record[46+nameLen:]

	out := bytes.NewBuffer(append([]byte(nil), b[:cdOffset]...))
	for i := range entries {
		name := fmt.Sprintf("%d_job%d.txt", i, i)
		header := append([]byte(nil), fixed...)
		binary.LittleEndian.PutUint16(header[28:], uint16(len(name)))
		out.Write(header)
		out.WriteString(name)
		out.Write(rest)
	}
	newSize := uint32(out.Len()) - cdOffset
	end := append([]byte(nil), eocd...)
	binary.LittleEndian.PutUint16(end[8:], uint16(entries))
	binary.LittleEndian.PutUint16(end[10:], uint16(entries))
	binary.LittleEndian.PutUint32(end[12:], newSize)
	out.Write(end)
	return out.Bytes(), nil
}
