#!/usr/bin/env bash
# --quick JSON is valid, carries procbench's fields, and Google Benchmark's compare.py accepts two such files.
# scope: controller
set -u
pb="$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=/usr/bin/python3
compare=/usr/share/benchmark/compare.py

settls="|clone3-settls"
[ "$ARCH" = generic ] && settls=""   # generic cannot read the thread pointer
for f in a b; do
	"$pb" --quick --time-budget 0.2 --filter "^(fork|vfork$settls|execve-chain)\$" \
		--out "$tmp/$f.json" >"$tmp/$f.console" 2>"$tmp/$f.err" ||
		{ echo "run $f failed"; cat "$tmp/$f.err"; exit 1; }
done
ls "$tmp" | grep -q tmp && { echo "temporary file left behind"; exit 1; }

"$py" - "$tmp/a.json" "$settls" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
c = d["context"]
assert c["procbench_schema_version"] == 1
assert c["counter"]["hz"] > 1e6 and c["counter"]["source"], c["counter"]
assert c["creator"]["linkage"] == "static", c["creator"]
assert c["creator"]["mappings"] > 0 and c["creator"]["vm_size_kib"] > 0
assert c["kernel_release"]
names = [b["name"] for b in d["benchmarks"]]
settls = sys.argv[2] != ""
assert names == ["fork", "vfork"] + (["clone3-settls"] if settls else []) + ["execve-chain"], names
for b in d["benchmarks"]:
    assert b["status"] == "ok", b
    assert b["run_type"] == "iteration" and b["time_unit"] == "ns"
    assert b["iterations"] >= 2 and b["real_time"] > 0 and b["cpu_time"] > 0
    rt = b["phases"]["round_trip"]
    assert rt["min"] <= rt["p50"] <= rt["p99"] <= rt["max"]
    assert b["real_time"] == rt["p50"]
bm = {b["name"]: b for b in d["benchmarks"]}
assert not settls or bm["clone3-settls"]["tls_verified"] is True
assert "child_running" in bm["fork"]["phases"] and "parent_return" in bm["fork"]["phases"]
assert bm["execve-chain"]["ops_per_sample"] == 8
assert "child_running" not in bm["execve-chain"]["phases"]
PY

if [ ! -f "$compare" ]; then
	echo "skip: $compare not installed (apt-get install libbenchmark-tools)"
	exit 77
fi
out=$("$py" "$compare" --no-color benchmarks "$tmp/a.json" "$tmp/b.json" 2>&1) ||
	{ echo "compare.py failed: $out"; exit 1; }
echo "$out"
for m in fork vfork ${settls#|} execve-chain; do
	echo "$out" | grep -q "^$m " || { echo "compare.py output lacks $m"; exit 1; }
done
