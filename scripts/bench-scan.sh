#!/usr/bin/env bash
# Benchmarks `bot scan` against `grep -F` on the same large job log.
#
# Builds a realistic GitHub Actions job log of SIZE_MB megabytes (default
# 200): runner timestamps, build, test, npm, maven and layer-push output,
# with one failing ghcr.io push step at the very end, so the scanner has to
# read everything. Then prints the best of RUNS wall-clock times of
#   bot scan FILE        (exit 1 expected: one finding)
#   grep -F denied FILE
#   grep -c -F denied FILE
# and the ratio scan / grep. Needs bash, awk, grep and the Go toolchain.
set -euo pipefail

SIZE_MB=${SIZE_MB:-200}
RUNS=${RUNS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building bot..." >&2
(cd "$root" && go build -o "$work/bot" ./cmd/bot)

echo "generating a ${SIZE_MB} MB job log..." >&2
# One ~1 MB block of ordinary output.
awk 'BEGIN {
  split("#12 [builder 4/7] RUN go build -trimpath -ldflags=\"-s -w\" -o /out/app ./cmd/app|" \
        "#12 12.41 go: downloading github.com/spf13/cobra v1.10.2|" \
        "=== RUN   TestParseConfig/empty_file|" \
        "--- PASS: TestParseConfig/empty_file (0.00s)|" \
        "ok  \tgithub.com/acme/widget/internal/config\t0.412s\tcoverage: 81.3% of statements|" \
        "fecdbc4471ce: Pushed|" \
        "npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.|" \
        "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/slf4j/slf4j-api/2.0.9/slf4j-api-2.0.9.jar (64 kB at 1.2 MB/s)|" \
        "  • building binaries                       parallelism=4|" \
        "Step 7/12 : COPY --from=builder /out/app /usr/local/bin/app|" \
        "##[group]Run actions/cache@v4|" \
        "  path: ~/.cache/go-build|" \
        "##[endgroup]|" \
        "Cache restored successfully from key: Linux-go-4f1c0e7a9b|" \
        "   Compiling serde v1.0.219|" \
        "    Finished `release` profile [optimized] target(s) in 1m 02s", lines, "|")
  n = length(lines)
  for (i = 0; i < 9000; i++) {
    printf "2026-01-11T21:%02d:%02d.%07dZ %s\n", int(i / 60) % 60, i % 60, (i * 7919) % 10000000, lines[i % n + 1]
  }
}' > "$work/block.log"
printf '\xef\xbb\xbf' > "$work/job.log"
target=$((SIZE_MB * 1024 * 1024))
cp "$work/block.log" "$work/chunk.log"
while [ "$(stat -c %s "$work/chunk.log")" -lt $((target / 8)) ]; do
  cat "$work/chunk.log" "$work/chunk.log" > "$work/chunk2.log"
  mv "$work/chunk2.log" "$work/chunk.log"
done
while [ "$(stat -c %s "$work/job.log")" -lt "$target" ]; do
  cat "$work/chunk.log" >> "$work/job.log"
done
cat >> "$work/job.log" <<'LOG'
2026-01-11T22:59:58.1000000Z ##[group]Run docker/build-push-action@v6
2026-01-11T22:59:58.1000001Z   tags: ghcr.io/acme/widget:1.0
2026-01-11T22:59:58.1000002Z ##[endgroup]
2026-01-11T22:59:59.2000000Z #13 ERROR: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package
2026-01-11T22:59:59.3000000Z ##[error]buildx failed with: ERROR: failed to build: failed to solve: failed to push ghcr.io/acme/widget:1.0: denied: installation not allowed to Write organization package
LOG
size=$(stat -c %s "$work/job.log")
cat "$work/job.log" > /dev/null # warm the page cache

# best_time CMD... prints the best wall-clock seconds of RUNS runs.
best_time() {
  local best="" start end t
  for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
  done
  echo "$best"
}

set +e
"$work/bot" scan "$work/job.log" > /dev/null 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || { echo "bot scan exited $status, expected 1 (one finding)" >&2; exit 1; }

scan=$(best_time "$work/bot" scan "$work/job.log")
grepf=$(best_time grep -F denied "$work/job.log")
grepc=$(best_time grep -c -F denied "$work/job.log")
awk -v size="$size" -v scan="$scan" -v grepf="$grepf" -v grepc="$grepc" 'BEGIN {
  mb = size / 1048576
  printf "input:                  %.0f MB\n", mb
  printf "bot scan:               %6.3f s  %7.0f MB/s\n", scan, mb / scan
  printf "grep -F denied:         %6.3f s  %7.0f MB/s\n", grepf, mb / grepf
  printf "grep -c -F denied:      %6.3f s  %7.0f MB/s\n", grepc, mb / grepc
  printf "ratio scan / grep -F:   %.2f\n", scan / grepf
  printf "ratio scan / grep -c:   %.2f\n", scan / grepc
}'
