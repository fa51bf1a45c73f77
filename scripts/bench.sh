#!/usr/bin/env bash
# Runs every performance benchmark of the project and prints each figure
# beside its reference and target (see the README's "Performance" section).
#
# Each part is a script named bench-*.sh in this directory, run in name
# order; a part prints its own table. Run one part alone with
#   scripts/bench.sh scan        (runs scripts/bench-scan.sh)
# Environment variables of the parts (SIZE_MB, RUNS, DATABASE_URL, ...) pass
# through. The exit status is the number of parts that failed (0 when all ran).
set -uo pipefail

dir=$(cd "$(dirname "$0")" && pwd)
parts=()
if [ "$#" -gt 0 ]; then
  for name in "$@"; do
    parts+=("$dir/bench-$name.sh")
  done
else
  for f in "$dir"/bench-*.sh; do
    parts+=("$f")
  done
fi

failed=0
for part in "${parts[@]}"; do
  if [ ! -x "$part" ]; then
    echo "bench: no such part: $(basename "$part")" >&2
    failed=$((failed + 1))
    continue
  fi
  echo "== $(basename "$part" .sh | sed 's/^bench-//') =="
  if ! "$part"; then
    echo "bench: $(basename "$part") failed" >&2
    failed=$((failed + 1))
  fi
  echo
done
exit "$failed"
