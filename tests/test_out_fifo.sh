#!/usr/bin/env bash
# A FIFO as an output never hangs a run: with no reader it is exit 2 at once with one line (before any sampling), a FIFO where procbench derives a name (the samples beside FILE.json) is refused, Ctrl-C always ends the run, and a block device or socket is refused.
# scope: controller
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/fifo_reader.sh
cd "$tmp" || exit 1
args=(--filter '^null$' --count 5 --no-counters --quiet)
fails=0
no() { echo "$*"; fails=$((fails + 1)); }

# No reader: exit 2, one line, no table (nothing ran). A hang is cut at 30 s and fails.
mkfifo o
timeout -s KILL 30 "$pb" "${args[@]}" --out o >out 2>err
rc=$?
msg=$(grep -v '^procbench: warning:' err)
[ $rc -eq 2 ] || no "--out <FIFO without a reader>: rc=$rc $msg"
echo "$msg" | grep -q "no one reads the FIFO o: start its reader first" || no "message: $msg"
[ "$(echo "$msg" | grep -c .)" -eq 1 ] || no "not one line: $msg"
[ ! -s out ] || no "it ran before failing: $(head -c 80 out)"
[ -p o ] || no "the FIFO was replaced"

# SIGINT and SIGTERM end it while it waits for a reader (a hang is cut at 30 s and fails).
for sig in INT TERM; do
	timeout -s KILL 30 "$pb" "${args[@]}" --out o >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	kill -"$sig" "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	[ $rc -ne 137 ] || no "SIG$sig did not end a run waiting on a FIFO"
done

# The samples beside x.json are a FIFO: not named by the user, so refused, not written.
mkfifo x.samples.tsv
timeout -s KILL 30 "$pb" "${args[@]}" --out x.json >out 2>err
rc=$?
msg=$(grep -v '^procbench: warning:' err)
[ $rc -eq 2 ] && echo "$msg" | grep -q "x.samples.tsv is a FIFO" || no "samples FIFO: rc=$rc $msg"
[ ! -e x.json ] || no "x.json was written beside a samples FIFO"
timeout -s KILL 30 "$pb" "${args[@]}" --no-samples --out x.json >/dev/null 2>err ||
	no "--no-samples beside a samples FIFO: $(cat err)"

# A reader that is there: the results come through, the FIFO stays.
fifo_reader o from-fifo
ok=1
timeout -s KILL 30 "$pb" "${args[@]}" --out o >/dev/null 2>err || { ok=0; no "--out <FIFO with a reader>: $(cat err)"; }
fifo_reader_end $ok
/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' from-fifo || no "the FIFO did not carry the results"

# A socket and a block device (an unassigned major: nothing behind it) are refused.
/usr/bin/python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' sock
timeout -s KILL 30 "$pb" "${args[@]}" --out sock >/dev/null 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "sock is a socket" err || no "--out <socket>: rc=$rc $(cat err)"
if [ "$(id -u)" -eq 0 ] && mknod blk b 240 0 2>/dev/null; then
	timeout -s KILL 30 "$pb" "${args[@]}" --out blk >/dev/null 2>err
	rc=$?
	[ $rc -eq 2 ] && grep -q "blk is a block device" err || no "--out <block device>: rc=$rc $(cat err)"
	[ -b blk ] || no "the block device node was replaced"
fi
[ $fails -eq 0 ]
