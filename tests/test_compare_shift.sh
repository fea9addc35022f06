#!/usr/bin/env bash
# A real difference: NEW's parent has 64 MiB more touched memory; compare names fork slower, vfork not, warns about the shape, exits 1.
set -u
pb="$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { "$pb" --quick --time-budget 0.2 --min-time 0.05 --filter '^(fork|vfork)$' --out "$@" >/dev/null 2>&1 || { echo "run failed"; exit 1; }; }
# ABBA ABBA, and a 10% threshold, as in the A/A test: this VM drifts between runs.
for i in 1 3; do
	run "$tmp/a$i.json"
	run "$tmp/b$i.json" --rss 64M --touch
	run "$tmp/b$((i + 1)).json" --rss 64M --touch
	run "$tmp/a$((i + 1)).json"
done
"$pb" compare --threshold 10 --match method --format json "$tmp/a1.json,$tmp/a2.json,$tmp/a3.json,$tmp/a4.json" \
	"$tmp/b1.json,$tmp/b2.json,$tmp/b3.json,$tmp/b4.json" >"$tmp/cmp.json" 2>"$tmp/err"
rc=$?
cat "$tmp/err"
[ $rc -eq 1 ] || { echo "expected exit 1 (regression), got $rc"; cat "$tmp/cmp.json"; exit 1; }
grep -q "WARNING: fork: parent RSS" "$tmp/err" || { echo "no warning about the parent's shape"; exit 1; }
/usr/bin/python3 - "$tmp/cmp.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
v = {b["name"]: b for b in d["benchmarks"]}
print({k: (round(b["ratio"], 3), b["verdict"]) for k, b in v.items()})
# The verdict, not its size: 64 MiB more to copy made fork 9x slower where a small fork took
# 75 us and 2.7x where it took 400 us; both are "slower".
assert v["fork"]["verdict"] == "slower", v["fork"]
assert v["vfork"]["verdict"] in ("no change", "inconclusive"), v["vfork"]
assert d["regressed"] is True
assert any("parent RSS" in str(x) for x in d["context_differences"])
PY
