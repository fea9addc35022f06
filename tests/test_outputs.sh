#!/usr/bin/env bash
# Outputs are never destroyed or mixed: device nodes and FIFOs are written in place (as root a
# rename turned /dev/null into a plain file), symlinks are followed to their target, write
# errors on stdout are exit 2, an interrupt leaves no temporary file, and results and samples
# always pair (run id in both; a reader refuses a mixed pair). Device nodes are made in our
# own temp folder: nothing under /dev is touched.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/fifo_reader.sh
cd "$tmp" || exit 1
args=(--quick --time-budget 0.05 --filter '^vfork$' --no-counters)
fails=0
no() { echo "$*"; fails=$((fails + 1)); }

# Devices: a null device stays a device and the run succeeds; a full device is exit 2.
if [ "$(id -u)" -eq 0 ] && mknod null c 1 3 2>/dev/null && mknod full c 1 7 2>/dev/null &&
	echo x >null 2>/dev/null; then
	"$pb" "${args[@]}" --out null >/dev/null 2>err || no "--out <null device> failed: $(cat err)"
	[ -c null ] || no "the null device node was replaced by a $(stat -c %F null)"
	ln -s null null-link.json
	"$pb" "${args[@]}" --out null-link.json >/dev/null 2>err || no "--out <link to null device> failed"
	[ -L null-link.json ] && [ -c null ] || no "the link or its device was replaced"
	[ ! -e null-link.samples.tsv ] || no "samples written beside a device"
	"$pb" "${args[@]}" --out full >/dev/null 2>err
	rc=$?
	[ $rc -eq 2 ] && grep -q "cannot write full: No space left on device" err || no "--out <full device>: rc=$rc $(cat err)"
	[ -c full ] || no "the full device node was replaced"
else
	echo "skip: device nodes cannot be made here (not root, or a nodev folder)"
fi
# A FIFO is written in place, read by whoever holds its other end.
mkfifo fifo
fifo_reader fifo from-fifo
ok=1
"$pb" "${args[@]}" --out fifo >/dev/null 2>err || { ok=0; no "--out fifo failed: $(cat err)"; }
fifo_reader_end $ok
[ -p fifo ] || no "the FIFO was replaced"
/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' from-fifo || no "FIFO did not carry the results"

# A symlink to a regular file: the target is replaced, the link kept, samples beside the link.
mkdir real
echo old >real/r.json
ln -s real/r.json link.json
"$pb" "${args[@]}" --out link.json >/dev/null 2>err || no "--out link.json failed"
[ -L link.json ] || no "the symlink was replaced"
grep -q '"run_id"' real/r.json || no "the symlink's target was not written"
grep -q "replacing its target" err || no "the symlink was not mentioned: $(cat err)"
"$pb" validate link.json >/dev/null 2>err || no "link.json and its samples do not pair: $(cat err)"

# Write errors on stdout: the table and --out - both.
"$pb" "${args[@]}" --out - >/dev/full 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "No space left on device" err || no "--out - >/dev/full: rc=$rc"
"$pb" "${args[@]}" --format console >/dev/full 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "cannot write to standard output: No space left on device" err ||
	no "table >/dev/full: rc=$rc $(cat err)"
"$pb" compare --help >/dev/full 2>/dev/null && no "compare --help >/dev/full exited 0"

# A bad path fails before any sampling: no table, and quickly.
start=$(date +%s%N)
: >plain
"$pb" --filter '^vfork$' --out plain/x.json >out 2>err
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc -eq 2 ] && [ ! -s out ] && [ $ms -lt 1500 ] || no "bad path: rc=$rc after $ms ms, table: $(head -c 80 out)"

# An interrupt while sampling or writing leaves no temporary file, and the old pair intact.
"$pb" "${args[@]}" --out pair.json >/dev/null 2>&1 || no "first run failed"
sum=$(cat pair.json pair.samples.tsv | md5sum)
for delay in 0.2 0.4 0.6 0.8 1.0 1.2; do
	"$pb" --quick --time-budget 0.3 --filter '^(vfork|fork-raw)$' --out pair.json >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -INT $pid 2>/dev/null
	wait $pid
	ls -A | grep -q '\.tmp\.\|\.old\.' && no "interrupt after ${delay}s left $(ls -A | grep '\.tmp\.\|\.old\.')"
	"$pb" validate pair.json >/dev/null 2>err || no "interrupt after ${delay}s broke the pair: $(cat err)"
done

# Results and samples from two runs are refused, not compared: the run ids differ.
"$pb" "${args[@]}" --out a.json >/dev/null 2>&1 && "$pb" "${args[@]}" --out b.json >/dev/null 2>&1 ||
	no "runs failed"
cp b.samples.tsv a.samples.tsv
"$pb" compare a.json b.json >/dev/null 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "belongs to another run" err || no "mixed pair accepted: rc=$rc $(cat err)"
[ $fails -eq 0 ]
