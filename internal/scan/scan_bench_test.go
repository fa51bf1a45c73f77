package scan

import (
	"bytes"
	"fmt"
	"testing"
)

// benchLog builds a realistic job log of about size bytes: build, test
// and layer-progress output, with a failing ghcr.io push step every
// errorEvery lines (0: none).
func benchLog(size, errorEvery int) []byte {
	body := []string{
		"#12 [builder 4/7] RUN go build -trimpath -ldflags=\"-s -w\" -o /out/app ./cmd/app",
		"#12 12.41 go: downloading github.com/spf13/cobra v1.10.2",
		"=== RUN   TestParseConfig/empty_file",
		"--- PASS: TestParseConfig/empty_file (0.00s)",
		"ok  \tgithub.com/acme/widget/internal/config\t0.412s\tcoverage: 81.3% of statements",
		"fecdbc4471ce: Pushed",
		"npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
		"[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/slf4j/slf4j-api/2.0.9/slf4j-api-2.0.9.jar (64 kB at 1.2 MB/s)",
		"  • building binaries                       parallelism=4",
		"Step 7/12 : COPY --from=builder /out/app /usr/local/bin/app",
	}
	failing := []string{
		"##[group]Run docker/build-push-action@v6",
		"  tags: ghcr.io/acme/widget:1.0",
		"##[endgroup]",
		"#13 ERROR: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package",
		"ERROR: failed to build: failed to solve: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package",
		"##[error]buildx failed with: ERROR: failed to build: failed to solve: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package",
	}
	var b bytes.Buffer
	b.Grow(size + 4096)
	for n := 0; b.Len() < size; n++ {
		if errorEvery > 0 && n%errorEvery == 0 {
			for _, l := range failing {
				fmt.Fprintf(&b, "2026-01-11T21:%02d:%02d.%07dZ %s\n", n/60%60, n%60, n%10000000, l)
			}
			continue
		}
		fmt.Fprintf(&b, "2026-01-11T21:%02d:%02d.%07dZ %s\n", n/60%60, n%60, n*7919%10000000, body[n%len(body)])
	}
	return b.Bytes()
}

func BenchmarkScanLog(b *testing.B) {
	cases := []struct {
		name       string
		size       int
		errorEvery int
	}{
		{"clean_50MB", 50 << 20, 0},
		{"dense_errors_10MB", 10 << 20, 20},
	}
	for _, tc := range cases {
		data := benchLog(tc.size, tc.errorEvery)
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ScanLog(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestBenchLogIsRealistic(t *testing.T) {
	res, err := ScanLog(bytes.NewReader(benchLog(1<<20, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Fatalf("clean bench log has %d findings", len(res.Findings))
	}
	res, err = ScanLog(bytes.NewReader(benchLog(1<<20, 20)))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) < 100 {
		t.Fatalf("dense bench log has only %d findings", len(res.Findings))
	}
}
