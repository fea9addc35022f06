#!/usr/bin/env bash
# A changed feature probe rebuilds: a creator built without liburing is rebuilt with it once
# the probe finds it again, instead of make saying "Nothing to be done".
set -u
if [ -n "${SAN:-}" ] || [ "$ARCH" != "$(uname -m)" ]; then
	echo "skip: the probe rebuild is checked once, in the native build"
	exit 77
fi
if ! printf '#include <liburing.h>\n' | ${CC:-cc} -E - >/dev/null 2>&1; then
	echo "skip: liburing-dev is not installed, so the probe cannot flip"
	exit 77
fi
src=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$src" ls-files -z | (cd "$src" && xargs -0 cp --parents -t "$tmp") 2>/dev/null ||
	{ echo "cannot copy the source tree"; exit 1; }
cd "$tmp" || exit 1
# Run from make check: the outer make's flags (-s) would hide what this one rebuilds.
unset MAKEFLAGS MFLAGS MAKELEVEL
creator=build/$ARCH/procbench-creator
# HAVE_LIBURING= on the command line stands in for a machine without liburing-dev.
make -s -j2 HAVE_LIBURING= "$creator" >/dev/null || { echo "build without liburing failed"; exit 1; }
nm "$creator" | grep -q ' io_uring_queue_init' && { echo "probe override ignored"; exit 1; }
make -j2 "$creator" >log 2>&1 || { cat log; exit 1; }
grep -q 'LD .*procbench-creator' log || { echo "probe changed but nothing was rebuilt:"; cat log; exit 1; }
nm "$creator" | grep -q ' io_uring_queue_init' || { echo "rebuilt creator lacks liburing"; exit 1; }
make "$creator" >log 2>&1
grep -q 'LD \|CC ' log && { echo "an unchanged probe rebuilt again:"; cat log; exit 1; }
exit 0
