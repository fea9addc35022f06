#!/usr/bin/env bash
# A median of 0 (a creation shorter than the counter's tick, as null's is on a coarse arm64 or riscv64 counter) is a valid reading: validate accepts it, compare gives that benchmark no ratio and an inconclusive verdict (never "inf [nan, nan]"), its comparison file validates, and the report draws it.
# scope: controller
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
for r in a b c d; do
	"$pb" --count 6 --filter '^(null|vfork)$' --no-counters --out $r.json >/dev/null 2>&1 || { echo "run $r failed"; exit 1; }
done
# BASE's null, as a 24 MHz counter would record it: every sample 0 ticks.
for r in a b; do
	/usr/bin/python3 - $r <<'PY' || exit 1
import json, sys
r = sys.argv[1]
d = json.load(open(r + ".json"))
i = next(k for k, b in enumerate(d["benchmarks"]) if b["name"] == "null")
for s in d["benchmarks"][i]["phases"].values():
    for f in ("min", "p50", "p90", "p99", "p999", "max", "mean", "ci_lo", "ci_hi", "stddev"):
        if f in s:
            s[f] = 0
json.dump(d, open(r + ".json", "w"))
out = []
for l in open(r + ".samples.tsv"):
    f = l.rstrip("\n").split("\t")
    if f[0].isdigit() and int(f[0]) == i:
        f = [f[0]] + ["0" if x != "-" else x for x in f[1:]]
    out.append("\t".join(f) + "\n")
open(r + ".samples.tsv", "w").write("".join(out))
PY
done
fails=0
"$pb" validate a.json >/dev/null 2>err || { echo "a median of 0 refused: $(cat err)"; fails=$((fails + 1)); }
"$pb" compare --out cmp.json a.json,b.json c.json,d.json >out 2>err
rc=$?
[ $rc -le 1 ] || { echo "compare: rc=$rc $(cat err)"; fails=$((fails + 1)); }
grep -qi 'inf\|nan' out && { echo "compare printed inf or nan:"; cat out; fails=$((fails + 1)); }
grep -q '^null .*inconclusive (a median of 0 on a side' out || { echo "null's row:"; cat out; fails=$((fails + 1)); }
/usr/bin/python3 -c '
import json, sys
d = json.load(open("cmp.json"))
n = next(b for b in d["benchmarks"] if b["name"] == "null")
assert n["ratio"] is None and n["ratio_ci_lo"] is None and n["verdict"] == "inconclusive", n
' || fails=$((fails + 1))
"$pb" validate cmp.json >/dev/null 2>err || { echo "its comparison refused: $(cat err)"; fails=$((fails + 1)); }
"$pb" report --out rep a.json cmp.json >/dev/null 2>err || { echo "report: $(cat err)"; fails=$((fails + 1)); }
[ $fails -eq 0 ]
