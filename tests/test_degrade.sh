#!/usr/bin/env bash
# clone3 forbidden (EPERM, as under some container runtimes' seccomp filters) or missing
# (ENOSYS): the creator still starts, the clone3 methods and the glibc calls built on clone3
# skip with the reason, and everything else (pidfd-open's fork + pidfd_open among them) runs.
set -u
pb="$(pwd)/$B/procbench"
deny="$(pwd)/$B/tests/deny-clone3"
[ -x "$deny" ] || { echo "skip: $deny not built"; exit 77; }
sel='^(fork|vfork|clone3|clone3-settls|posix_spawn|pidfd-waitid|pidfd-open|thread-pthread|thread-clone3)$'
fails=0
c3="clone3 clone3-settls pidfd-waitid thread-clone3"
# arch/generic cannot read a thread pointer: those two skip for that reason first.
[ "$ARCH" = generic ] && c3="clone3 pidfd-waitid"
row() { # output, benchmark, pattern
	echo "$1" | grep -q "^$2 .*$3" || { echo "$2: wanted '$3' in: $(echo "$1" | grep "^$2 ")"; fails=$((fails + 1)); }
}
"$deny" EPERM true || { rc=$?; [ $rc -eq 77 ] && { echo "skip: seccomp filters cannot be installed here"; exit 77; }; exit 1; }

ran=" *[0-9][0-9]* *[0-9.]* *\\["
# mode, then "benchmark=pattern" pairs its table must show
check() {
	local mode=$1 out rc pair
	shift
	out=$("$deny" "$mode" "$pb" --quick --time-budget 0.1 --no-counters --filter "$sel" --format console 2>&1)
	rc=$?
	[ $rc -eq 0 ] || { echo "$mode: exit $rc"; echo "$out"; fails=$((fails + 1)); }
	for pair in "$@"; do
		row "$out" "${pair%%=*}" "${pair#*=}"
	done
}
eperm="skipped: clone3 is refused with EPERM here (a seccomp filter"
glibc="skipped: .*glibc falls back to clone only on ENOSYS"
enosys="skipped: clone3 returns ENOSYS here"
c3_eperm=() c3_enosys=()
for m in $c3; do
	c3_eperm+=("$m=$eperm")
	c3_enosys+=("$m=$enosys")
done
# EPERM: glibc's posix_spawn and pthread_create fail too; fork, vfork and pidfd-open run.
check EPERM "${c3_eperm[@]}" "posix_spawn=$glibc" "thread-pthread=$glibc" \
	"fork=$ran" "vfork=$ran" "pidfd-open=$ran"
# ENOSYS: glibc falls back to clone, and pidfd-open never needed clone3.
check ENOSYS "${c3_enosys[@]}" "fork=$ran" "vfork=$ran" \
	"posix_spawn=$ran" "thread-pthread=$ran" "pidfd-open=$ran"
[ $fails -eq 0 ]
