#!/usr/bin/env bash
# A real difference: NEW's parent has 64 MiB more touched memory; compare names fork slower, vfork not, warns about the shape, exits 1.
set -u
pb="$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { "$pb" --quick --time-budget 0.2 --min-time 0.05 --filter '^(fork|vfork)$' --out "$@" >/dev/null 2>&1 || { echo "run failed"; exit 1; }; }
# ABBA ABBA, and a 10% threshold, as in the A/A test: this VM drifts between runs. On a loaded
# machine the drift between runs can leave the gate undecided ("inconclusive": its interval
# straddles the threshold); then, as a user would, more runs (ABBA again, up to 8 a side) until
# it decides. A verdict other than "slower" for fork, or none by then, fails.
a="" b="" n=0 rc=0
while [ $n -lt 8 ]; do
	for i in 1 2; do
		n=$((n + 1))
		if [ $i = 1 ]; then
			run "$tmp/a$n.json"
			run "$tmp/b$n.json" --rss 64M --touch
		else
			run "$tmp/b$n.json" --rss 64M --touch
			run "$tmp/a$n.json"
		fi
		a="$a${a:+,}$tmp/a$n.json" b="$b${b:+,}$tmp/b$n.json"
	done
	[ $n -ge 4 ] || continue
	rc=0
	"$pb" compare --threshold 10 --match method --format json "$a" "$b" >"$tmp/cmp.json" 2>"$tmp/err" || rc=$?
	/usr/bin/python3 -c 'import json, sys; sys.exit(0 if next(x for x in json.load(open(sys.argv[1]))["benchmarks"] if x["name"] == "fork")["verdict"] == "inconclusive" else 1)' \
		"$tmp/cmp.json" 2>/dev/null || break
	echo "fork inconclusive at $n runs a side: adding runs"
done
cat "$tmp/err"
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
