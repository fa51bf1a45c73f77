#!/usr/bin/env bash
# Benchmarks `bot scan` against grep -F and ripgrep on the same large job log.
#
# Builds a realistic GitHub Actions job log of SIZE_MB megabytes (default
# 1024): runner timestamps, build, test, npm, maven and layer-push output, a
# few lines of 1 to 10 MB (minified bundles, base64 dumps), and one failing
# ghcr.io push step at the very end, so the scanner has to read everything.
# Then prints the best of RUNS wall-clock times, side by side in one run, of
#   bot scan FILE                 (exit 1 expected: one finding)
#   grep -F -c -f ANCHORS FILE    (the scanner's own anchor literals)
#   rg -F -c -f ANCHORS FILE      (the same literals)
#   grep -F -c denied FILE        (one literal, the old reference)
# the bot's peak RSS, and the ratios. Needs bash, awk, grep, GNU time and the
# Go toolchain; installs ripgrep from Debian's packages when it is missing.
set -euo pipefail

SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v rg >/dev/null; then
  echo "installing ripgrep..." >&2
  if ! { apt-get install -y -qq ripgrep >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq ripgrep >/dev/null 2>&1; }; }; then
    echo "ripgrep is not installed and could not be; its column is skipped" >&2
  fi
fi

echo "building bot..." >&2
(cd "$root" && go build -o "$work/bot" ./cmd/bot)

# The literals the scanner's prefilter searches for, from its source.
awk '/^var scanAnchors = \[\]string\{/ { on = 1; next } on && /^\}/ { exit } on { if (match($0, /"[^"]*"/)) print substr($0, RSTART + 1, RLENGTH - 2) }' \
  "$root/internal/scan/catalog.go" > "$work/anchors.txt"
[ "$(wc -l < "$work/anchors.txt")" -ge 10 ] || { echo "could not read the scanner's anchors" >&2; exit 1; }

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
# Long lines: a base64 dump echoed by a build step, 1 MB to 10 MB each.
long_line() {
  printf '2026-01-11T21:30:00.0000000Z '
  head -c $(($1 * 786432)) /dev/urandom | base64 -w0
  printf '\n'
}
printf '\xef\xbb\xbf' > "$work/job.log"
target=$((SIZE_MB * 1024 * 1024))
cp "$work/block.log" "$work/chunk.log"
while [ "$(stat -c %s "$work/chunk.log")" -lt $((target / 8)) ]; do
  cat "$work/chunk.log" "$work/chunk.log" > "$work/chunk2.log"
  mv "$work/chunk2.log" "$work/chunk.log"
done
long=0
while [ "$(stat -c %s "$work/job.log")" -lt "$target" ]; do
  cat "$work/chunk.log" >> "$work/job.log"
  if [ "$long" -lt 3 ]; then
    long_line $((1 + long * 9 / 2)) >> "$work/job.log"
    long=$((long + 1))
  fi
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
    "$@" > "$work/out" 2>&1 || true  # not /dev/null: GNU grep stops at the first match then
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

rss=$(/usr/bin/time -o "$work/rss" -f '%M' "$work/bot" scan "$work/job.log" > /dev/null 2>&1; tail -1 "$work/rss")
scan=$(best_time "$work/bot" scan "$work/job.log")
grepall=$(best_time grep -F -c -f "$work/anchors.txt" "$work/job.log")
grepone=$(best_time grep -F -c denied "$work/job.log")
# A 10 MB log: the first 10 MB of the same output, ending in the same refusal.
{ head -c $((10 * 1024 * 1024)) "$work/chunk.log"; tail -n 5 "$work/job.log"; } > "$work/small.log"
small=$(best_time "$work/bot" scan "$work/small.log")
rgall=""
if command -v rg >/dev/null; then rgall=$(best_time rg -F -c -f "$work/anchors.txt" "$work/job.log"); fi
anchors=$(wc -l < "$work/anchors.txt")
awk -v size="$size" -v small="$small" -v scan="$scan" -v grepall="$grepall" -v grepone="$grepone" -v rgall="$rgall" -v rss="$rss" -v anchors="$anchors" 'BEGIN {
  mb = size / 1048576
  printf "input:                          %.0f MB (%d anchor literals)\n", mb, anchors
  printf "bot scan:                       %6.3f s  %6.0f MB/s  peak RSS %s KiB\n", scan, mb / scan, rss
  printf "grep -F -c -f anchors:          %6.3f s  %6.0f MB/s\n", grepall, mb / grepall
  if (rgall != "") printf "rg -F -c -f anchors:            %6.3f s  %6.0f MB/s\n", rgall, mb / rgall
  printf "grep -F -c denied:              %6.3f s  %6.0f MB/s\n", grepone, mb / grepone
  printf "speed-up over grep -F anchors:  %.2fx (target >= 1.5x)\n", grepall / scan
  if (rgall != "") printf "slower than ripgrep:            %.2fx (target <= 3x)\n", scan / rgall
  printf "ratio scan / grep -F denied:    %.2f\n", scan / grepone
  printf "peak RSS:                       %.1f MiB (target <= 64 MiB)\n", rss / 1024
  printf "10 MB log, whole process:       %.0f ms (target < 50 ms)\n", small * 1000
}'
