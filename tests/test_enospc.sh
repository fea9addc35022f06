#!/usr/bin/env bash
# Fault test for every writer: results, samples, compare --out and the report are written
# into a small tmpfs (in a private mount namespace, on our own temp folder) left with less and
# less space, so ENOSPC hits each write in turn. After every failure the earlier good files
# are intact and paired, nothing temporary is left, and the exit status is 2 with one line.
set -u
pb="$(pwd)/$B/procbench"
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null || ! unshare -m true 2>/dev/null; then
	echo "skip: needs root and unshare -m to mount a small tmpfs privately"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/fs" "$tmp/log"
cat >"$tmp/inner.sh" <<'INNER'
set -u
pb=$1 fs=$2 log=$3
mount -t tmpfs -o size=2m tmpfs "$fs" || { echo "skip: cannot mount tmpfs"; exit 77; }
cd "$fs" || exit 1
args=(--filter '^vfork$' --count 3000 --no-counters)
fails=0
no() { echo "$*"; fails=$((fails + 1)); }
"$pb" "${args[@]}" --out r.json >/dev/null 2>&1 || { echo "first run failed"; exit 1; }
# compare's BASE: another run (a run compared with itself is refused).
"$pb" --filter '^vfork$' --count 20 --no-counters --out b.json >/dev/null 2>&1 || { echo "base run failed"; exit 1; }
"$pb" compare b.json r.json --out cmp.json >/dev/null 2>&1 || { echo "first compare failed"; exit 1; }
"$pb" report --out rep r.json cmp.json >/dev/null 2>&1 || { echo "first report failed"; exit 1; }
pair=$(cat r.json r.samples.tsv | md5sum)
cmp=$(md5sum <cmp.json)
page=$(md5sum <rep/index.html)
need=$(du -cb r.json r.samples.tsv | tail -1 | cut -f1)
hits=0
for free_k in 0 4 8 16 32 48 64 96 128 192 256 384 512; do
	rm -f filler
	avail=$(df -B1 --output=avail . | tail -1)
	fill=$((avail - free_k * 1024))
	[ $fill -gt 0 ] && head -c $fill /dev/zero >filler 2>/dev/null
	for step in run compare report; do
		case $step in
		run) "$pb" "${args[@]}" --out r.json >"$log/out" 2>"$log/err" ;;
		compare) "$pb" compare b.json r.json --out cmp.json >"$log/out" 2>"$log/err" ;;
		report) "$pb" report --out rep r.json cmp.json >"$log/out" 2>"$log/err" ;;
		esac
		rc=$?
		msg=$(grep -v '^procbench: warning:\|^note:' "$log/err")
		if [ $rc -ne 0 ]; then
			hits=$((hits + 1))
			[ $rc -eq 2 ] && [ "$(echo "$msg" | grep -c .)" -eq 1 ] &&
				echo "$msg" | grep -q "No space left on device" ||
				no "$step with ${free_k}K free: rc=$rc: $msg"
		fi
		ls -A . rep | grep -q '\.tmp\.\|\.old\.' && no "$step with ${free_k}K free left: $(ls -A . rep | grep '\.tmp\.\|\.old\.')"
		"$pb" validate r.json cmp.json >/dev/null 2>"$log/verr" || no "$step with ${free_k}K free: $(cat "$log/verr")"
		if [ $rc -ne 0 ]; then
			case $step in
			run) [ "$(cat r.json r.samples.tsv | md5sum)" = "$pair" ] || no "failed run changed the pair" ;;
			compare) [ "$(md5sum <cmp.json)" = "$cmp" ] || no "failed compare changed cmp.json" ;;
			report) [ "$(md5sum <rep/index.html)" = "$page" ] || no "failed report changed index.html" ;;
			esac
		fi
		pair=$(cat r.json r.samples.tsv | md5sum)
		cmp=$(md5sum <cmp.json)
		page=$(md5sum <rep/index.html)
	done
done
rm -f filler
echo "$hits writes hit ENOSPC (results pair $need bytes)"
[ $hits -ge 6 ] || no "too few writes failed ($hits): the fill levels no longer cover the writers"
cd / && umount "$fs"
[ $fails -eq 0 ]
INNER
unshare -m --propagation private bash "$tmp/inner.sh" "$pb" "$tmp/fs" "$tmp/log"
