#!/usr/bin/env bash
# A progress line (point, round, elapsed, time left) is drawn on stderr when it is a terminal,
# and never when stderr is a pipe or file, or with --quiet.
set -u
command -v script >/dev/null || { echo "skip: script(1) from util-linux is needed for a pseudo-terminal"; exit 77; }
pb="$(pwd)/$B/procbench"
args="--quick --time-budget 0.3 --filter '^(fork-raw|vfork)$' --format console"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
script -qec "$pb $args" /dev/null >"$tmp/tty" 2>&1 </dev/null || { echo "run under a pty failed"; cat "$tmp/tty"; exit 1; }
grep -aq 'procbench: round [0-9]*, .*, [0-9]* of 2 active, [0-9.]* s elapsed, [0-9]*\.\.[0-9]* s left' "$tmp/tty" ||
	{ echo "no progress line on a terminal:"; cat -v "$tmp/tty" | head; exit 1; }
# The line is erased before the table: no progress text sits on the table's lines.
grep -a '^vfork ' "$tmp/tty" | grep -aq 'elapsed' && { echo "progress left on the table"; exit 1; }
script -qec "$pb $args --quiet" /dev/null >"$tmp/quiet" 2>&1 </dev/null
grep -aq 'elapsed' "$tmp/quiet" && { echo "--quiet drew progress"; exit 1; }
eval "\"$pb\" $args" >"$tmp/out" 2>"$tmp/err" || { echo "piped run failed"; exit 1; }
grep -q 'elapsed' "$tmp/err" "$tmp/out" && { echo "progress drawn into a pipe or file"; exit 1; }
exit 0
