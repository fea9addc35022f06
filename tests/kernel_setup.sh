# Sourced by the tests that boot x86_64 kernels (test_kernel_run, test_kernel_args, ...): they run once, in
# the plain native x86_64 build, where qemu-system, cpio and a static busybox are installed,
# and skip with the reason elsewhere. Leaves tmp (removed on exit, with any qemu booted from
# it), k (the kernel package), fails=0 and fail MESSAGE (prints it, counts it).
if [ "${SAN:-}" = 1 ] || [ "$ARCH" != "$(uname -m)" ]; then
	echo "skip: the kernel scripts are tested in the plain native build"
	exit 77
fi
for t in qemu-system-x86_64 cpio busybox; do
	command -v $t >/dev/null || { echo "skip: $t not installed (apt-get install qemu-system-x86 cpio busybox-static)"; exit 77; }
done
[ "$(uname -m)" = x86_64 ] || { echo "skip: boots x86_64 kernels only"; exit 77; }
tmp=$(mktemp -d)
# A guest left by a failed test (its qemu's -initrd is under $tmp) goes with the folder.
trap 'pkill -KILL -f "qemu-system-x86_64.*$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
k=linux-image-cloud-amd64
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
