#!/usr/bin/env bash
# A writer that finds another holding the output's folder waits a bounded time (PROCBENCH_LOCK_WAIT), then fails with exit 2 naming the holder's pid, keeping the old file; the lock leaves no file behind.
set -u
pb="$(pwd)/$B/procbench"
command -v flock >/dev/null || { echo "skip: flock(1) is not installed"; exit 77; }
tmp=$(mktemp -d)
holder=
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir d
args=(--filter '^null$' --count 2 --no-counters --quiet)
fails=0
no() { echo "$*"; fails=$((fails + 1)); }

"$pb" "${args[@]}" --out d/x.json >/dev/null 2>err || no "first run failed: $(cat err)"
sum=$(cat d/x.json d/x.samples.tsv | md5sum)
ls -A d | grep -v -x -e x.json -e x.samples.tsv && no "the lock left a file"
flock -o d sleep 60 & # -o: the lock stays with flock itself, so killing it releases the folder
holder=$!
ino=$(stat -c %i d)
for _ in $(seq 1 200); do grep -q "FLOCK.*:$ino " /proc/locks && break; sleep 0.05; done
PROCBENCH_LOCK_WAIT=0.5 "$pb" "${args[@]}" --out d/x.json >/dev/null 2>err
rc=$?
[ $rc -eq 2 ] || no "with the folder held: rc=$rc $(cat err)"
grep -q "another writer (pid $holder, flock) has held the folder d" err || no "holder not named: $(cat err)"
[ "$(cat d/x.json d/x.samples.tsv | md5sum)" = "$sum" ] || no "the old pair was changed"
kill "$holder"
wait "$holder" 2>/dev/null
holder=
"$pb" "${args[@]}" --out d/x.json >/dev/null 2>err || no "once released: $(cat err)"
"$pb" validate d/x.json >/dev/null 2>err || no "once released: $(cat err)"
[ $fails -eq 0 ]
