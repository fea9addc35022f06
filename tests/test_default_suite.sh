#!/usr/bin/env bash
# A --quick run of the default suite: every method runs (none skipped on native x86_64 but the
# kthread methods where their module is not loaded, skipped saying so), none fails, CSV has every row.
set -u
pb="$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start=$(date +%s%N)
"$pb" --quick --out "$tmp/r.csv" >"$tmp/console" 2>"$tmp/err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
cat "$tmp/console"
echo "(--quick took ${ms} ms)"
[ $rc -eq 0 ] || { echo "exit $rc"; cat "$tmp/err"; exit 1; }
grep -q ERROR "$tmp/console" && { echo "a benchmark failed"; exit 1; }
if [ "$ARCH" = x86_64 ] && grep skipped "$tmp/console" |
	grep -v '^kthread-[a-z]* *skipped: the procbench-kthread module is not loaded' | grep -q .; then
	echo "a benchmark was skipped on native x86_64"
	exit 1
fi
expected="fork fork-raw vfork clone clone-vm-vfork clone3 clone3-settls posix_spawn execve-fork execve-vfork execve-chain pidfd-waitid pidfd-poll pidfd-open thread-pthread thread-clone3 uring-sqpoll uring-ring uring-iowq-cold uring-iowq-warm uring-waitid uring-waitid-batch kthread-run kthread-stop kthread-worker"
got=$(tail -n +2 "$tmp/r.csv" | cut -d, -f1 | tr '\n' ' ')
[ "$got" = "$expected " ] || { echo "CSV rows: '$got'"; exit 1; }
cols=$(head -1 "$tmp/r.csv" | awk -F, '{print NF}')
bad=$(awk -F, -v n="$cols" 'NF != n' "$tmp/r.csv" | wc -l)
[ "$bad" -eq 0 ] || { echo "$bad CSV rows without $cols columns"; exit 1; }
if [ "$ARCH" != generic ]; then
	grep -q '^clone3-settls,ok,.*,true,' "$tmp/r.csv" || { echo "clone3-settls not verified in CSV"; exit 1; }
fi
