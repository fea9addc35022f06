#!/usr/bin/env bash
# The exec target's own _start stamps the counter into its slot of the shared file.
# runs-cross
set -u
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
truncate -s 8192 "$tmp"
target="$B/procbench-exec-target"
slot_at() { od -A n -t u8 -j $((256 + 8 * $1)) -N 8 "$tmp" | tr -d ' '; }

$RUNNER "$target" 0 0 3<>"$tmp"
rc=$?
[ $rc -eq 0 ] || { echo "exec target exited $rc"; exit 1; }
[ "$(slot_at 0)" != 0 ] || { echo "slot 0 not written"; exit 1; }

# Started by hand without the shared file, it refuses with EBADF (9), not a crash.
$RUNNER "$target" 0 0 3<&-
rc=$?
[ $rc -eq 9 ] || { echo "without fd 3 expected exit 9 (EBADF), got $rc"; exit 1; }
# Bad arguments: EINVAL (22).
$RUNNER "$target" nonsense 3<>"$tmp"
rc=$?
[ $rc -eq 22 ] || { echo "bad arguments: expected exit 22, got $rc"; exit 1; }
echo "exec target entry stamp: $(slot_at 0) ticks"
