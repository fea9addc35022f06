#!/usr/bin/env bash
# perf stat counts only the enabled region (100 vs 1000 creations ~10x, nothing when never enabled); in-process counters: software ones have values, unsupported hardware ones say why; perf-stat merges into the results.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v perf >/dev/null; then
	echo "skip: perf not installed (apt-get install linux-perf)"
	exit 77
fi
if ! perf stat -e task-clock true >/dev/null 2>&1; then
	echo "skip: perf stat cannot count here (perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid))"
	exit 77
fi
cd "$tmp"
mkfifo ctl ack
value() { /usr/bin/python3 -c 'import json,sys
for l in open(sys.argv[1]):
    if l.startswith("{"):
        o = json.loads(l)
        if o.get("event") == sys.argv[2]: print(o["counter-value"])' "$1" "$2"; }
for n in 100 1000; do
	perf stat -j -o perf$n.json --delay=-1 --control fifo:ctl,ack -e task-clock,page-faults -- \
		"$pb" --filter '^fork$' --count $n --no-counters --format console --perf-ctl fifo:ctl,ack >out$n 2>&1 ||
		{ echo "perf stat run failed:"; cat out$n; exit 1; }
done
/usr/bin/python3 - "$(value perf100.json task-clock)" "$(value perf1000.json task-clock)" \
	"$(value perf100.json page-faults)" "$(value perf1000.json page-faults)" <<'PY' || exit 1
import sys
t1, t2, f1, f2 = map(float, sys.argv[1:])
print("task-clock %.2f -> %.2f ms (x%.1f), page-faults %.0f -> %.0f (x%.1f)" % (t1, t2, t2 / t1, f1, f2, f2 / f1))
# 10x creations: the lower bound shows only the timed batches were counted (counting start-up,
# calibration and reporting too would keep the ratio near 1-2). task-clock's upper bound is
# loose: it is CPU time on a shared machine (21x was seen under ASan on a busy VM).
assert 5 < t2 / t1 < 40 and 5 < f2 / f1 < 20
PY
# Never enabled: perf counts nothing of start-up, calibration or reporting.
perf stat -j -o perf0.json --delay=-1 --control fifo:ctl,ack -e task-clock,page-faults -- \
	"$pb" --filter '^fork$' --count 100 --no-counters --format console >/dev/null 2>&1
[ "$(value perf0.json task-clock)" = "<not counted>" ] && [ "$(value perf0.json page-faults)" = "<not counted>" ] ||
	{ echo "counted without an enabled region:"; cat perf0.json; exit 1; }

# In-process counters and the wrapper.
"$pb" perf-stat -e task-clock,page-faults,cycles -- --filter '^fork$' --count 200 --out r.json >wrap.out 2>&1 ||
	{ cat wrap.out; exit 1; }
cat wrap.out | grep -v warning
/usr/bin/python3 - r.json "$(perf stat -e cycles true 2>&1 | grep -c 'not supported')" <<'PY' || exit 1
import json, sys
b = json.load(open(sys.argv[1]))["benchmarks"][0]
ps = b["perf_stat"]
assert ps["creations"] == 200, ps
assert 4 < ps["events"]["page-faults"]["per_creation"] < 50, ps
c = b["counters"]
for sw in ("task-clock", "page-faults", "context-switches"):
    assert c[sw]["available"] and c[sw]["per_creation"] > 0, (sw, c[sw])
if sys.argv[2] != "0":  # no PMU here: hardware counters unavailable, with the reason
    assert ps["events"]["cycles"]["available"] is False
    for hw in ("cycles:u", "cycles:k", "instructions:u", "instructions:k"):
        assert c[hw]["available"] is False and "not supported" in c[hw]["reason"], (hw, c[hw])
PY
