#!/usr/bin/env bash
# Benchmarks the App's preflight check of one pull request in a repository
# holding every workflow of the analysis's golden set, against an
# in-memory GitHub: with the analysis, and the App's own work alone
# (reading the files, the check run, the review). Prints Go's benchmark
# lines and the time per check. Needs the Go toolchain.
set -euo pipefail

BENCHTIME=${BENCHTIME:-3s}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

go test ./internal/preflightcheck/ -run '^$' -bench '^BenchmarkPullRequestCheck$' -benchtime "$BENCHTIME" -benchmem |
	grep '^BenchmarkPullRequestCheck' |
	tee /dev/stderr |
	awk '{ split($1, name, "/"); sub(/-[0-9]+$/, "", name[2]); printf "preflight check (%s): %.1f ms per pull request of %d workflows\n", name[2], $3 / 1e6, $5 }'
