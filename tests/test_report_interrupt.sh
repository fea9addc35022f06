#!/usr/bin/env bash
# procbench report interrupted by SIGINT or SIGTERM (while gnuplot draws) exits 130 or 143 quietly, its gnuplot gone, leaving no stage, no new folder and an earlier report whole.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v gnuplot >/dev/null || { echo "skip: gnuplot not installed (apt-get install gnuplot-nox)"; exit 77; }
env --default-signal=INT true 2>/dev/null || { echo "skip: env --default-signal missing (coreutils < 8.31)"; exit 77; }
cd "$tmp" || exit 1
"$pb" --quick --time-budget 0.1 --min-time 0.02 --no-counters --filter '^vfork$' --out a.json >/dev/null 2>err ||
	{ cat err; exit 1; }
"$pb" report --out old a.json >/dev/null 2>err || { cat err; exit 1; }
before=$(find old -type f -printf '%p %s %T@\n' | sort)
# A gnuplot that says it started, then draws forever.
mkdir bin
printf '#!/bin/sh\necho $$ >"%s/gnuplot.pid"\nexec sleep 600\n' "$tmp" >bin/gnuplot
chmod +x bin/gnuplot
fails=0
for sig in INT TERM; do
	want=$((128 + $(kill -l $sig)))
	for out in new old; do
		rm -f gnuplot.pid
		# env resets SIGINT, which a non-interactive shell ignores in its background jobs.
		PATH="$tmp/bin:$PATH" env --default-signal=INT "$pb" report --out $out a.json >/dev/null 2>err &
		pid=$!
		for _ in $(seq 300); do [ -s gnuplot.pid ] && break; sleep 0.1; done
		[ -s gnuplot.pid ] || { echo "the report never reached gnuplot: $(cat err)"; kill -KILL $pid; exit 1; }
		kill -$sig $pid
		wait $pid
		rc=$?
		[ $rc -eq $want ] && [ ! -s err ] || { echo "SIG$sig into $out: rc=$rc (want $want), stderr: $(head -c 300 err)"; fails=$((fails + 1)); }
		kill -0 "$(cat gnuplot.pid)" 2>/dev/null && { echo "SIG$sig: gnuplot still runs"; kill "$(cat gnuplot.pid)"; fails=$((fails + 1)); }
		left=$(find . -name '.procbench-report*')
		[ -z "$left" ] && [ ! -e new ] || { echo "SIG$sig into $out left: $left $(ls -d new 2>/dev/null)"; fails=$((fails + 1)); }
		[ "$(find old -type f -printf '%p %s %T@\n' | sort)" = "$before" ] || { echo "SIG$sig: the earlier report changed"; fails=$((fails + 1)); }
	done
done
[ $fails -eq 0 ] && echo "SIGINT and SIGTERM: quiet, 130 and 143, nothing left behind"
[ $fails -eq 0 ]
