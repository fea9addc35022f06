# Sourced by the tests that boot a guest of the suite's own arch (marked "# runs-cross"): in
# the native build they boot an x86_64 guest, under `make ARCH=aarch64 check` an arm64 one,
# under `make ARCH=riscv64 check` a riscv64 one, each with that arch's default Debian kernel
# from ci/lib/arches.sh. Skips, saying why, in the SAN and generic builds and where the
# guest's emulator or cross compiler is missing. Leaves tmp (removed on exit), g (the guest's
# arch), k (its default kernel package) and guest_skip (call it with a boot's output: a
# failure to reach Debian's archive is a skip, not a failure).
if [ "${SAN:-}" = 1 ] || [ "$ARCH" = generic ]; then
	echo "skip: guests are booted from the plain native and cross builds"
	exit 77
fi
g=$ARCH
eval "$(here=$PWD pb_script=tests bash -c '. ci/lib/kernel-scripts.sh; . ci/lib/arches.sh; pb_arch_set "$1"
	printf "k=%q qemu=%q qemu_pkg=%q cross=%q triplet=%q\n" "$pb_kernel_default" "$pb_qemu" "$pb_qemu_pkg" "$pb_cross" "$pb_triplet"' _ "$g")"
[ -n "${k:-}" ] || { echo "no entry for $g in ci/lib/arches.sh"; exit 1; }
for t in "$qemu" cpio; do
	command -v "$t" >/dev/null || { echo "skip: $t not installed (apt-get install $qemu_pkg cpio, or ci/install-deps test)"; exit 77; }
done
[ -z "$cross" ] || command -v "$cross" >/dev/null || { echo "skip: $cross not installed (ci/install-deps test)"; exit 77; }
# The host's guest takes the host's busybox, which must be static (a foreign one comes from Debian).
if [ -z "$cross" ]; then
	bb=$(command -v busybox || true)
	[ -n "$bb" ] && ! ldd "$bb" >/dev/null 2>&1 || { echo "skip: no static busybox (apt-get install busybox-static)"; exit 77; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
guest_skip() { # output of a failed kernel-run or kernel-ab
	if printf '%s\n' "$1" | grep -q "cannot fetch Debian's\|cannot download"; then
		echo "skip: Debian's archive cannot be reached: $(printf '%s\n' "$1" | grep -m1 "cannot fetch Debian's\|cannot download")"
		exit 77
	fi
}
