#!/usr/bin/env bash
# Benchmarks fairness and pacing between installations (issue 13, target
# 4): 20 installations; the first delivers FLOOD failed runs at once
# (default 2000) from 50 senders, the 19 others 3 each, spread over the
# first 10 seconds of the flood. Measures each quiet run's delay from its
# delivery being answered to its tracking issue appearing on the simulated
# GitHub, which refuses content creation over 80 a minute or 500 an hour
# per installation as GitHub does; and the flooding installation's writes.
# On SQLite, and on PostgreSQL when DATABASE_URL is set.
set -euo pipefail

FLOOD=${FLOOD:-2000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building bot and benchload..." >&2
(cd "$root" && go build -o "$work/bot" ./cmd/bot && go build -o "$work/benchload" ./scripts/benchload)

report() {
  local backend=$1 out=$2 b_max=$3 b_p99=$4 b_limited=$5 b_flood=$6
  get() { sed -n "s/^$1=//p" "$out"; }
  printf '\nfairness on %s: installation 1 delivers %s failed runs at once, 19 others 3 each\n' "$backend" "$FLOOD"
  printf '%-40s | %-8s | %-8s | %-10s | %s\n' figure before now target met?
  row() { # name before now target test(now)
    local met=no
    if awk -v v="$3" "BEGIN { exit !($5) }"; then met=yes; fi
    printf '%-40s | %-8s | %-8s | %-10s | %s\n' "$1" "$2" "$3" "$4" "$met"
  }
  row "others' delivery -> report, max s" "$b_max" "$(get quiet_delay_max_s)" "<= 10" 'v <= 10'
  row "others' delivery -> report, p99 s" "$b_p99" "$(get quiet_delay_p99_s)" "<= 10" 'v <= 10'
  row "others' runs reported (of $(get quiet_runs))" "57" "$(get quiet_reported)" "all" "v == $(get quiet_runs)"
  row "flood: writes refused by GitHub's limits" "$b_limited" "$(get flood_secondary_limited)" "0" 'v == 0'
  row "flood: most writes accepted in a minute" "-" "$(get flood_max_writes_per_minute)" "<= 80" 'v <= 80'
  printf '%-40s | %-8s | %-8s |\n' "flood runs reported meanwhile" "$b_flood" "$(get flood_reported_by_then)"
}

echo "fairness on SQLite..." >&2
"$work/benchload" fairness -bot "$work/bot" -flood "$FLOOD" > "$work/sqlite.txt"
sed 's/^/  raw: /' "$work/sqlite.txt" >&2
report sqlite "$work/sqlite.txt" 53.2 53.2 10 59
if [ -n "${DATABASE_URL:-}" ]; then
  echo "fairness on PostgreSQL..." >&2
  "$work/benchload" fairness -bot "$work/bot" -flood "$FLOOD" -postgres "$DATABASE_URL" > "$work/postgres.txt"
  sed 's/^/  raw: /' "$work/postgres.txt" >&2
  report postgres "$work/postgres.txt" 50.1 50.1 5 44
fi
