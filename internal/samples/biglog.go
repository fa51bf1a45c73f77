package samples

import (
	"bytes"
	"io"
)

// LargeLog is a job log of exactly size bytes, made as it is read so that
// it never exists whole: ordinary build output (go downloads, test
// results), then tail, which starts on a line of its own. Benchmarks use
// it to show a log far larger than memory is streamed.
func LargeLog(size int64, tail string) io.Reader {
	var block bytes.Buffer
	for block.Len() < 64<<10 {
		block.WriteString("2026-01-11T21:14:07.1234567Z #12 12.41 go: downloading github.com/spf13/cobra v1.10.2\n")
		block.WriteString("2026-01-11T21:14:07.1234568Z ok  \tgithub.com/acme/widget/internal/config\t0.412s\tcoverage: 81.3% of statements\n")
	}
	end := "\n" + tail
	body := max(size-int64(len(end)), 0)
	return io.LimitReader(io.MultiReader(io.LimitReader(&repeater{block: block.Bytes()}, body), bytes.NewReader([]byte(end))), size)
}

// repeater reads its block over and over.
type repeater struct {
	block []byte
	off   int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.block[r.off:])
		n += c
		r.off = (r.off + c) % len(r.block)
	}
	return n, nil
}
