#!/usr/bin/env bash
# --trace end to end, in a qemu guest so no test writes to the host's tracefs: the four methods
# of docs/trace.md's worked example, a thread and io_uring's SQ thread traced in a quick run
# (a shape each), every traced sample matched to its
# creation's kernel events with its stamps in order (a stamp out of order would be an error),
# each shape's phases summarized; the instance removed when the run ends, when SIGINT stops it,
# and (by the next run) after SIGKILL. In the same boot: in a PID namespace (busybox unshare -p
# -f, with the guest's /proc and with its own) --trace is a skip with the reason and makes no
# instance (it said "28 traced, 0 matched", ok), and an instance of procbench's name already
# there is not taken over. The host side: --trace without tracefs or without root is a skip with
# the reason, and the run goes on untraced.
# lane: guest
set -u
fails=0
pb=$B/procbench
# Host: a tracefs folder that is not one (no instances/): skipped with its reason, run unchanged.
tmpd=$(mktemp -d)
trap 'rm -rf "$tmpd"' EXIT
out=$(PROCBENCH_TRACEFS=$tmpd/none "$pb" --trace --no-counters --count 20 -f '^vfork$' -o "$tmpd/s.json" -q 2>&1)
rc=$?
echo "$out" | grep -q "^procbench: --trace skipped: PROCBENCH_TRACEFS=$tmpd/none has no instances folder; the run goes on untraced$" &&
	[ $rc -eq 0 ] && /usr/bin/python3 - "$tmpd/s.json" <<'PY' || { echo "FAIL: no-tracefs skip ($rc): $out"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
t = d["context"]["trace"]
assert t["status"] == "skipped" and "no instances folder" in t["reason"], t
b = d["benchmarks"][0]
assert b["status"] == "ok" and b["iterations"] == 20 and "kernel_trace" not in b, b
PY
# Host, not root: tracefs not open to this user (like /sys/kernel/tracing, mode 0700), then an
# instances folder this user cannot write: each a skip with its reason, the run goes on.
# The programs are copied where that user can run them (the tree may sit under a 0700 /root).
mkdir -p "$tmpd/fake/instances" "$tmpd/bin"
cp "$pb" "$B/procbench-creator" "$B/procbench-exec-target" "$tmpd/bin/"
chmod 711 "$tmpd"           # our own temporary folders: the programs reachable,
chmod 700 "$tmpd/fake"      # the fake tracefs not (then, below, reachable but not writable)
asnobody() { PROCBENCH_TRACEFS=$tmpd/fake setpriv --reuid=65534 --regid=65534 --clear-groups "$tmpd/bin/procbench" --trace --no-counters --count 20 -f '^vfork$' --format console 2>&1; }
for why in "tracing needs root: tracefs is there but not open to this user" \
	"cannot make a tracefs instance in $tmpd/fake: Permission denied (tracing needs root)"; do
	out=$(asnobody)
	rc=$?
	echo "$out" | grep -qF "procbench: --trace skipped: $why; the run goes on untraced" &&
		echo "$out" | grep -q "^kernel phases (--trace): skipped: " && echo "$out" | grep -q "^vfork  *20 " &&
		[ $rc -eq 0 ] || { echo "FAIL: not root, want '$why' ($rc): $out"; fails=$((fails + 1)); }
	chmod 755 "$tmpd/fake"
done
[ -z "$(ls "$tmpd/fake/instances")" ] || { echo "FAIL: an instance was left in the fake tracefs"; fails=$((fails + 1)); }

# The guest.
. tests/kernel_setup.sh
cat >"$tmp/signals.sh" <<'SH'
T=/sys/kernel/tracing/instances
for p in "" --mount-proc; do
	busybox unshare -p -f $p /pb/procbench --trace --no-counters --count 20 -f '^(fork|vfork)$' --format console >/tmp/ns.txt 2>&1
	echo "pidns$p: exit $?, $(grep -c '^procbench: --trace skipped: procbench runs in a PID namespace' /tmp/ns.txt) skip, $(grep -c ' matched' /tmp/ns.txt) matched, instances: $(echo $T/*)"
done
cat /tmp/ns.txt
sh -c 'mkdir $0/procbench-$$-$(cut -d" " -f22 /proc/$$/stat) && exec /pb/procbench --trace --no-counters --count 20 -f "^fork$" --format console' $T >/tmp/ex.txt 2>&1
echo "exists: exit $?, $(grep -c '^procbench: --trace skipped: the tracefs instance .* already exists (another program.s); not taken over' /tmp/ex.txt) skip, instances: $(echo $T/*)"
rmdir $T/procbench-*
run() { /pb/procbench --trace --no-counters -f '^fork$' --time-budget 60 --min-time 60 --format console -q >/dev/null 2>&1 & }
run; p=$!; sleep 3; echo "while running: $(echo $T/*)"
kill -INT $p; wait $p; echo "SIGINT: exit $?, instances: $(echo $T/*)"
run; p=$!; sleep 3; kill -KILL $p; wait $p; echo "SIGKILL: exit $?, instances: $(echo $T/procbench-*)"
SH
out=$(PB_GUEST_FILES="$tmp/signals.sh" PB_GUEST_RUN="sh /pb/signals.sh" \
	PB_GUEST_AFTER='echo "after the run: $(echo /sys/kernel/tracing/instances/*)"' PB_KERNEL_OUT="$tmp/out" \
	timeout 900 ci/kernel-run $k --trace --quick --no-counters -f '^(fork|vfork|clone3-settls|posix_spawn|thread-clone3|uring-sqpoll)$' 2>&1)
rc=$?
if [ $rc -eq 2 ] && echo "$out" | grep -q "cannot download"; then
	echo "skip: $out"
	exit 77
fi
[ $rc -eq 0 ] || { echo "boot or run failed ($rc): $out"; exit 1; }
cat "$tmp/out/guest-run.txt" "$tmp/out/guest-after.txt"
for p in "" --mount-proc; do
	grep -q "^pidns$p: exit 0, 1 skip, 0 matched, instances: /sys/kernel/tracing/instances/\*$" "$tmp/out/guest-run.txt" ||
		{ echo "FAIL: in a PID namespace (unshare -p -f $p), want the skip and no instance"; fails=$((fails + 1)); }
done
grep -q "^exists: exit 0, 1 skip, instances: /sys/kernel/tracing/instances/procbench-[0-9]*-[0-9]*$" "$tmp/out/guest-run.txt" ||
	{ echo "FAIL: an existing instance of procbench's name was taken over or removed"; fails=$((fails + 1)); }
grep -q "^while running: /sys/kernel/tracing/instances/procbench-[0-9]*-[0-9]*$" "$tmp/out/guest-run.txt" ||
	{ echo "FAIL: no instance while a traced run ran"; fails=$((fails + 1)); }
grep -q "^SIGINT: exit 130, instances: /sys/kernel/tracing/instances/\*$" "$tmp/out/guest-run.txt" ||
	{ echo "FAIL: SIGINT left an instance (or the exit status is not 130)"; fails=$((fails + 1)); }
grep -q "^SIGKILL: exit 137, instances: /sys/kernel/tracing/instances/procbench-[0-9]*-[0-9]*$" "$tmp/out/guest-run.txt" ||
	{ echo "FAIL: SIGKILL's instance is not there for the next run to clean"; fails=$((fails + 1)); }
grep -q "^after the run: /sys/kernel/tracing/instances/\*$" "$tmp/out/guest-after.txt" ||
	{ echo "FAIL: the next run did not clean the stale instance, or left its own"; fails=$((fails + 1)); }
/usr/bin/python3 - "$tmp/out/r.json" <<'PY' || fails=$((fails + 1))
import json, sys
d = json.load(open(sys.argv[1]))
assert d["context"]["trace"] == {"status": "on", "clock": "x86-tsc", "stamps_checked": True}, d["context"]["trace"]
want = {"fork": "fork", "vfork": "vfork", "clone3-settls": "fork", "posix_spawn": "spawn",
        "thread-clone3": "thread", "uring-sqpoll": "io_thread"}
checks = {"io_thread": 2}  # the SQ thread never returns to user space, nor is it waited for
bad = 0
for b in d["benchmarks"]:
    t = b.get("kernel_trace", {})
    ph = {p["name"]: p for p in t.get("phases", [])}
    print(f'{b["name"]}: {b["status"]}, {t.get("traced_samples")} traced, {t.get("matched")} matched, '
          f'{t.get("stamp_checks_passed")} checks, inflation {t.get("inflation", 0):.2f}: ' +
          ", ".join(f'{n} {p["summary"]["p50"]:.0f}' for n, p in ph.items() if "summary" in p))
    io = t.get("shape") == "io_thread"
    first = "io_uring_setup" if io else "copy_process"
    # The SQ thread costs milliseconds a sample (it polls), and its first switch-in is seen only
    # from a traced task (no sched_process_fork follows it into the pid filter): child_wait may
    # have no samples there; every other phase of every shape has all of them.
    ok = (b["status"] == "ok" and t.get("shape") == want.get(b["method"])
          and t["traced_samples"] >= (5 if io else 20) and t["matched"] == t["traced_samples"]
          and t["stamp_checks_passed"] == checks.get(t["shape"], 4) * t["matched"]
          and t["events_lost"] == 0 and first in ph and ph[first]["n"] == t["matched"]
          and all(p["summary"]["p50"] > 0 for p in ph.values() if p["name"] != "entry" and "summary" in p)
          and all(p["n"] == t["matched"] for p in ph.values() if not (io and p["name"] == "child_wait")))
    if b["method"] == "posix_spawn":
        ok = ok and ph["exec_load"]["summary"]["p50"] > ph["exec_return"]["summary"]["p50"]
    if not ok:
        print("FAIL:", b["name"], json.dumps(t)[:800])
        bad += 1
sys.exit(1 if bad or len(d["benchmarks"]) != 6 else 0)
PY
[ $fails -eq 0 ]
