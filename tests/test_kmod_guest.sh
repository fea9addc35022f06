#!/usr/bin/env bash
# Kernel threads (bench/kmod/, bench/kthread.c): on the host, without the module, the kthread
# methods are skips that say how to build and load it, and a release without headers is one
# line from ci/kmod-build. In the 6.1 guest (ci/kernel-run builds the module for it and loads
# it): malformed requests refused, every sample of each kind in order, kthread-run's module
# round trip against the ioctl seen by tracepoints, rmmod refused while a run holds the device
# and clean once it is gone (no pb-kthread thread left), and the three methods run in procbench.
# timeout: 600
# (one boot and the module's build, headers cached: 94 s and 91 s with two CPU hogs and other
# work running, load average 8-9 on 2 cores)
# lane: guest
set -u
fails=0
pb=$B/procbench
out=$("$pb" --list 2>&1)
for m in kthread-run kthread-stop kthread-worker; do
	if [ -e /dev/procbench-kthread ]; then break; fi
	echo "$out" | grep -q "^  $m  *the procbench-kthread module is not loaded (no /dev/procbench-kthread): build it with \`make kmod" ||
		{ echo "FAIL: $m's skip does not say how to load the module: $(echo "$out" | grep "$m")"; fails=$((fails + 1)); }
done
out=$(ci/kmod-build 0.0.0-none 2>&1)
rc=$?
[ $rc -eq 2 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && echo "$out" | grep -q "no headers for 0.0.0-none" ||
	{ echo "FAIL: ci/kmod-build of a release without headers ($rc): $out"; fails=$((fails + 1)); }

. tests/kernel_setup.sh
probe="$B/tests/kmod-probe"
[ -x "$probe" ] || { echo "skip: $probe not built"; exit 77; }
cat >"$tmp/unload.sh" <<'SH'
/pb/kmod-probe 200
echo "probe exit $?"
/pb/procbench --no-counters -f '^kthread-run$' --time-budget 60 --min-time 60 --format console -q >/dev/null 2>&1 &
p=$!; sleep 2
rmmod procbench_kthread 2>/dev/null && echo "rmmod under load: unloaded" || echo "rmmod under load: refused"
kill -INT $p; wait $p
rmmod procbench_kthread && echo "rmmod after: unloaded"
echo "kernel threads left: $(ps | grep -c '[p]b-k')"
insmod /pb/procbench_kthread.ko && echo "reloaded"
SH
out=$(PB_GUEST_FILES="$probe $tmp/unload.sh" PB_GUEST_RUN="sh /pb/unload.sh" PB_KERNEL_OUT="$tmp/out" \
	timeout 540 ci/kernel-run $k --no-counters --quick -f '^kthread-' 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$out" | grep -q "cannot download"; then
	echo "skip: $out"
	exit 77
fi
[ $rc -eq 0 ] || { echo "boot or run failed ($rc): $out"; exit 1; }
cat "$tmp/out/guest-run.txt"
for want in "malformed requests refused: yes" "200 samples of each kind, every one in order: yes" "probe exit 0" \
	"rmmod under load: refused" "rmmod after: unloaded" "kernel threads left: 0" "reloaded"; do
	grep -qx "$want" "$tmp/out/guest-run.txt" || { echo "FAIL: wanted '$want'"; fails=$((fails + 1)); }
done
/usr/bin/python3 - "$tmp/out/r.json" <<'PY' || fails=$((fails + 1))
import json, sys
d = json.load(open(sys.argv[1]))
assert d["context"]["kthread_module"].startswith("built for "), d["context"]["kthread_module"]
got = {b["name"]: b for b in d["benchmarks"]}
assert sorted(got) == ["kthread-run", "kthread-stop", "kthread-worker"], sorted(got)
for n, b in got.items():
    ph = b["phases"]
    print(f'{n}: {b["status"]}, round trip {b.get("real_time", 0):.0f} instructions, '
          f'parent {ph.get("parent_return", {}).get("p50", 0):.0f}, thread {ph.get("child_running", {}).get("p50", 0):.0f}')
    assert b["status"] == "ok" and b["real_time"] > 0, b
PY
[ $fails -eq 0 ]
