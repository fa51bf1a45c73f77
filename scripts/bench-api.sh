#!/usr/bin/env bash
# Issue 13, target 2: the API budget of the diagnosis path.
#
# Runs BenchmarkAPIBudget (internal/e2e): the real server, signed webhooks,
# the simulated GitHub counting every request the bot makes, per scenario:
#   first-failure       one failed job, delivery to published report, in an
#                       installation the report ledger has known from its
#                       installation event
#   first-failure-installed-before-the-ledger
#                       the same in an installation older than the ledger
#   three-failed-jobs   the same with three failed jobs (each further job)
#   rerun-same-commit   a re-run of the same commit failing again
#   redelivered-event   the same webhook delivered twice
#   later-success       a later successful run resolving the report
#   success-with-nothing-to-resolve
#                       a successful run of a workflow that never failed
# Prints each figure beside its reference (main before this work) and its
# target, then the requests of each scenario by endpoint and status.
# A 304 costs no primary rate limit on GitHub; log downloads (signed URLs)
# are not API calls but are counted among the requests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

(cd "$root" && go test -run '^$' -bench 'BenchmarkAPIBudget' -benchtime=1x -count=1 -v ./internal/e2e) > "$out" 2>&1 || {
  cat "$out" >&2
  exit 1
}

# metric SCENARIO UNIT prints the value the benchmark reported.
metric() {
  awk -v name="BenchmarkAPIBudget/$1" -v unit="$2" '
    $1 ~ "^" name "(-[0-9]+)?$" { for (i = 3; i < NF; i++) if ($(i + 1) == unit) { printf "%d", $i; exit } }' "$out"
}

first=$(metric first-failure requests)
# The installation event's organisation audit fetched the installation
# token minutes before; the budget counts one anyway.
first_token=$(metric first-failure token)
first=$(( first + (first_token == 0 ? 1 : 0) ))
old_install=$(metric first-failure-installed-before-the-ledger requests)
nothing=$(metric success-with-nothing-to-resolve requests)
three=$(metric three-failed-jobs requests)
rerun=$(metric rerun-same-commit requests)
rerun_rl=$(metric rerun-same-commit rate-limited)
rerun_304=$(metric rerun-same-commit 304s)
redeliv_w=$(metric redelivered-event writes)
redeliv_uncond=$(( $(metric redelivered-event reads) + $(metric redelivered-event 304s) - $(metric redelivered-event conditional) ))
success=$(metric later-success requests)
further=$(( (three - $(metric first-failure requests)) / 2 ))

# Reference: main at 8f6494e, before this work, measured the same way.
met() { if [ "$1" = yes ]; then echo "met"; else echo "MISSED"; fi; }
le() { [ "$1" -le "$2" ] && echo yes || echo no; }
printf '| figure | before | now | target | met? |\n| --- | ---: | ---: | ---: | --- |\n'
printf '| one failed job: requests, token and log download included | 14 | %d | <= 10 | %s |\n' "$first" "$(met "$(le "$first" 10)")"
printf '| the same, in an installation older than the report ledger | 14 | %d | | |\n' "$old_install"
printf '| each further failed job: more requests | 2 | %d | <= 2 | %s |\n' "$further" "$(met "$(le "$further" 2)")"
printf '| redelivered event: writes | 0 | %d | 0 | %s |\n' "$redeliv_w" "$(met "$(le "$redeliv_w" 0)")"
printf '| redelivered event: unconditional reads | 0 | %d | 0 | %s |\n' "$redeliv_uncond" "$(met "$(le "$redeliv_uncond" 0)")"
printf '| later success resolving the report: requests | 6 | %d | <= 4 | %s |\n' "$success" "$(met "$(le "$success" 4)")"
printf '| successful run of a workflow that never failed: requests | 2 | %d | | |\n' "$nothing"
printf '| re-run of the same commit: requests (rate-limited, 304s) | 11 (6, 4) | %d (%d, %d) | what is read again: 304 | %s |\n' \
  "$rerun" "$rerun_rl" "$rerun_304" "$(met "$( [ "$rerun_304" -ge 1 ] && [ "$rerun" -le 11 ] && echo yes || echo no)")"

# The per-endpoint tables the benchmark logged.
sed -n 's/^        //p' "$out" | grep -E '^(####|\||$)' | cat -s
