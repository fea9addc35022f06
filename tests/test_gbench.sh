#!/usr/bin/env bash
# procbench-gbench runs procbench's methods under Google Benchmark: valid JSON with repetitions and aggregates, read by compare.py, times from the creator.
set -u
gb="$(pwd)/$B/procbench-gbench"
if [ ! -x "$gb" ]; then
	echo "skip: procbench-gbench not built (needs libbenchmark-dev and g++)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# --version says what it is, as procbench --version does.
"$gb" --version | grep -q '^procbench-gbench [0-9][0-9.]* (' ||
	{ echo "--version printed: $("$gb" --version 2>&1)"; exit 1; }
for f in a b; do
	"$gb" --benchmark_filter='^(fork|vfork|posix_spawn)/' --benchmark_repetitions=3 \
		--benchmark_min_time=0.05 --benchmark_format=json --benchmark_out="$tmp/$f.json" \
		>"$tmp/$f.out" 2>"$tmp/$f.err" || { cat "$tmp/$f.err"; exit 1; }
done
/usr/bin/python3 - "$tmp/a.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
bs = d["benchmarks"]
it = [b for b in bs if b["run_type"] == "iteration"]
agg = {(b["run_name"], b["aggregate_name"]) for b in bs if b["run_type"] == "aggregate"}
for m in ("fork", "vfork", "posix_spawn"):
    runs = [b for b in it if b["run_name"] == m + "/manual_time"]
    assert len(runs) == 3, (m, len(runs))
    for b in runs:
        assert b["time_unit"] == "us" and b["iterations"] > 0 and not b.get("error_occurred")
        # Manual time is the creations' own round trips: mean sits between median and p99.
        assert b["p50_us"] * 0.8 < b["real_time"] < b["p99_us"] * 1.2, b
        assert "parent_us" in b and "child_us" in b
    for a in ("mean", "median", "stddev"):
        assert (m + "/manual_time", a) in agg, (m, a)
print("ok:", sorted({b["run_name"] for b in it}))
PY
out=$(/usr/bin/python3 /usr/share/benchmark/compare.py --no-color benchmarks "$tmp/a.json" "$tmp/b.json" 2>&1) ||
	{ echo "compare.py failed: $out"; exit 1; }
echo "$out" | grep -q '^fork/manual_time_median' || { echo "compare.py output lacks the aggregates:"; echo "$out"; exit 1; }
