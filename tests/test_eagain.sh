#!/usr/bin/env bash
# A process limit (EAGAIN from fork) is an error naming the limit and the fix, not a crash or a number.
set -u
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null || ! command -v prlimit >/dev/null; then
	echo "skip: needs root, setpriv and prlimit to run as an unprivileged user under RLIMIT_NPROC"
	exit 77
fi
user=65534 # nobody: root ignores RLIMIT_NPROC
# LeakSanitizer needs a thread of its own, which the limit forbids.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
if [ "$(pgrep -u $user | wc -l)" -ne 0 ]; then
	echo "skip: user $user already runs processes, which would count against the limit"
	exit 77
fi
tmp=$(mktemp -d)
chmod 777 "$tmp"
trap 'rm -rf "$tmp"' EXIT
# The unprivileged user may not reach the checkout (root's clone under /root is mode 0700):
# it runs copies of the programs, which find each other beside themselves.
mkdir "$tmp/bin"
cp "$B/procbench" "$B/procbench-creator" "$B/procbench-exec-target" "$tmp/bin/" || exit 1
chmod -R a+rX "$tmp/bin"
pb="$tmp/bin/procbench"
setpriv --reuid=$user --regid=$user --clear-groups "$pb" --version >/dev/null 2>&1 ||
	{ echo "skip: user $user cannot run $pb (a noexec /tmp?)"; exit 77; }
# Three processes allowed: the controller and one creator per method (each method has
# creators of its own); the creators' forks must fail.
out=$(cd "$tmp" && prlimit --nproc=3:3 setpriv --reuid=$user --regid=$user --clear-groups \
	"$pb" --quick --filter '^(fork|vfork)$' --format console 2>&1)
rc=$?
echo "$out"
[ $rc -eq 1 ] || { echo "expected exit 1, got $rc"; exit 1; }
echo "$out" | grep -q '^fork .*ERROR: fork failed: Resource temporarily unavailable (process limit reached: RLIMIT_NPROC' &&
	echo "$out" | grep -q '^vfork .*ERROR: vfork failed: Resource temporarily unavailable (process limit' ||
	{ echo "fork row does not name the limit"; exit 1; }
# One process allowed: the creator cannot start; a one-line error, exit 2.
# Noise warnings (e.g. "running under a hypervisor") may come first; the error is one line.
out=$(cd "$tmp" && prlimit --nproc=1:1 setpriv --reuid=$user --regid=$user --clear-groups \
	"$pb" --quick --filter '^fork$' --format console 2>&1)
rc=$?
out=$(echo "$out" | grep -v '^procbench: warning:')
[ $rc -eq 2 ] && [ "$(echo "$out" | grep -c .)" -eq 1 ] && echo "$out" | grep -q "cannot start the creator" ||
	{ echo "creator start under the limit: rc=$rc: $out"; exit 1; }
