#!/usr/bin/env bash
# procbench perf-stat-merge, perf-stat's last step, done by procbench (no script writes a results
# file): perf's -j lines for the one measured point become perf_stat (totals, per creation =
# total / (iterations x ops per sample), why an event has no value), written with the run's raw
# samples under the new name, whole; the input run is left as it was. Bad input (no point or two,
# perf output that is a FIFO or not JSON lines, an output that is an input, unknown options) is
# one line, exit 2, nothing written. Needs no perf: perf's output is written here.
set -u
pb="$(pwd)/$B/procbench"
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "$*"; fails=$((fails + 1)); }
cd "$tmp" || exit 1
mkdir run
"$pb" --quick --no-counters --count 40 --filter '^(vfork|posix_spawn)$' --out run/two.json >/dev/null 2>&1 &&
	"$pb" --quick --no-counters --count 40 --filter '^posix_spawn$' --out run/r.json >/dev/null 2>&1 ||
	{ echo "the runs failed"; exit 1; }
sum_before=$(cat run/r.json run/r.samples.tsv | md5sum)
cat >perf.json <<'P'
# started on Wed Dec  2 13:20:00 2026

{"counter-value" : "12.500000", "unit" : "msec", "event" : "task-clock", "event-runtime" : 1, "pcnt-running" : 100.00}
{"counter-value" : "80.000000", "unit" : "", "event" : "page-faults", "event-runtime" : 1, "pcnt-running" : 100.00}
{"counter-value" : "<not supported>", "unit" : "", "event" : "cycles", "event-runtime" : 0, "pcnt-running" : 100.00}
{"counter-value" : "<not counted>", "unit" : "", "event" : "instructions", "event-runtime" : 0, "pcnt-running" : 0.00}
P
"$pb" perf-stat-merge run/r.json perf.json --command "perf stat -e x -- procbench" --out out/m.json >sum.txt 2>err.txt ||
	fail "merge failed: $(cat err.txt)"
"$pb" validate --quiet out/m.json || fail "the merged results do not validate"
[ "$(cat run/r.json run/r.samples.tsv | md5sum)" = "$sum_before" ] || fail "the input run was changed"
cmp -s run/r.samples.tsv out/m.samples.tsv || fail "the raw samples did not come along whole"
/usr/bin/python3 - out/m.json run/r.json <<'PY' || fails=$((fails + 1))
import json, sys
m, r = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert m["context"]["samples_file"] == "m.samples.tsv", m["context"]["samples_file"]
b, b0 = m["benchmarks"][0], r["benchmarks"][0]
ps = b.pop("perf_stat")
assert b == b0, "the benchmark changed beyond perf_stat"
n = b0["iterations"] * b0.get("ops_per_sample", 1)
assert ps["creations"] == n and ps["command"] == "perf stat -e x -- procbench", ps
e = ps["events"]
assert list(e) == ["task-clock", "page-faults", "cycles", "instructions"], list(e)
assert e["task-clock"] == {"available": True, "total": 12.5, "unit": "msec", "per_creation": 12.5 / n}, e["task-clock"]
assert e["page-faults"]["per_creation"] == 80 / n
assert e["cycles"] == {"available": False, "reason": "not supported"}, e["cycles"]
assert e["instructions"] == {"available": False, "reason": "not counted"}, e["instructions"]
m["context"]["samples_file"] = r["context"]["samples_file"]
assert m["context"] == r["context"], "the context changed beyond samples_file"
PY
grep -q "perf stat over 40 creations of posix_spawn" sum.txt || fail "no summary: $(cat sum.txt)"
grep -q "results written to out/m.json (raw samples in m.samples.tsv)" err.txt || fail "no written line: $(cat err.txt)"
# A run that kept no raw samples (--no-samples) merges too, and gets none beside it.
"$pb" --quick --no-counters --count 40 --filter '^vfork$' --no-samples --out run/ns.json >/dev/null 2>&1 ||
	fail "the --no-samples run failed"
"$pb" perf-stat-merge run/ns.json perf.json --out out/ns.json >/dev/null 2>ns.err || fail "merge without samples: $(cat ns.err)"
/usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert "samples_file" not in d["context"] and d["benchmarks"][0]["perf_stat"]["creations"] == 40' out/ns.json &&
	[ ! -e out/ns.samples.tsv ] || fail "the merge of a run without samples is not what it should be"

expect_error() { # pattern, args...
	local pat=$1 out rc lines
	shift
	rm -rf bad
	out=$("$pb" perf-stat-merge "$@" 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s\n' "$out" | grep -c .)
	if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || ! printf '%s' "$out" | grep -q -- "$pat"; then
		fail "perf-stat-merge $*: rc=$rc, $lines lines: $out (wanted one line matching '$pat')"
	fi
	[ ! -e bad ] || fail "perf-stat-merge $*: refused, yet wrote bad/"
}
expect_error "needs RESULTS.json PERF.json --out OUT.json" run/r.json perf.json
expect_error "unknown option or missing value '--bogus'" run/r.json perf.json --bogus --out bad/x.json
expect_error "has 2 measured benchmark points; perf-stat needs exactly one" run/two.json perf.json --out bad/x.json
mkfifo fifo.json
expect_error "fifo.json is a FIFO, not a regular file" run/r.json fifo.json --out bad/x.json
echo '{"event": ' >broken.json
expect_error "cannot parse perf's output line" run/r.json broken.json --out bad/x.json
expect_error "cannot read" run/missing.json perf.json --out bad/x.json
expect_error "perf.json" run/r.json perf.json --out perf.json
[ -s perf.json ] && grep -q task-clock perf.json || fail "perf's output was overwritten"
expect_error "r.json" run/r.json perf.json --out run/r.json
[ "$(cat run/r.json run/r.samples.tsv | md5sum)" = "$sum_before" ] || fail "a refused merge changed the input run"
[ $fails -eq 0 ] && echo "perf-stat-merge: merged whole, input untouched, bad input refused in one line"
[ $fails -eq 0 ]
