#!/usr/bin/env bash
# --trace's instance is procbench's own: one of its name already there (mkdir's EEXIST) is someone else's, a skip with the reason, never taken over nor removed; the stale-instance cleanup removes only procbench-PID-START whose process is gone or whose pid now names a process started at another time (a fake tracefs folder: no test traces the host).
set -u
pb=$B/procbench
[ "${SAN:-}" != 1 ] || { echo "skip: run in the plain build"; exit 77; }
tmpd=$(mktemp -d)
trap 'rm -rf "$tmpd"' EXIT
I=$tmpd/fs/instances
mkdir -p "$I"
fails=0
starttime() { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f20; }

# 1. The name procbench will take (its pid and start time survive exec), already made, under the
# old name too: a skip that says so, and both instances left as they were.
out=$(PROCBENCH_TRACEFS=$tmpd/fs sh -c 'st=$(sed "s/.*) //" /proc/$$/stat | cut -d" " -f20)
	mkdir "$1/procbench-$$" "$1/procbench-$$-$st" && echo "$$-$st" >"$1/../owner"
	exec "$2" --trace --no-counters --count 5 -f "^vfork$" --format console' sh "$I" "$pb" 2>&1)
rc=$?
owner=$(cat "$tmpd/fs/owner")
echo "$out" | grep -qF "procbench: --trace skipped: the tracefs instance $I/procbench-$owner already exists (another program's); not taken over; the run goes on untraced" &&
	[ $rc -eq 0 ] || { echo "FAIL: an existing instance of the name, want the skip, exit 0 ($rc): $out"; fails=$((fails + 1)); }
[ -d "$I/procbench-$owner" ] && [ -d "$I/procbench-${owner%-*}" ] ||
	{ echo "FAIL: someone else's instance was removed: $(ls "$I")"; fails=$((fails + 1)); }
rm -rf "${I:?}"/*

# 2. The cleanup. Gone: a pid no process holds. Reused: this shell's pid, another start time.
# Kept: this shell's pid and start time (live), an old-style name (whose owner cannot be told),
# names of another shape.
sh -c 'exit 0' & gone=$!
wait $gone
while [ -e "/proc/$gone" ]; do gone=$((gone + 7919)); done
st=$(starttime $$)
mkdir "$I/procbench-$gone-12345" "$I/procbench-$$-$((st + 1))" "$I/procbench-$$-$st" "$I/procbench-$gone" \
	"$I/procbench-$$-${st}x" "$I/procbench--$st" "$I/other-$gone-1"
out=$(PROCBENCH_TRACEFS=$tmpd/fs "$pb" --trace --no-counters --count 5 -f '^vfork$' --format console 2>&1)
got=$(cd "$I" && ls | sort | tr '\n' ' ')
want=$(printf '%s\n' "procbench-$$-$st" "procbench-$gone" "procbench-$$-${st}x" "procbench--$st" "other-$gone-1" | sort | tr '\n' ' ')
[ "$got" = "$want" ] || { echo "FAIL: after the cleanup: '$got', want '$want'"; fails=$((fails + 1)); }
# The fake folder is not tracefs: procbench made its own instance, found no tracefs files in it,
# skipped, and removed it.
echo "$out" | grep -q "^procbench: --trace skipped: $I/procbench-[0-9]*-[0-9]* is not a tracefs instance" ||
	{ echo "FAIL: the fake instance's skip: $out"; fails=$((fails + 1)); }
[ $fails -eq 0 ]
