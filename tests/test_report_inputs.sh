#!/usr/bin/env bash
# procbench report opens only regular files of bounded size: a FIFO (results or samples) never hangs it, a device or a folder is refused unread, a file past the size cap is refused before reading; each is one line, exit 2, no folder. Results files reach it only through procbench's reader (validate --format json); the raw samples it reads itself, with the same care.
# scope: controller
set -u
root=$(pwd)
pb="$root/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v gnuplot >/dev/null || { echo "skip: gnuplot not installed (apt-get install gnuplot-nox)"; exit 77; }
cd "$tmp" || exit 1
"$pb" --quick --time-budget 0.1 --min-time 0.02 --no-counters --filter '^vfork$' --out a.json >/dev/null 2>err ||
	{ cat err; exit 1; }
# The report's own checks of the samples, as if they were swapped after procbench validate passed
# them: a validate that passes the results file as it is.
cat >yes-validate <<'SH'
#!/bin/sh
exec /usr/bin/python3 -c 'import json, os, sys
p = sys.argv[-1]
st = os.stat(p)
print(json.dumps({"path": p, "kind": "results", "dev": st.st_dev, "ino": st.st_ino, "document": json.load(open(p))}))' "$@"
SH
chmod +x yes-validate
fails=0
validator=$pb
expect() { # what, pattern, FILE...: report.py refuses in one line matching pattern, exit 2, in time
	local what=$1 pat=$2
	shift 2
	PROCBENCH_BIN="$validator" timeout 30 /usr/bin/python3 "$root/plots/report.py" --out rep "$@" \
		</dev/null >/dev/null 2>err
	local rc=$?
	if [ $rc -ne 2 ] || [ "$(wc -l <err)" -ne 1 ] || ! grep -q -- "$pat" err || [ -e rep ]; then
		echo "$what: rc=$rc (124: it hung), folder left: $([ -e rep ] && echo yes || echo no), stderr: $(head -c 300 err)"
		fails=$((fails + 1))
	fi
	rm -rf rep
}
mkfifo fifo.json
expect "a FIFO" "fifo.json is a FIFO, not a regular file" fifo.json
expect "a device" "/dev/zero is a character device, not a regular file" /dev/zero
mkdir dir.json
expect "a folder" "dir.json is a folder, not a regular file" dir.json
# Past the caps (sparse files: nothing is written or read).
truncate -s $(((256 << 20) + 1)) big.json
expect "a 256 MiB + 1 results file" "big.json is 268435457 bytes, over the reader's limit of 256 MiB" big.json
validator=$tmp/yes-validate
# The samples file a results file names: a FIFO, a symlink, one past 4 GiB.
samples=$(/usr/bin/python3 -c 'import json; print(json.load(open("a.json"))["context"]["samples_file"])')
mv "$samples" real.tsv
mkfifo "$samples"
expect "samples as a FIFO" "$samples is not a regular file (a FIFO)" a.json
rm "$samples"
ln -s real.tsv "$samples"
expect "samples as a symlink" "$samples is not a regular file (a symbolic link)" a.json
rm "$samples"
if truncate -s $(((4 << 30) + 1)) "$samples" 2>/dev/null; then
	expect "samples past 4 GiB" "$samples is 4294967297 bytes, more than the 4096 MiB a raw samples file may hold" a.json
else
	echo "skip: no sparse 4 GiB file here"
fi
rm -f "$samples"
mv real.tsv "$samples"
# The same pair, whole, draws (the checks refuse only what they must).
PROCBENCH_BIN="$tmp/yes-validate" /usr/bin/python3 "$root/plots/report.py" --out rep a.json >/dev/null 2>err ||
	{ echo "a good pair was refused: $(cat err)"; fails=$((fails + 1)); }
[ $fails -eq 0 ] && echo "FIFOs, devices, folders and oversized files refused in one line, nothing read"
[ $fails -eq 0 ]
