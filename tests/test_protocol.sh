#!/usr/bin/env bash
# The controller and the creator shake hands: a creator of another protocol version, one whose
# replies have another size and one that exits at start are each refused with one line that
# says what happened (exit 2), never a hang; --list shows what the creator's table says.
set -u
v999="$(pwd)/$B/tests/creator-v999"
[ -x "$v999" ] || { echo "skip: $v999 not built"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$B/procbench" "$B/procbench-exec-target" "$tmp/" || exit 1
fails=0
# creator program, expected exit, pattern its one-line error must match
refused() {
	local out rc
	cp "$1" "$tmp/procbench-creator" && chmod +x "$tmp/procbench-creator"
	out=$(cd "$tmp" && timeout 30 ./procbench --quick --filter '^fork$' --format console 2>&1)
	rc=$?
	if [ $rc -ne "$2" ] || ! echo "$out" | grep -q "$3" || [ "$(echo "$out" | wc -l)" -ne 1 ]; then
		echo "$(basename "$1"): wanted exit $2 and one line matching '$3', got exit $rc:"
		echo "$out"
		fails=$((fails + 1))
	fi
}
refused "$v999" 2 "speaks protocol 999, this procbench protocol [0-9]* (a stale build?); rebuild"

printf '#!/bin/sh\nprintf 0123456789 >&5\nsleep 5\n' >"$tmp/odd-reply"
refused "$tmp/odd-reply" 2 "reply is 10 bytes, not [0-9]*: it speaks another protocol"

printf '#!/bin/sh\nexit 112\n' >"$tmp/no-pin"
refused "$tmp/no-pin" 2 "exited with status 112: it could not pin itself to its CPU"

# Started by hand, the creator says what it is instead of exiting silently.
out=$("$B/procbench-creator" 3<&- 2>&1)
rc=$?
[ $rc -eq 111 ] && echo "$out" | grep -q "run procbench" ||
	{ echo "creator by hand: exit $rc: $out"; fails=$((fails + 1)); }

# --list comes from the creator's hello, probed: every method with a verdict for this machine.
out=$("$B/procbench" --list)
n=$(echo "$out" | grep -cE '^[a-z0-9_-]+ +(yes|no) +(runs|skip|error) ')
[ "$n" -ge 20 ] || { echo "--list shows $n methods with a verdict:"; echo "$out"; fails=$((fails + 1)); }
if "$B/tests/deny-clone3" EPERM true 2>/dev/null; then
	out=$("$B/tests/deny-clone3" EPERM "$B/procbench" --list)
	echo "$out" | grep -q '^clone3 .* skip ' && echo "$out" | grep -q '^  clone3 .*EPERM\|^  clone3 .*forbidden\|^  clone3 .*refused' ||
		{ echo "--list under a clone3 filter:"; echo "$out"; fails=$((fails + 1)); }
else
	echo "skip the clone3 filter case: seccomp filters cannot be installed here"
fi
[ $fails -eq 0 ]
