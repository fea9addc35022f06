#!/usr/bin/env bash
# ci/kernel-run boots a Debian kernel under qemu and brings results out; a panicking kernel, a failing run inside and a missing image are clear errors (exit 2) within the time bound, leaving no qemu behind.
# timeout: 900
# (three boots: 115 s and 391 s with two CPU hogs and other work running, load average 8-10
# on 2 cores)
# lane: guest
set -u
. tests/kernel_setup.sh
export PB_QEMU_ACCEL=${PB_QEMU_ACCEL:-}
# kernel-run's work folders (the -initrd path on qemu's command line) under this test's own
# folder, so the check finds this test's qemu and nobody else's (a LAVA job's, another test's).
mkdir "$tmp/w"
export TMPDIR=$tmp/w
no_qemu_left() { ! pgrep -f "qemu-system-x86_64.*$tmp/" >/dev/null; }

# A real boot (the package download may fail offline: then skip).
out=$(PB_KERNEL_OUT="$tmp/ok" timeout 400 ci/kernel-run $k --quick --no-counters --filter '^(fork|uring-waitid)$' --time-budget 0.2 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$out" | grep -q "cannot download"; then
	echo "skip: $out"
	exit 77
fi
[ $rc -eq 0 ] || { echo "boot failed ($rc): $out"; exit 1; }
/usr/bin/python3 - "$tmp/ok/r.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
c = d["context"]
assert c["kernel_release"].startswith("6.1."), c["kernel_release"]
assert "emulat" in c["emulation"] or "kvm" in c["emulation"], c["emulation"]
# Without usable KVM the default is the deterministic mode, recorded as such.
if c["qemu_mode"] == "icount":
    assert c["time_base"] == "instructions", c["time_base"]
    assert "nokaslr" in c["determinism_options"] and "-icount shift=0,sleep=off" in c["qemu_options"], c
else:
    assert c["time_base"] == "wall", c["time_base"]
b = {x["name"]: x for x in d["benchmarks"]}
assert b["fork"]["status"] == "ok" and b["fork"]["real_time"] > 0
# Debian's 6.1 lacks IORING_OP_WAITID: a skip naming it.
assert b["uring-waitid"]["status"] == "skipped" and "IORING_OP_WAITID" in b["uring-waitid"]["skip_reason"], b["uring-waitid"]
print("booted", c["kernel_release"], "fork", round(b["fork"]["real_time"] / 1000), "us;", c["emulation"][:40])
PY

# A kernel that panics (no init to run): exit 2 naming the panic, not the time bound (which
# would be "no result within"; generous, so that a slow machine does not decide the verdict).
out=$(PB_KERNEL_TIMEOUT=400 PB_KERNEL_OUT="$tmp/panic" ci/kernel-run --append "rdinit=/nonexistent init=/nonexistent" $k --quick 2>&1)
rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "panicked" || { echo "panic case ($rc): $out"; exit 1; }
# A run that fails inside: procbench refuses its options, no results file.
out=$(PB_KERNEL_OUT="$tmp/bad" ci/kernel-run $k --bogus-option 2>&1)
rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "without a results file" || { echo "failing run ($rc): $out"; exit 1; }
# A missing image.
out=$(ci/kernel-run "$tmp/no/such/vmlinuz" 2>&1)
rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "not found" || { echo "missing image ($rc): $out"; exit 1; }
sleep 0.5
no_qemu_left || { echo "a qemu process was left behind"; pgrep -af "qemu-system-x86_64.*$tmp/"; exit 1; }
[ -z "$(ls -A "$tmp/w")" ] || { echo "work folders left behind: $(ls "$tmp/w")"; exit 1; }
echo "panic, failing run and missing image: clear errors, exit 2, no qemu left"
