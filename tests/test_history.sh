#!/usr/bin/env bash
# procbench history on its default SQLite store: add keeps each results file's runs as series
# keyed by benchmark, parameters, machine and time base (another machine or time base is
# another series), a run added again changes nothing, labels and the kernel's build are
# attributes of a run; check finds a +10% step at its run in one series and nothing in the
# other, and exits 1 only when the step is at the newest runs and beyond the threshold; a
# file validate refuses and every bad option are one line, exit 2, the store unchanged.
set -u
# The store is the controller's alone: the same code in every build but the native and SAN.
if [ "$ARCH" != "$(uname -m)" ]; then
	echo "skip: the history store is checked in the native and SAN builds"
	exit 77
fi
. tests/history_setup.sh
mkdir results
echo '{"describe": "v6.1-rc1-7-gabc", "revision": "abc"}' >build.json
history_base --context kernel_build=@build.json
# 12 runs, then 12 with vfork 10% slower (thread-pthread unchanged), 2% noise each.
for i in $(seq 12); do echo "vfork=1"; done >spec
for i in $(seq 12); do echo "vfork=1.10"; done >>spec
/usr/bin/python3 "$fixture" base.json fx s @spec 7 || exit 1
count() { /usr/bin/python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
print(c.execute("SELECT count(*) FROM pb_runs").fetchone()[0], c.execute("SELECT count(*) FROM pb_points").fetchone()[0])' "$1"; }

# The first 12, from the default store's place (results/history.db), with labels.
"$pb" history add --label job=41 --label 'note=first half' fx/s-{0..11}.json >out 2>err ||
	fail "add: $(cat err)"
[ "$(tail -n 1 out)" = "12 added, 0 already stored, in results/history.db" ] || fail "add said: $(tail -n 1 out)"
[ "$(count results/history.db)" = "12 24" ] || fail "after 12 adds: $(count results/history.db)"
"$pb" history check >out 2>err
[ $? -eq 0 ] || fail "check of 12 steady runs: not 0: $(cat out err)"
grep -q '^2 series, 24 runs checked in results/history.db: 0 change points' out || fail "check: $(cat out)"
# Again: nothing changes, and it says so.
"$pb" history add fx/s-3.json >out 2>err || fail "add again: $(cat err)"
grep -q 'is already in the store: nothing added' out || fail "add again said: $(cat out)"
[ "$(count results/history.db)" = "12 24" ] || fail "adding again changed the store"
# The slower 12: a change point at run 13 in vfork only, a regression at the newest runs.
"$pb" history add --label job=42 fx/s-{12..23}.json >/dev/null 2>err || fail "add 12 more: $(cat err)"
"$pb" history check >out 2>err
rc=$?
[ $rc -eq 1 ] || fail "check with vfork +10% at the newest runs: exit $rc, not 1: $(cat out err)"
grep -q '^vfork on .*: 24 runs checked$' out && grep -q '^  change at run 13: x1\.' out &&
	grep -q 'REGRESSION at the newest runs' out && ! grep -q '^thread-pthread' out ||
	fail "check did not find vfork's step at run 13 alone: $(cat out)"
"$pb" history check --format json >check.json || true
/usr/bin/python3 - check.json <<'PY' || fails=$((fails + 1))
import json, sys
d = json.load(open(sys.argv[1]))
assert d["regressed"] is True, d["regressed"]
s = {x["bench"]: x for x in d["series"]}
assert s["thread-pthread"]["change_points"] == [], s["thread-pthread"]
(c,) = s["vfork"]["change_points"]
assert c["run"] == 13 and c["newest"] and c["regression"], c
assert 1.05 < c["ratio"] < 1.15 and c["ratio_ci_lo"] > 1.02 and c["p"] <= 0.03, c
assert c["before"]["labels"] == {"job": "41", "note": "first half"} and c["after"]["labels"] == {"job": "42"}, c
assert c["before"]["segment_runs"] == 12 and c["after"]["segment_runs"] == 12, c
assert c["after"]["kernel_commit"] == "v6.1-rc1-7-gabc", c["after"]
PY
# Beyond the step only with a threshold above it: +10% does not fail a 20% threshold.
"$pb" history check --threshold 20 >out 2>&1
[ $? -eq 0 ] || fail "check --threshold 20 failed on a +10% step: $(cat out)"
# A window of the newest 12 runs holds no change.
"$pb" history check --window 12 >out 2>&1
[ $? -eq 0 ] && grep -q '0 change points' out || fail "check --window 12: $(cat out)"
# show: the runs in order, their medians and CIs, the kernel's commit and the labels.
"$pb" history show vfork >out 2>err || fail "show: $(cat err)"
[ "$(grep -c '^ *[0-9][0-9]*  ' out)" = 24 ] || fail "show vfork: not 24 runs: $(cat out)"
grep -q '^ *13  .* v6.1-rc1-7-gabc .*"job":"42"' out || fail "show: run 13 without its commit or labels: $(sed -n 15,16p out)"
"$pb" history show --last 3 --format json thread-pthread >show.json || fail "show --format json"
/usr/bin/python3 - show.json <<'PY' || fails=$((fails + 1))
import json, sys
d = json.load(open(sys.argv[1]))
(s,) = d["series"]
assert s["bench"] == "thread-pthread" and s["runs"] == 24 and s["time_base"] == "wall", s
assert [p["run"] for p in s["points"]] == [22, 23, 24], [p["run"] for p in s["points"]]
p = s["points"][0]
assert p["status"] == "ok" and p["ci_lo_ns"] <= p["median_ns"] <= p["ci_hi_ns"] and p["samples"] > 1, p
PY

# The gate after a regression: a further slowdown keeps it failing (the newest runs against the
# runs before the first slowdown), a fix clears it. 12 runs, 12 at +10%, then 6 at +12.5% or
# 8 back at the start (2% noise).
for i in $(seq 12); do echo "vfork=1"; done >chain
for i in $(seq 12); do echo "vfork=1.10"; done >>chain
cp chain fixed
for i in $(seq 6); do echo "vfork=1.125"; done >>chain
for i in $(seq 8); do echo "vfork=1"; done >>fixed
mkdir gate
for spec in chain fixed; do
	/usr/bin/python3 "$fixture" base.json gate $spec @$spec 11 || exit 1
done
"$pb" history add --db chain.db $(for i in $(seq 0 29); do echo gate/chain-$i.json; done) >/dev/null 2>err || fail "add chain: $(cat err)"
"$pb" history check --db chain.db >out 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q '^  REGRESSION at the newest runs: x1\.1[0-9]* .* since run 13' out ||
	fail "a regression followed by more slowdown passed the gate (exit $rc): $(cat out)"
"$pb" history add --db fixed.db $(for i in $(seq 0 31); do echo gate/fixed-$i.json; done) >/dev/null 2>err || fail "add fixed: $(cat err)"
"$pb" history check --db fixed.db >out 2>&1 || fail "a regression then its fix: exit $?: $(cat out)"

# Names are kept whole (never cut inside a character), and a store is always the file named.
/usr/bin/python3 - fx/s-0.json fx/long.json <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
d["context"]["host_name"] = "H" * 596 + "\u00e9" * 10
d["context"]["run_id"] = "1" * 32
d["context"]["samples_file"] = "long.samples.tsv"
json.dump(d, open(sys.argv[2], "w"))
t = open(sys.argv[1].replace(".json", ".samples.tsv")).read().split("\n")
open(sys.argv[2].replace(".json", ".samples.tsv"), "w").write("\n".join("# run_id " + "1" * 32 if l.startswith("# run_id") else l for l in t))
PY
"$pb" history add --db long.db fx/long.json >/dev/null 2>err || fail "a long host name: $(cat err)"
"$pb" history list --db long.db --format json | /usr/bin/python3 -c '
import json, sys
(s, _) = json.load(sys.stdin)["series"]
assert s["machine"].startswith("H" * 596 + "\u00e9" * 10 + " ("), s["machine"][590:620]' || fail "a long host name was cut"
"$pb" history add --db 'file:mem.db?mode=memory' fx/s-0.json >/dev/null 2>err || fail "add --db file:...: $(cat err)"
[ -s 'file:mem.db?mode=memory' ] || fail "--db 'file:mem.db?mode=memory' did not write that file"
"$pb" history list --db 'file:mem.db?mode=memory' | grep -q '^vfork ' || fail "list --db file:... does not find its runs"
"$pb" history add --db :memory: fx/s-0.json >/dev/null 2>err && [ -s :memory: ] || fail "--db :memory: is not a file"

# Another machine, and another time base, are other series.
/usr/bin/python3 "$fixture" base.json fx other 2:1 3 other-host || exit 1
"$pb" history add fx/other-0.json >/dev/null 2>err || fail "add from another host: $(cat err)"
"$pb" history add --machine ci-runner-7 fx/other-1.json >/dev/null 2>err || fail "add --machine: $(cat err)"
/usr/bin/python3 - fx/s-0.json fx/tb.json <<'PY' || exit 1
import json, sys, shutil
d = json.load(open(sys.argv[1]))
d["context"]["time_base"] = "instructions"
d["context"]["run_id"] = "0" * 32
d["context"]["samples_file"] = "tb.samples.tsv"
json.dump(d, open(sys.argv[2], "w"))
t = open(sys.argv[1].replace(".json", ".samples.tsv")).read().split("\n")
open(sys.argv[2].replace(".json", ".samples.tsv"), "w").write("\n".join("# run_id " + "0" * 32 if l.startswith("# run_id") else l for l in t))
PY
"$pb" history add fx/tb.json >/dev/null 2>err || fail "add in instructions: $(cat err)"
"$pb" history list --format json >list.json || fail "list --format json"
/usr/bin/python3 - list.json <<'PY' || fails=$((fails + 1))
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((s["bench"], s["machine"].split(" ")[0], s["time_base"], s["runs"]) for s in d["series"])
want = sorted([(b, m, tb, n) for b in ("thread-pthread", "vfork") for (m, tb, n) in
               (("vm", "wall", 24), ("other-host", "wall", 1), ("ci-runner-7", "wall", 1), ("vm", "instructions", 1))])
assert sorted(got) == sorted(want), got
PY
"$pb" history list --time-base wall >/dev/null 2>err && fail "list took --time-base (a show and check option)"

# Refusals: one line, exit 2, the store unchanged.
before=$(count results/history.db)
echo '{"context": {}' >fx/bad.json
refuse() { # words, command...
	local what=$1
	shift
	"$@" >out 2>err
	local rc=$?
	[ $rc -eq 2 ] || fail "$what: exit $rc, not 2"
	[ "$(wc -l <err)" -eq 1 ] && grep -q '^procbench history: ' err || fail "$what: not one line: $(cat err)"
	[ "$(count results/history.db)" = "$before" ] || fail "$what changed the store"
}
refuse "a file validate refuses" "$pb" history add fx/bad.json
refuse "a missing file" "$pb" history add fx/none.json
refuse "files after a bad one" "$pb" history add fx/bad.json fx/other-1.json
grep -q '0 of 2 files added before it' err || fail "the bad-file message does not say what was added: $(cat err)"
refuse "no files" "$pb" history add
refuse "no command" "$pb" history
refuse "an option before the command" "$pb" history --db x.db list
refuse "an unknown command" "$pb" history frobnicate
refuse "an unknown option" "$pb" history list --frob
refuse "a bad label" "$pb" history add --label nokey fx/s-0.json
refuse "a label key twice" "$pb" history add --label a=1 --label a=2 fx/s-0.json
refuse "a bad threshold" "$pb" history check --threshold 0
refuse "a bad window" "$pb" history check --window 2
refuse "a bad alpha" "$pb" history check --alpha 1
refuse "a bad time base" "$pb" history show --time-base cycles
refuse "a bad machine pattern" "$pb" history show --machine '('
refuse "--label to check" "$pb" history check --label a=b
refuse "a missing value" "$pb" history check --window
refuse "a bench with no series" "$pb" history show nosuch
refuse "a missing store" "$pb" history list --db nothere.db
refuse "a FIFO as the store" sh -c "mkfifo fifo.db; exec '$pb' history add --db fifo.db fx/s-0.json"
refuse "a folder without its parent" "$pb" history add --db no/such/dir/h.db fx/s-0.json
[ ! -e no ] || fail "add made folders for the store"
"$pb" history --help | grep -q 'usage: procbench history' || fail "history --help"
[ $fails -eq 0 ]
