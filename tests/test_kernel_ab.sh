#!/usr/bin/env bash
# Known answer: an A/A of one kernel in deterministic instruction time (qemu icount), two boots
# a side in one memory layout (--same-layout; kernel-ab's default varies it per boot), for the suite's guest arch (x86_64 natively, aarch64 or riscv64 under make ARCH=...),
# exits 0 with every benchmark "no change" at a 1% threshold and each benchmark's boot-to-boot
# spread at most 0.01% (identical boots give 0.000%: tests/test_initramfs_repro.sh and
# ci/kernel-run's determinism list); each boot's run id is its own, the one ci/kernel-run drew on
# the host (identical guests could draw identical ids). Bad modes are one-line errors. With
# --history, each boot went into the history store labelled with its kernel, side and boot,
# in one series per benchmark (the guest's machine, instruction time), and check finds no
# change point in runs that agree exactly.
# runs-cross
# timeout: 900
# (four boots, about 75 s of CPU: 151 s and 465 s with two CPU hogs and other work running,
# load average 8-9 on 2 cores)
# lane: guest
set -u
. tests/guest_setup.sh
out=$(ci/kernel-ab --arch "$g" $k $k --mode bogus 2>&1)
[ $? -eq 2 ] && echo "$out" | grep -q "unknown --mode 'bogus'" || { echo "kernel-ab --mode bogus: $out"; exit 1; }
out=$(ci/kernel-run --arch "$g" --mode bogus $k 2>&1)
[ $? -eq 2 ] && echo "$out" | grep -q "unknown mode 'bogus'" || { echo "kernel-run --mode bogus: $out"; exit 1; }
# The methods whose arch code differs: fork, vfork, clone3 with its TLS, exec, threads.
sel='^(fork|vfork|posix_spawn|clone3|clone3-settls|thread-pthread|thread-clone3)$'
start=$(date +%s)
rc=0
ci/kernel-ab --arch "$g" $k $k --mode icount --same-layout --boots 2 --threshold 1 --out "$tmp/aa" --history "$tmp/h.db" -- --quick --no-counters \
	--filter "$sel" >"$tmp/log" 2>&1 || rc=$?
[ $rc -eq 2 ] && guest_skip "$(cat "$tmp/log")"
[ $rc -eq 0 ] || { echo "A/A exited $rc"; cat "$tmp/log"; exit 1; }
echo "2x2 boots in $(($(date +%s) - start)) s"
/usr/bin/python3 - "$tmp/aa" "$tmp/log" "$g" <<'PY' || exit 1
import json, os, re, sys
d = sys.argv[1]
drawn = re.findall(r"^ci/kernel-run: booting .*, run id ([0-9a-f]{32}), limit", open(sys.argv[2]).read(), re.M)
names, ids = set(), []
for run in ("A-1", "A-2", "B-1", "B-2"):
    r = json.load(open(os.path.join(d, run, "r.json")))
    c = r["context"]
    assert c["arch"] == sys.argv[3], (run, c["arch"])
    ids.append(c["run_id"])
    assert c["time_base"] == "instructions" and c["qemu_mode"] == "icount", run
    assert c["determinism_options"] == ["nokaslr", "norandmaps", "randomize_kstack_offset=off"], c
    assert c["guest_layout"] == "0" and c["guest_layout_pad_bytes"] == "0", c
    # No kthread method selected: the module stays out of the kernel being compared.
    assert c["kthread_module"] == "not loaded: --filter selects no kthread method", c["kthread_module"]
    for b in r["benchmarks"]:
        assert b["status"] == "ok", (run, b["name"], b["status"])
        names.add(b["name"])
# The spreads are compare's own (each side's boot medians, the spread of each side, and the
# ratio between the sides): the same kernel booted four times agrees to 0.01%.
cmp = json.load(open(os.path.join(d, "compare.json")))
bad = []
for b in cmp["benchmarks"]:
    v = b["base_run_medians_ns"] + b["new_run_medians_ns"]
    print(f"{b['name']:16s} boot medians {' '.join('%.0f' % x for x in v)} instruction-ns, spread A "
          f"{b['base_spread'] * 100:.3f}%, B {b['new_spread'] * 100:.3f}%, B/A {b['ratio']:.6f}")
    if b["base_spread"] > 0.0001 or b["new_spread"] > 0.0001 or abs(b["ratio"] - 1) > 0.0001:
        bad.append(b["name"])
assert cmp["time_base"] == "instructions"
verdicts = {b["name"]: b["verdict"] for b in cmp["benchmarks"]}
assert all(v == "no change" for v in verdicts.values()), verdicts
page = open(os.path.join(d, "report", "index.html")).read()
assert "time base: guest instructions" in page, "the report does not say its time base"
assert not bad, f"boot-to-boot spread over 0.01%: {bad}"
assert len(names) == 7 and len(cmp["benchmarks"]) == 7, sorted(names)
assert len(set(ids)) == 4 and sorted(ids) == sorted(drawn), f"run ids {ids}, drawn on the host {drawn}"
PY
hpb=build/$(uname -m)/procbench
"$hpb" history check --db "$tmp/h.db" >"$tmp/check" 2>&1 || { echo "history check of an A/A:"; cat "$tmp/check"; exit 1; }
grep -q '^7 series, 28 runs checked in .*: 0 change points' "$tmp/check" || { cat "$tmp/check"; exit 1; }
"$hpb" history show --db "$tmp/h.db" --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d["series"]) == 7, len(d["series"])
for s in d["series"]:
    assert s["time_base"] == "instructions" and s["machine"].endswith(", qemu icount)"), s["machine"]
    got = [(p["labels"]["side"], p["labels"]["boot"]) for p in s["points"]]
    assert got == [("A", "1"), ("B", "1"), ("B", "2"), ("A", "2")], got
    assert all(p["labels"]["kernel"] == sys.argv[1] and p["labels"]["ab"] == "aa" and p["labels"]["layout"] == "0" for p in s["points"])
' "$k" || exit 1
