#!/usr/bin/env bash
# Readers open only regular files within a size limit: a FIFO, a device, a folder or an oversized file given to validate, compare or report (or named as a results file's samples_file) is one line, exit 2, at once: never a hang, never a read without end.
# scope: controller
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
"$pb" --count 5 --filter '^null$' --no-counters --out good.json >/dev/null 2>&1 || { echo "run failed"; exit 1; }
"$pb" --count 5 --filter '^null$' --no-counters --out other.json >/dev/null 2>&1 || { echo "run failed"; exit 1; }
fails=0
mkfifo fifo.json
# A samples_file that is a FIFO (beside a real results file).
cp good.json sfifo.json
mkfifo sfifo.samples.tsv
sed -i 's/"good.samples.tsv"/"sfifo.samples.tsv"/' sfifo.json
# A samples file that is a symlink to a device.
cp good.json sdev.json
ln -s /dev/zero sdev.samples.tsv
sed -i 's/"good.samples.tsv"/"sdev.samples.tsv"/' sdev.json
# Over the limit (256 MiB for a results file): sparse, so it costs no disk.
truncate -s 300M huge.json
mkdir folder.json
expect() { # what, pattern, command...: one line matching, exit 2, within 20 s (a hang is the fault)
	local what=$1 pat=$2 rc lines
	shift 2
	timeout 20 "$@" >out 2>err </dev/null
	rc=$?
	lines=$(grep -c . err)
	if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -q -- "$pat" err || grep -q Traceback err; then
		echo "$what: rc=$rc (124: it hung) lines=$lines: $(head -c 300 err) (wanted one line matching '$pat')"
		fails=$((fails + 1))
	fi
}
for f in fifo.json /dev/zero /dev/null folder.json; do
	case $f in fifo.json) pat="is a FIFO, not a regular file" ;; folder.json) pat="is a folder" ;; *) pat="is a character device" ;; esac
	expect "validate $f" "$pat" "$pb" validate "$f"
	expect "compare BASE $f" "$pat" "$pb" compare "$f" good.json
	expect "compare NEW $f" "$pat" "$pb" compare good.json "$f"
	expect "compare run list $f" "$pat" "$pb" compare "good.json,$f" other.json
	expect "report $f" "$pat" "$pb" report --out rep "$f"
done
expect "validate huge" "over the reader's limit of 256 MiB" "$pb" validate huge.json
expect "report huge" "over the reader's limit of 256 MiB" "$pb" report --out rep huge.json
expect "samples FIFO" "sfifo.samples.tsv is a FIFO" "$pb" validate sfifo.json
expect "samples FIFO, compare" "sfifo.samples.tsv is a FIFO" "$pb" compare sfifo.json other.json
expect "samples FIFO, report" "sfifo.samples.tsv is a FIFO" "$pb" report --out rep sfifo.json
expect "samples device" "sdev.samples.tsv is a character device" "$pb" validate sdev.json
[ ! -e rep ] || { echo "a failed report left its folder"; fails=$((fails + 1)); }
# The good ones still read.
"$pb" validate good.json >/dev/null 2>err || { echo "good.json refused: $(cat err)"; fails=$((fails + 1)); }
[ $fails -eq 0 ]
