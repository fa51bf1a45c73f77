#!/usr/bin/env bash
# Benchmarks the webhook intake (issue 13, target 5): DELIVERIES signed
# workflow_run deliveries (default 10000) from SENDERS concurrent senders
# (default 50) to `bot serve` (run as a subprocess against the simulated
# GitHub) and to a bare net/http handler that only checks the signature,
# the same deliveries in alternating chunks: first ignored actions
# (in_progress), then failed runs that are queued. Then the bot drains its
# queue against the simulated GitHub and every run's tracking issue and
# check run are counted. On SQLite always, and on PostgreSQL when
# DATABASE_URL is set (a fresh schema is created there and dropped).
#
# Prints each figure beside its value before this work (measured on the
# same machine with the same program), the issue's reference and target.
set -euo pipefail

DELIVERIES=${DELIVERIES:-10000}
SENDERS=${SENDERS:-50}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building bot and benchload..." >&2
(cd "$root" && go build -o "$work/bot" ./cmd/bot && go build -o "$work/benchload" ./scripts/benchload)

# before BACKEND KEY: the figure before this work, 50 senders, 10,000
# deliveries of each kind, 2 shared cores.
before() {
  case "$1:$2" in
    sqlite:ignored_ratio) echo 0.19 ;; sqlite:enqueued_ratio) echo 0.09 ;;
    sqlite:ignored_per_s) echo 824 ;; sqlite:enqueued_per_s) echo 407 ;;
    sqlite:ignored_p99_ms) echo 376 ;; sqlite:enqueued_p99_ms) echo 547 ;; sqlite:intake_peak_rss_mib) echo 87 ;; sqlite:peak_rss_mib) echo 162 ;;
    sqlite:drain_s) echo 457 ;; sqlite:reported) echo "10000/10000" ;;
    postgres:ignored_ratio) echo 0.22 ;; postgres:enqueued_ratio) echo 0.09 ;;
    postgres:ignored_per_s) echo 473 ;; postgres:enqueued_per_s) echo 138 ;;
    postgres:ignored_p99_ms) echo 680 ;; postgres:enqueued_p99_ms) echo 997 ;; postgres:intake_peak_rss_mib) echo 77 ;; postgres:peak_rss_mib) echo 149 ;;
    postgres:drain_s) echo 571 ;; postgres:reported) echo "10000/10000" ;;
    *) echo "-" ;;
  esac
}

report() {
  local backend=$1 out=$2
  get() { sed -n "s/^$1=//p" "$out"; }
  printf '\nintake on %s, %s deliveries of each kind from %s senders\n' "$backend" "$DELIVERIES" "$SENDERS"
  printf '%-34s | %-11s | %-11s | %-24s | %-10s | %s\n' figure before now reference target met?
  row() { # name before now reference target test(now)
    local met=no
    if awk -v v="$3" "BEGIN { exit !($6) }"; then met=yes; fi
    printf '%-34s | %-11s | %-11s | %-24s | %-10s | %s\n' "$1" "$2" "$3" "$4" "$5" "$met"
  }
  row "ignored: bot / bare handler" "$(before "$backend" ignored_ratio)" "$(get ignored_ratio)" "0.24x (2,070/s, 16 senders)" ">= 0.5x" 'v >= 0.5'
  printf '%-34s | %-11s | %-11s | %-24s | %-10s |\n' "  ignored deliveries/s (bare)" "$(before "$backend" ignored_per_s)" "$(get ignored_per_s) ($(get ignored_bare_per_s))" "bare 8,200-9,000/s" ""
  row "enqueued: bot / bare handler" "$(before "$backend" enqueued_ratio)" "$(get enqueued_ratio)" "0.10x (905/s, 16 senders)" ">= 0.25x" 'v >= 0.25'
  printf '%-34s | %-11s | %-11s | %-24s | %-10s |\n' "  enqueued deliveries/s (bare)" "$(before "$backend" enqueued_per_s)" "$(get enqueued_per_s) ($(get enqueued_bare_per_s))" "" ""
  row "p99 accept latency, ignored, ms" "$(before "$backend" ignored_p99_ms)" "$(get ignored_p99_ms)" "64" "< 100" 'v < 100'
  row "p99 accept latency, enqueued, ms" "$(before "$backend" enqueued_p99_ms)" "$(get enqueued_p99_ms)" "64" "< 100" 'v < 100'
  row "peak RSS during intake, MiB" "$(before "$backend" intake_peak_rss_mib)" "$(get intake_peak_rss_mib)" "48" "<= 150" 'v <= 150'
  row "peak RSS with the drain, MiB" "$(before "$backend" peak_rss_mib)" "$(get peak_rss_mib)" "" "<= 150" 'v <= 150'
  printf '%-34s | %-11s | %-11s | %-24s | %-10s |\n' "drain: every run reported, s" "$(before "$backend" drain_s)" "$(get drain_s)" "" ""
  local runs once
  runs=$(get runs); once=$(get reported_once)
  row "failed runs reported exactly once" "$(before "$backend" reported)" "$once/$runs" "" "all" "$once == $runs && $(get reported_more_than_once) == 0"
}

echo "intake on SQLite..." >&2
"$work/benchload" intake -bot "$work/bot" -deliveries "$DELIVERIES" -senders "$SENDERS" > "$work/sqlite.txt"
sed 's/^/  raw: /' "$work/sqlite.txt" >&2
report sqlite "$work/sqlite.txt"
if [ -n "${DATABASE_URL:-}" ]; then
  echo "intake on PostgreSQL..." >&2
  "$work/benchload" intake -bot "$work/bot" -deliveries "$DELIVERIES" -senders "$SENDERS" -postgres "$DATABASE_URL" > "$work/postgres.txt"
  sed 's/^/  raw: /' "$work/postgres.txt" >&2
  report postgres "$work/postgres.txt"
else
  echo "(PostgreSQL skipped: set DATABASE_URL)"
fi
