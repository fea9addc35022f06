#!/usr/bin/env bash
# A results file of 200,000 benchmarks (11 MB) is validated and compared without the quadratic name checks that took over 120 s, and a repeated name among them is still found.
# timeout: 400
# scope: controller
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
for r in a b; do
	"$pb" --count 5 --filter '^null$' --no-counters --out $r.json >/dev/null 2>&1 || { echo "run $r failed"; exit 1; }
done
/usr/bin/python3 - <<'PY' || exit 1
import json
for side in "ab":
    d = json.load(open(f"{side}.json"))
    skip = {"name": "", "method": "fork", "status": "skipped", "skip_reason": "not here"}
    d["benchmarks"] += [dict(skip, name=f"point-{i:06d}") for i in range(200000)]
    json.dump(d, open(f"many-{side}.json", "w"))
    d["benchmarks"].append(dict(skip, name="point-000017"))
    json.dump(d, open(f"dup-{side}.json", "w"))
PY
for s in a b; do
	cp $s.samples.tsv many-$s.samples.tsv && sed -i "s/\"$s.samples.tsv\"/\"many-$s.samples.tsv\"/" many-$s.json
	cp $s.samples.tsv dup-$s.samples.tsv && sed -i "s/\"$s.samples.tsv\"/\"dup-$s.samples.tsv\"/" dup-$s.json
done
fails=0
# The limits guard against the quadratic checks (hours on a slow machine), not for speed:
# n log n takes a second or two even on a loaded one.
timeout 120 "$pb" validate many-a.json >out 2>err || { echo "validate: rc=$? $(cat err)"; fails=$((fails + 1)); }
grep -q "200001 benchmarks" out || { echo "validate said: $(cat out)"; fails=$((fails + 1)); }
timeout 120 "$pb" compare many-a.json many-b.json >out 2>err
rc=$?
[ $rc -le 1 ] || { echo "compare: rc=$rc $(tail -c 300 err)"; fails=$((fails + 1)); }
timeout 120 "$pb" validate dup-a.json >out 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "several points named point-000017" err ||
	{ echo "a repeated name among 200,000: rc=$rc $(cat err)"; fails=$((fails + 1)); }
[ $fails -eq 0 ]
