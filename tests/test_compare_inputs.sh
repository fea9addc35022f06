#!/usr/bin/env bash
# compare refuses unusable input with one line and exit 2: malformed, truncated, empty, newer schema, foreign or sample-less files, bad options.
# scope: controller
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$pb" --quick --time-budget 0.05 --filter '^null$' --out good.json >/dev/null 2>&1 || { echo "run failed"; exit 1; }
fails=0
expect() { # pattern, args...
	local pat=$1 out rc
	shift
	"$pb" compare "$@" >/dev/null 2>err
	rc=$?
	out=$(grep -v '^note:\|^WARNING\|^  ' err)
	if [ $rc -ne 2 ] || [ "$(echo "$out" | grep -c .)" -ne 1 ] || ! echo "$out" | grep -q -- "$pat"; then
		echo "compare $*: rc=$rc: $out (wanted one line matching '$pat')"
		fails=$((fails + 1))
	fi
}
cp good.samples.tsv copy.samples.tsv
head -c 200 good.json >truncated.json
echo '{"context": {' >malformed.json
: >empty.json
sed 's/"procbench_schema_version":1/"procbench_schema_version":7/' good.json >newer.json
echo '{"context": {"date": "x"}, "benchmarks": []}' >gbench.json
/usr/bin/python3 -c 'import json; d = json.load(open("good.json")); del d["context"]["samples_file"]; json.dump(d, open("nosamples.json", "w"))'
sed 's/good.samples.tsv/gone.samples.tsv/' good.json >gone.json
sed 's/good.samples.tsv/cut.samples.tsv/' good.json >cut.json
head -c 300 good.samples.tsv >cut.samples.tsv
sed 's/good.samples.tsv/junk.samples.tsv/' good.json >junk.json
printf 'bench\tround_trip_ns\tparent_return_ns\tchild_running_ns\nzero\t12\t3\t4\n' >junk.samples.tsv

expect "truncated.json is not valid JSON (it ends too early)" good.json truncated.json
expect "malformed.json is not valid JSON" malformed.json good.json
expect "empty.json is empty" good.json empty.json
expect "uses results schema 7; this procbench reads schema 1" good.json newer.json
expect "not a procbench results file" good.json gbench.json
expect "has no raw samples; re-run procbench with --samples" good.json nosamples.json
expect "cannot read the raw samples" good.json gone.json
expect "is truncated" good.json cut.json
expect "line 2 is not a procbench sample line" good.json junk.json
expect "cannot read missing.json" good.json missing.json
expect "needs exactly two results files" good.json
expect "unknown option '--bogus'" --bogus good.json good.json
expect "--threshold 'x'" --threshold x good.json good.json
expect "--match 'x'" --match x good.json good.json
# Instruction time (qemu icount) and wall time are never one ratio.
# Another run (a run compared with itself is refused as the same run: test_compare_runs.sh).
for r in good2 good3; do
	"$pb" --quick --time-budget 0.05 --filter '^null$' --out $r.json >/dev/null 2>&1 || { echo "run failed"; exit 1; }
done
sed 's/"time_base":"wall"/"time_base":"instructions"/' good2.json >instr.json
cp good2.samples.tsv instr.samples.tsv && sed -i 's/good2.samples.tsv/instr.samples.tsv/' instr.json
expect "results of different time bases cannot be compared" good.json instr.json
expect "results of different time bases cannot be compared" good.json,instr.json good3.json
expect "are the same run" good.json good.json
"$pb" compare good.json good2.json >/dev/null 2>&1
[ $? -le 1 ] || { echo "good vs good2 should compare"; fails=$((fails + 1)); }
[ $fails -eq 0 ]
