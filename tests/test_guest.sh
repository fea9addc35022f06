#!/usr/bin/env bash
# One boot of the suite's foreign arch (make ARCH=aarch64|riscv64 check) in deterministic
# instruction time runs what qemu-user cannot: the C tests qemu-user skips (clone3, vfork's
# shared memory, exec, the TLS checks) and every method, with no skip the kernel does not
# explain: clone3-settls and thread-clone3 prove their thread pointer (tpidr_el0, tp) on every
# sample, the kthread methods run on the module built for that kernel. Performance counters:
# qemu emulates arm64's PMU, and under icount its instruction count is what the guest's clock
# counts (in the --trace boot, counters on): fork's instructions (user + kernel, per creation, in the counting batches) against
# task-clock over the same batches is printed, and on arm64 must be 0.8..1.05 (the rest is
# work the PMU does not see: perf's own context-switch code with counting stopped).
# --trace runs there too (a second boot). In the native build the
# C tests run natively and test_kernel_run boots the x86_64 guest: skipped there.
# runs-cross
# timeout: 900
# lane: guest
set -u
. tests/guest_setup.sh
[ "$g" != "$(uname -m)" ] || { echo "skip: the native C tests run on this host; test_kernel_run boots the $g guest"; exit 77; }
start=$(date +%s)
out=$(PB_GUEST_TESTS=1 PB_KERNEL_OUT="$tmp/run" ci/kernel-run --arch "$g" --mode icount "$k" --quick --no-counters 2>&1)
rc=$?
[ $rc -eq 0 ] || { guest_skip "$out"; echo "the $g guest run exited $rc: $out"; exit 1; }
echo "one $g boot, C tests and every method, in $(($(date +%s) - start)) s"
fails=0
[ -s "$tmp/run/tests/rc" ] || { echo "no C test ran in the guest"; ls -R "$tmp/run"; exit 1; }
while read -r name rc; do
	case $rc in
	0) echo "guest PASS $name" ;;
	77) echo "guest SKIP $name: $(tail -n 1 "$tmp/run/tests/$name.txt")" ;;
	*) echo "guest FAIL $name (exit $rc):"; sed 's/^/    /' "$tmp/run/tests/$name.txt"; fails=$((fails + 1)) ;;
	esac
done <"$tmp/run/tests/rc"
# What qemu-user skips must run here: no skip of a method or test for clone3, vfork or exec.
for name in test_methods test_settls test_syscall test_exec_target test_batch_creator test_ktrace; do
	grep -q "^$name 0$" "$tmp/run/tests/rc" || { echo "$name did not pass in the guest"; fails=$((fails + 1)); }
done
if grep -l "ENOSYS\|does not share memory\|cannot exec" "$tmp/run/tests/"*.txt 2>/dev/null; then
	echo "a C test in the $g guest skipped what only qemu-user lacks:"
	grep -h "ENOSYS\|does not share memory\|cannot exec" "$tmp/run/tests/"*.txt | sed 's/^/    /'
	fails=$((fails + 1))
fi
/usr/bin/python3 - "$tmp/run/r.json" "$g" <<'PY' || fails=$((fails + 1))
import json, sys
d = json.load(open(sys.argv[1]))
c = d["context"]
assert c["arch"] == sys.argv[2], c["arch"]
assert c["time_base"] == "instructions", c["time_base"]
assert c["kthread_module"].startswith("built for"), c["kthread_module"]
bad = []
for b in d["benchmarks"]:
    if b["status"] == "ok":
        continue
    # A skip the kernel explains (an io_uring opcode it lacks) is fine; nothing else is.
    if b["status"] == "skipped" and "this kernel lacks" in b.get("skip_reason", ""):
        print(f"  {b['name']}: skipped: {b['skip_reason']}")
        continue
    bad.append((b["name"], b["status"], b.get("skip_reason") or b.get("error")))
assert not bad, bad
tls = {b["name"]: b.get("tls_verified") for b in d["benchmarks"] if b["name"] in ("clone3-settls", "thread-clone3")}
assert tls == {"clone3-settls": True, "thread-clone3": True}, tls
ok = sum(b["status"] == "ok" for b in d["benchmarks"])
print(f"{sys.argv[2]} guest ({c['kernel_release']}): {ok} of {len(d['benchmarks'])} methods ok, TLS proved: {tls}")
PY
# --trace in the guest (mono_raw: the stamps are mapped onto it): the results file is valid and
# nearly every traced sample of the fork, vfork and thread shapes matched; on arm64, whose
# ret_from_fork traces no syscall exit for the child, every one matched with the child's return
# at its stamp, and an exec method is a skip that says why.
out=$(PB_KMOD=0 PB_KERNEL_OUT="$tmp/trace" ci/kernel-run --arch "$g" --mode icount "$k" --trace --quick \
	--filter '^(fork|vfork|thread-clone3|posix_spawn)$' 2>&1) || { echo "the traced $g run failed: $out"; exit 1; }
host_pb=build/$(uname -m)/procbench
env -u MAKEFLAGS -u MAKELEVEL make -s ARCH="$(uname -m)" "$host_pb" >/dev/null || { echo "cannot build $host_pb"; exit 1; }
"$host_pb" validate "$tmp/trace/r.json" || { echo "the traced $g results do not validate"; fails=$((fails + 1)); }
/usr/bin/python3 - "$tmp/trace/r.json" "$g" <<'PY' || fails=$((fails + 1))
import json, sys
d, arch = json.load(open(sys.argv[1])), sys.argv[2]
assert d["context"]["trace"]["status"] == "on", d["context"]["trace"]
# The PMU (counters are on in this run, off in the first).
fork = next(b for b in d["benchmarks"] if b["name"] == "fork")
cnt = fork.get("counters", {})
ins = [cnt.get(k, {}) for k in ("instructions:u", "instructions:k")]
if all(i.get("available") for i in ins):
    ratio = (ins[0]["per_creation"] + ins[1]["per_creation"]) / cnt["task-clock"]["per_creation"]
    print(f"fork: {ins[0]['per_creation'] + ins[1]['per_creation']:.0f} instructions per creation (PMU), "
          f"task-clock {cnt['task-clock']['per_creation']:.0f} instruction-ns, ratio {ratio:.4f}; "
          f"round trip median {fork['real_time']:.0f}")
    assert 0.8 <= ratio <= 1.05, ratio
else:
    why = ins[0].get("reason") or ins[1].get("reason")
    print(f"fork: no instruction counter in this guest: {why}")
    assert sys.argv[2] != "aarch64", "qemu's arm64 PMU gave no instruction count"
for b in d["benchmarks"]:
    t = b["kernel_trace"]
    print(f"  --trace {b['name']}: {t['status']}, {t.get('matched')} of {t.get('traced_samples')} matched"
          + (", the child's return at its stamp" if t.get("child_return") else "")
          + (f": {t['reason']}" if t.get("reason") else ""))
    if arch == "aarch64" and b["name"] == "posix_spawn":
        assert t["status"] == "skipped" and "traced no syscall exit" in t["reason"], t
        continue
    assert t["status"] == "ok", (b["name"], t)
    if arch == "aarch64":
        assert t["matched"] == t["traced_samples"] and "child_return" in t, (b["name"], t)
        names = [p["name"] for p in t["phases"]]
        # The phases meet at tc, and say so; no point claims to be the child's syscall exit.
        assert any(n.endswith("_to_tc") for n in names), names
        assert "sys_exit_child" not in t["points_median_ns"], t["points_median_ns"]
    else:
        assert t["matched"] >= 0.9 * t["traced_samples"], (b["name"], t)
PY
[ $fails -eq 0 ]
