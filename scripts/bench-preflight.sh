#!/usr/bin/env bash
# Benchmarks the preflight analysis: every workflow of the golden set
# (internal/preflight/testdata/golden) analysed once per iteration, as a
# check run or `bot audit --workflow` on a repository would. Prints Go's
# benchmark line and the time per workflow. Needs the Go toolchain.
set -euo pipefail

BENCHTIME=${BENCHTIME:-3s}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

workflows=$(ls internal/preflight/testdata/golden/*.yml | wc -l)
line=$(go test ./internal/preflight/ -run '^$' -bench '^BenchmarkAnalyzeGolden$' -benchtime "$BENCHTIME" -benchmem | grep '^BenchmarkAnalyzeGolden')
echo "$line"
echo "$line" | awk -v n="$workflows" '{ printf "preflight: %.3f ms per workflow (%d workflows per iteration)\n", $3 / n / 1e6, n }'
