#!/usr/bin/env bash
# The guest's initramfs is the same bytes from the same inputs (ci/kernel-run --initramfs-only):
# built twice, from different work folders, with the programs' file times changed between, and
# with the kthread module in it, for the suite's guest arch (x86_64 natively, aarch64 or
# riscv64 under make ARCH=...). A differing archive had made two boots of one kernel diverge.
# runs-cross
# timeout: 600
# lane: guest
set -u
. tests/guest_setup.sh
build() { # output file, TMPDIR
	mkdir -p "$2"
	out=$(TMPDIR=$2 ci/kernel-run --arch "$g" --initramfs-only "$1" "$k" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || { guest_skip "$out"; echo "kernel-run --initramfs-only exited $rc: $out"; exit 1; }
}
build "$tmp/a.cpio.gz" "$tmp/t1"
bdir=build/$g
[ "$g" = "$(uname -m)" ] || bdir=build/$g-guest
touch "$bdir/procbench" "$bdir/procbench-creator"
build "$tmp/b.cpio.gz" "$tmp/t2/deeper"
cmp "$tmp/a.cpio.gz" "$tmp/b.cpio.gz" || { echo "two builds of the $g initramfs differ"; exit 1; }
list=$(gzip -dc "$tmp/a.cpio.gz" | cpio -it --quiet 2>/dev/null)
for f in init bin/busybox pb/procbench pb/procbench-creator pb/procbench-exec-target; do
	printf '%s\n' "$list" | grep -qx "$f" || { echo "the $g initramfs lacks $f"; exit 1; }
done
printf '%s\n' "$list" | grep -qx pb/procbench_kthread.ko && mod="with the kthread module" || mod="without the kthread module ($(printf '%s\n' "$out" | grep -m1 'no procbench-kthread' || echo "not built"))"
# Every file's time is 0.
newest=$(gzip -dc "$tmp/a.cpio.gz" | cpio -itv --quiet 2>/dev/null | awk '{print $6, $7, $8}' | sort -u)
[ "$(printf '%s\n' "$newest" | wc -l)" -eq 1 ] || { echo "entries with different times: $newest"; exit 1; }
echo "$g initramfs: the same $(stat -c %s "$tmp/a.cpio.gz") bytes twice, $(printf '%s\n' "$list" | wc -l) entries, $mod"
