#!/usr/bin/env bash
# procbench report --history STORE: a trend chart per series (PNG and SVG) in the styled
# index.html, the change points in a table with the runs on either side and the regression
# at the newest runs named; with results files too, their sections follow. A store that
# cannot be read is one line, exit 2, and no report; a password in a store's URL is never shown.
set -u
if [ -n "${SAN:-}" ] || [ "$ARCH" != "$(uname -m)" ]; then
	echo "skip: checked once, in the plain native build (the report script is the same in every build)"
	exit 77
fi
. tests/history_setup.sh
history_base
for i in $(seq 10); do echo "vfork=1"; done >spec
for i in $(seq 10); do echo "vfork=1.15"; done >>spec
/usr/bin/python3 "$fixture" base.json fx s @spec 4 || exit 1
"$pb" history add --db h.db --label commit=aaa fx/s-{0..9}.json >/dev/null &&
	"$pb" history add --db h.db --label commit=bbb fx/s-{10..19}.json >/dev/null || { echo "add failed"; exit 1; }
"$pb" report --history h.db --out rep base.json >out 2>err || fail "report --history: $(cat err)"
[ "$(cat out)" = "rep/index.html" ] || fail "report printed: $(cat out)"
for s in 1 2; do
	for t in png svg; do
		[ -s "rep/history-$s.$t" ] || fail "no trend chart history-$s.$t"
	done
done
/usr/bin/python3 - rep/index.html <<'PY' || fails=$((fails + 1))
import re, sys
h = open(sys.argv[1]).read()
assert h.index("History: h.db") < h.index("Results: base.json"), "the history section first"
assert len(re.findall(r"<h3 id='s0c\d+'>Trend: ", h)) == 2, "two trend charts"
rows = re.findall(r"<tr><td>(vfork[^<]*)</td><td>(\d+)</td><td>([0-9.]+)</td>.*?</tr>", h)
assert len(rows) == 1 and rows[0][1] == "11" and 1.1 < float(rows[0][2]) < 1.2, rows
assert "REGRESSION" in h, "the regression at the newest runs"
assert "aaa" in h and "bbb" in h, "the runs on either side are named by their commit"
PY
# Unusable stores: one line, exit 2, no report folder.
echo "not a database" >bad.db
for store in bad.db missing.db "postgresql:///none?host=$tmp/nosock" "postgresql://u:secret1@/none?host=$tmp/nosock&password=secret2"; do
	"$pb" report --history "$store" --out rep2 >out 2>err
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q '^procbench report: ' err ||
		fail "report --history $store: exit $rc: $(cat err)"
	[ ! -e rep2 ] || fail "report --history $store left a folder"
	! grep -q secret err || fail "a password in the store's URL was shown: $(cat err)"
done
"$pb" report --history >/dev/null 2>err && fail "--history without a store accepted"
[ $fails -eq 0 ]
