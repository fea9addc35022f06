#!/usr/bin/env bash
# --threads past a limit on tasks (ulimit -u here; kernel.threads-max, kernel.pid_max and the cgroup's pids.max the same way) or on one process's mappings (vm.max_map_count: a stack and a guard page per thread) is refused before any creator starts, one line naming the limit and the fix, exit 2; a request that fits runs. As nobody under a low RLIMIT_NPROC, so nothing here can create more than a few dozen tasks.
set -u
pb=$B/procbench
[ "${SAN:-}" != 1 ] || { echo "skip: run in the plain build"; exit 77; }
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && command -v prlimit >/dev/null ||
	{ echo "skip: needs root, setpriv and prlimit (util-linux) to run as nobody under a low ulimit -u"; exit 77; }
tmpd=$(mktemp -d)
trap 'rm -rf "$tmpd"' EXIT
cp "$pb" "$B/procbench-creator" "$B/procbench-exec-target" "$tmpd/"
mkdir "$tmpd/out"
chmod 711 "$tmpd"
chown 65534 "$tmpd/out"
fails=0
# nproc 100 for nobody: bounds everything below, whatever the checks do.
asnobody() { (cd "$tmpd" && prlimit --nproc=100 setpriv --reuid=65534 --regid=65534 --clear-groups \
	./procbench --no-counters --count 5 -f '^fork$' "$@" 2>&1); }
# The limit as it stands: a refusal names it, and how to fix it.
out=$(asnobody --threads 500 --format console)
rc=$?
[ $rc -eq 2 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] &&
	echo "$out" | grep -q "^procbench: the run's 1 creator with their --threads need 501 tasks at once, more than ulimit -u (RLIMIT_NPROC, tasks of this user) allows (100, [0-9]* in use); raise it, or ask for fewer --threads, --jobs or points$" ||
	{ echo "FAIL: --threads 500 under ulimit -u 100: want one line naming ulimit -u, exit 2 ($rc): $out"; fails=$((fails + 1)); }
maps=$(cat /proc/sys/vm/max_map_count)
out=$(asnobody --threads $((maps / 2)) --format console)
rc=$?
[ $rc -eq 2 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] &&
	echo "$out" | grep -q "^procbench: --threads $((maps / 2)) maps a stack and its guard page per thread, [0-9]* mappings in one creator, more than vm.max_map_count ($maps) allows; raise it with sysctl, or ask for fewer --threads$" ||
	{ echo "FAIL: --threads $((maps / 2)): want one line naming vm.max_map_count, exit 2 ($rc): $out"; fails=$((fails + 1)); }
# What fits runs, its threads there.
out=$(asnobody --threads 8 -o "$tmpd/out/r.json" -q)
rc=$?
[ $rc -eq 0 ] && /usr/bin/python3 - "$tmpd/out/r.json" <<'PY' || { echo "FAIL: --threads 8 under ulimit -u 100 ($rc): $out"; fails=$((fails + 1)); }
import json, sys
b = json.load(open(sys.argv[1]))["benchmarks"][0]
assert b["status"] == "ok" and b["name"] == "fork/threads:8" and b["parent_shape"]["threads"] == 9, b
PY
[ $fails -eq 0 ]
