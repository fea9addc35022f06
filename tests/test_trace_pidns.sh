#!/usr/bin/env bash
# --trace in a PID namespace (unshare -p -f, with the host's /proc and with its own) is skipped with the reason before any instance is made, and its stale-instance cleanup removes nothing: tracefs filters and prints the initial namespace's pids, which the namespace's do not match (a fake tracefs folder: no test traces the host).
set -u
pb=$B/procbench
[ "${SAN:-}" != 1 ] || { echo "skip: run in the plain build"; exit 77; }
command -v unshare >/dev/null || { echo "skip: unshare not installed (util-linux)"; exit 77; }
unshare -p -f true 2>/dev/null || { echo "skip: this user cannot make a PID namespace (unshare -p -f: needs root or user namespaces)"; exit 77; }
tmpd=$(mktemp -d)
trap 'rm -rf "$tmpd"' EXIT
mkdir -p "$tmpd/fs/instances"
fails=0
# Instances the namespace must not touch: a live one of this shell (old and new names, as the
# host's procbench would have made it), and one whose pid is free in the namespace.
st=$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)
mkdir "$tmpd/fs/instances/procbench-$$" "$tmpd/fs/instances/procbench-$$-$st" "$tmpd/fs/instances/procbench-7-1"
want=$(printf '%s\n' "procbench-$$" "procbench-$$-$st" procbench-7-1 | sort | tr '\n' ' ')
for proc in "" --mount-proc; do
	# (a chroot whose / is no mount point cannot have a /proc of its own mounted privately)
	if [ -n "$proc" ] && ! unshare -p -f $proc true 2>/dev/null; then
		echo "skip: unshare -p -f $proc cannot run here (a chroot?): that case is not run"
		continue
	fi
	out=$(PROCBENCH_TRACEFS=$tmpd/fs unshare -p -f $proc "$pb" --trace --no-counters --count 20 -f '^vfork$' \
		-o "$tmpd/r.json" -q 2>&1)
	rc=$?
	echo "$out" | grep -q "^procbench: --trace skipped: procbench runs in a PID namespace (pid [0-9]* here[^)]*), and tracefs filters and names tasks by the initial namespace's pids; run it in the initial PID namespace (not under unshare -p or in a container's); the run goes on untraced$" &&
		[ $rc -eq 0 ] && /usr/bin/python3 - "$tmpd/r.json" <<'PY' || { echo "FAIL: unshare -p -f $proc: want the namespace skip, exit 0 ($rc): $out"; fails=$((fails + 1)); }
import json, sys
d = json.load(open(sys.argv[1]))
t = d["context"]["trace"]
assert t["status"] == "skipped" and "PID namespace" in t["reason"], t
b = d["benchmarks"][0]
assert b["status"] == "ok" and b["iterations"] == 20 and "kernel_trace" not in b, b
PY
	got=$(ls "$tmpd/fs/instances" | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || { echo "FAIL: unshare -p -f $proc: instances '$got', want '$want' (none made, none removed)"; fails=$((fails + 1)); }
done
# With the host's /proc, NSpid names the pid outside too.
out=$(PROCBENCH_TRACEFS=$tmpd/fs unshare -p -f "$pb" --trace --no-counters --count 5 -f '^vfork$' --format console 2>&1)
echo "$out" | grep -q "^kernel phases (--trace): skipped: procbench runs in a PID namespace (pid [0-9]* here, [0-9]* outside)" ||
	{ echo "FAIL: the console's skip line: $out"; fails=$((fails + 1)); }
[ $fails -eq 0 ]
