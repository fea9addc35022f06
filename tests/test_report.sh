#!/usr/bin/env bash
# procbench report renders every chart type (summary, phases, CDF, sweep, scaling, comparison) from real runs as valid, non-trivial PNG and SVG with an index page; bad input is exit 2.
# scope: controller
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v gnuplot >/dev/null; then
	echo "skip: gnuplot not installed (apt-get install gnuplot-nox)"
	exit 77
fi
cd "$tmp"
q=(--quick --time-budget 0.1 --min-time 0.02)
"$pb" "${q[@]}" --filter '^(fork|vfork)$' --rss 0,1M,4M --touch=both --jobs 1,2 --out run.json >/dev/null 2>&1 || { echo "run failed"; exit 1; }
"$pb" "${q[@]}" --filter '^(fork|vfork)$' --out a.json >/dev/null 2>&1 || exit 1
"$pb" "${q[@]}" --filter '^(fork|vfork)$' --rss 16M --touch --out b.json >/dev/null 2>&1 || exit 1
# --trace's phases (grafted from a real traced run: no test traces the host) in both.
/usr/bin/python3 "$OLDPWD/tests/graft_trace.py" a.json b.json || exit 1
"$pb" compare --match method --out cmp.json a.json b.json >cmp.txt 2>&1
[ $? -le 1 ] || { echo "compare failed"; exit 1; }
grep -q "^    kernel phases (--trace: where it moved; never the verdict)" cmp.txt &&
	grep -q "^      copy_process .* 1.0000 " cmp.txt ||
	{ echo "compare shows no kernel phases: $(cat cmp.txt)"; exit 1; }
"$pb" report --out rep run.json cmp.json a.json >out 2>err || { cat err; exit 1; }
for n in 0 1; do
	png=rep/a.timeline$n.png
	[ "$(head -c 8 "$png" | od -A n -t x1 | tr -d ' ')" = 89504e470d0a1a0a ] && [ "$(stat -c %s "$png")" -gt 8000 ] ||
		{ echo "$png: no timeline chart"; exit 1; }
done
grep -q "Kernel phases (--trace, tracefs on the x86-tsc clock" rep/index.html &&
	grep -q "Kernel phases, BASE vs NEW" rep/index.html || { echo "index.html lacks the kernel phase tables"; exit 1; }
grep -q 'rep/index.html' out || { echo "report did not name its page"; exit 1; }
for chart in run.summary run.phases run.cdf run.sweep run.scaling cmp.compare; do
	png=rep/$chart.png svg=rep/$chart.svg
	[ "$(head -c 8 "$png" | od -A n -t x1 | tr -d ' ')" = 89504e470d0a1a0a ] || { echo "$png is not a PNG"; exit 1; }
	[ "$(stat -c %s "$png")" -gt 8000 ] || { echo "$png is suspiciously small"; exit 1; }
	/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); assert r.tag.endswith("svg"); assert len(list(r.iter())) > 50' "$svg" ||
		{ echo "$svg is not a drawn SVG"; exit 1; }
	grep -q "$chart.png" rep/index.html || { echo "index.html lacks $chart"; exit 1; }
done
grep -q '<table>' rep/index.html || { echo "index.html has no tables"; exit 1; }
grep -q 'kernel ' rep/index.html || { echo "no kernel in the page"; exit 1; }
# Unusable input: one line, exit 2.
echo '{"context": {' >bad.json
"$pb" report --out rep2 bad.json >/dev/null 2>err
rc=$?
[ $rc -eq 2 ] && [ "$(grep -c . err)" -eq 1 ] && grep -q "not valid JSON" err || { echo "bad input: rc=$rc $(cat err)"; exit 1; }
"$pb" report --out rep2 missing.json >/dev/null 2>err
[ $? -eq 2 ] && grep -q "cannot read missing.json" err || { echo "missing input: $(cat err)"; exit 1; }
