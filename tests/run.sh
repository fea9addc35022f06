#!/usr/bin/env bash
# Runs procbench's tests: every C test built into $B/tests/ and every
# tests/test_*.sh, each under a time limit. Exit codes: 0 pass, 1 fail,
# 77 skip. For a cross ARCH the C tests run under qemu-user-static, and
# only shell tests marked "# runs-cross" run (the controller is host-only).
set -u
cd "$(dirname "$0")/.."
ARCH=${ARCH:-$(uname -m)}
B=${B:-build/$ARCH}
LIMIT=${PB_TEST_TIMEOUT:-180}
RUNNER=""
if [ "$ARCH" != "$(uname -m)" ] && [ "$ARCH" != generic ]; then
	RUNNER="qemu-$ARCH-static"
	if ! command -v "$RUNNER" >/dev/null; then
		echo "tests/run.sh: $RUNNER not found; install qemu-user-static to run $ARCH tests" >&2
		exit 2
	fi
	export PB_UNDER_EMULATION=1
fi
export B ARCH RUNNER

pass=0 fail=0 skip=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() { # name, command...
	local name=$1 start end rc
	shift
	start=$(date +%s%N)
	timeout --kill-after=5 "$LIMIT" "$@" >"$log" 2>&1
	rc=$?
	end=$(date +%s%N)
	local ms=$(((end - start) / 1000000))
	local secs
	secs=$(printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)))
	case $rc in
	0) pass=$((pass + 1)); printf 'PASS %-28s %5ss\n' "$name" "$secs" ;;
	77) skip=$((skip + 1)); printf 'SKIP %-28s %s\n' "$name" "$(tail -n 1 "$log")" ;;
	124|137) fail=$((fail + 1)); printf 'FAIL %-28s timed out after %ss\n' "$name" "$LIMIT"; sed 's/^/    /' "$log" ;;
	*) fail=$((fail + 1)); printf 'FAIL %-28s exit %d\n' "$name" "$rc"; sed 's/^/    /' "$log" ;;
	esac
	# Show what skipped inside a passing test (emulator limits), so nothing is silent.
	if [ $rc -eq 0 ] && grep -q '^skip ' "$log"; then
		grep '^skip ' "$log" | sed 's/^/    /'
	fi
}

echo "procbench tests: ARCH=$ARCH${RUNNER:+ (under $RUNNER)}"
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" $RUNNER "$t"
done
for t in tests/test_*.sh; do
	if [ -n "$RUNNER" ] && ! grep -q '^# runs-cross' "$t"; then
		continue
	fi
	run_one "$(basename "$t" .sh)" bash "$t"
done
total=$((pass + fail + skip))
if [ $total -eq 0 ]; then
	echo "tests/run.sh: no tests found in $B/tests or tests/; run make first" >&2
	exit 1
fi
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
