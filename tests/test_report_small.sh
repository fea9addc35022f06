#!/usr/bin/env bash
# A run whose every median is below a microsecond (null alone) is reported: the charts' log axes start a power of ten below the smallest value (summary.gp began at 5 us: "all points y value undefined", exit 2).
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
"$pb" --filter '^null$' --count 5 --no-counters --out n.json >/dev/null 2>&1 || { echo "run failed"; exit 1; }
"$pb" report --out rep n.json >out 2>err || { echo "report of null alone: $(cat err)"; exit 1; }
[ -s rep/n.summary.png ] && [ -s rep/n.phases.svg ] || { echo "charts missing: $(ls rep)"; exit 1; }
