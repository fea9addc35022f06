#!/usr/bin/env bash
# Tracing the kernel's side of a creation (issue 15, in progress), in a qemu guest so no test
# writes to the host's tracefs: tests/trace_probe.c makes a private tracefs instance on the
# counter's clock, forks 30 times, and every fork's kernel phases are matched with its user
# stamps in order (t0 < syscall entry, t1 > its exit, tc > the child's return, t2 > the wait).
set -u
. tests/kernel_setup.sh
probe="$B/tests/trace-probe"
[ -x "$probe" ] || { echo "skip: $probe not built"; exit 77; }
out=$(PB_GUEST_FILES="$probe" PB_GUEST_RUN="/pb/trace-probe 30" PB_KERNEL_OUT="$tmp/out" \
	timeout 300 ci/kernel-run $k --no-counters --count 3 --filter '^null$' 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$out" | grep -q "cannot download"; then
	echo "skip: $out"
	exit 77
fi
[ $rc -eq 0 ] || { echo "boot failed ($rc): $out"; exit 1; }
cat "$tmp/out/guest-run.txt"
[ "$(cat "$tmp/out/guest-run.rc")" = 0 ] || { echo "trace-probe exited $(cat "$tmp/out/guest-run.rc")"; exit 1; }
grep -q "30 matched, 0 stamps out of order" "$tmp/out/guest-run.txt" || exit 1
# Closing removes the instance (trace-probe checks that its folder is gone).
grep -q "^instance removed" "$tmp/out/guest-run.txt" || { echo "the instance was not removed"; exit 1; }
