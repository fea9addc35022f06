#!/usr/bin/env bash
# A/A: runs of the same build on the same machine, four per side in ABBA ABBA order, compare with no regression beyond 10% (exit 0).
# The VM this was written on drifts by up to 20% between runs; ABBA order cancels linear drift and the
# hierarchical bootstrap carries the rest into the CI. 10% is the smallest change such a machine can vouch for.
set -u
pb="$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { "$pb" --quick --time-budget 0.15 --min-time 0.05 --filter '^(fork|vfork|clone3)$' --out "$1" >/dev/null 2>&1 || { echo "run failed"; exit 1; }; }
for i in 1 3; do
	run "$tmp/a$i.json"
	run "$tmp/b$i.json"
	run "$tmp/b$((i + 1)).json"
	run "$tmp/a$((i + 1)).json"
done
"$pb" compare --threshold 10 --out "$tmp/cmp.json" "$tmp/a1.json,$tmp/a2.json,$tmp/a3.json,$tmp/a4.json" \
	"$tmp/b1.json,$tmp/b2.json,$tmp/b3.json,$tmp/b4.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out" "$tmp/err"
[ $rc -eq 0 ] || { echo "A/A compare exited $rc"; exit 1; }
grep -q ' slower (' "$tmp/out" && { echo "A/A reported a regression"; exit 1; }
/usr/bin/python3 - "$tmp/cmp.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["regressed"] is False
assert [b["name"] for b in d["benchmarks"]] == ["fork", "vfork", "clone3"]
for b in d["benchmarks"]:
    assert b["ratio_ci_lo"] <= b["ratio"] <= b["ratio_ci_hi"], b
    assert b["verdict"] in ("no change", "inconclusive", "faster"), b
PY
