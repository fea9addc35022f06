#!/usr/bin/env bash
# A run counts once: compare refuses a run listed twice on a side (the same file by any path, or a copy with the same run id) and the same run on both sides, with one line and exit 2; distinct runs still compare.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
for r in a1 a2 b1 b2; do
	"$pb" --count 8 --filter '^null$' --no-counters --out $r.json >/dev/null 2>&1 || { echo "run $r failed"; exit 1; }
done
mkdir copy && cp a1.json a1.samples.tsv copy/
ln -s a1.json link.json
fails=0
refused() { # pattern, compare arguments...
	local pat=$1 rc
	shift
	"$pb" compare "$@" >out 2>err
	rc=$?
	if [ $rc -ne 2 ] || [ "$(grep -c . err)" -ne 1 ] || ! grep -q -- "$pat" err; then
		echo "compare $*: rc=$rc: $(cat err) (wanted one line matching '$pat', exit 2)"
		fails=$((fails + 1))
	fi
}
# The fault: one run three times a side gave zero-width intervals, "17 slower", exit 1.
refused "BASE lists one run twice (a1.json and a1.json, the same file)" a1.json,a1.json,a1.json b1.json,b1.json,b1.json
refused "NEW lists one run twice" a1.json,a2.json b1.json,./b1.json
refused "BASE lists one run twice (a1.json and link.json, the same file)" a1.json,link.json b1.json,b2.json
refused "BASE lists one run twice (a1.json and copy/a1.json, run id " a1.json,copy/a1.json b1.json,b2.json
refused "a1.json (BASE) and copy/a1.json (NEW) are the same run (run id" a1.json copy/a1.json
refused "a2.json (BASE) and a2.json (NEW) are the same run (the same file)" a1.json,a2.json a2.json,b1.json
# Given ids are kept, so two runs given one id are one run to compare.
"$pb" --count 8 --filter '^null$' --no-counters --run-id 00112233445566778899aabbccddeeff --out g1.json >/dev/null 2>&1 &&
	"$pb" --count 8 --filter '^null$' --no-counters --run-id 00112233445566778899aabbccddeeff --out g2.json >/dev/null 2>&1 ||
	{ echo "runs with --run-id failed"; exit 1; }
grep -q '"run_id":"00112233445566778899aabbccddeeff"' g1.json || { echo "--run-id not recorded"; fails=$((fails + 1)); }
refused "are the same run (run id 00112233445566778899aabbccddeeff)" g1.json g2.json
# A copy without its run id, or with it in capitals, does not pass for another run: every
# reader refuses a results file whose run_id is missing or not as procbench writes it.
/usr/bin/python3 - <<'PY' || exit 1
import json
d = json.load(open("a1.json"))
del d["context"]["run_id"]
json.dump(d, open("noid.json", "w"))
d["context"]["run_id"] = json.load(open("a1.json"))["context"]["run_id"].upper()
json.dump(d, open("upper.json", "w"))
PY
for f in noid upper; do
	grep -v '^# run_id' a1.samples.tsv >$f.samples.tsv
	sed -i "s/\"a1.samples.tsv\"/\"$f.samples.tsv\"/" $f.json
done
refused "noid.json has no context.run_id" noid.json b1.json
refused "upper.json: context.run_id '[0-9A-F]*' is not 16 to 38 lowercase hex digits" upper.json b1.json
# Distinct runs compare (exit 0 or 1, never 2).
"$pb" compare a1.json,a2.json b1.json,b2.json >out 2>err
rc=$?
[ $rc -le 1 ] || { echo "distinct runs: rc=$rc $(cat err)"; fails=$((fails + 1)); }
# A run list longer than 16 KB was cut there silently: it is read whole, so a missing file at
# its end is seen (63 entries of 280 bytes, then one that does not exist).
long=$(printf 'x%.0s' $(seq 250))
mkdir -p "$long"
list=""
for i in $(seq 1 63); do
	list="$list${list:+,}$PWD/$long/../a1.json"
done
list="$list,$PWD/missing.json"
[ ${#list} -gt 16384 ] || { echo "the list is only ${#list} bytes"; exit 1; }
refused "cannot read $PWD/missing.json" "$list" b1.json
[ $fails -eq 0 ]
