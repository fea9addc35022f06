#!/usr/bin/env bash
# Runs procbench's tests: every C test built into $B/tests/ and every
# tests/test_*.sh, each under a time limit. Exit codes: 0 pass, 1 fail,
# 77 skip. For a cross ARCH the C tests run under qemu-user-static, but for
# those whose source says "test-scope: native" (pure arithmetic, the same
# on every arch: it would only cost minutes under emulation), and only shell
# tests marked "# runs-cross" run (the controller is host-only).
#
# The time limit is a guard against hangs, not a measure of speed: it is
# PB_TEST_TIMEOUT (default 180 s) or what a test asks for in a line
# "# timeout: SECONDS" near its top, times the machine's load: on a runner
# busier than its CPUs (load average over the CPU count) everything takes
# longer, so the limit grows with it (up to 4x).
#
# Tests that boot a guest kernel (a line "# lane: guest" near their top) run in a second lane,
# beside the others, where the machine has at least 2 CPUs: each is one qemu on one CPU whose
# answers are in instruction time or need no timing, so it disturbs nothing and nothing
# disturbs it, and the suite takes about the longer lane's time instead of the sum (on this
# 2-CPU VM, minutes). The guest lane's lines come after the others'. PB_TEST_LANES=1 runs
# everything in one lane.
#
# Tests of the controller alone (reading, comparing, reporting and writing results: a line
# "# scope: controller" near their top) are the same code in every build but the creator's
# arch: ARCH=generic (which changes only the creator and the exec target) skips them.
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

# How much busier than its CPUs the machine is, at most 4x, at least 1x (in hundredths).
load_factor() {
	local load cpus
	read -r load _ </proc/loadavg 2>/dev/null || load=0
	cpus=$(nproc 2>/dev/null || echo 1)
	awk -v l="$load" -v c="$cpus" 'BEGIN { f = l / c; if (f < 1) f = 1; if (f > 4) f = 4; printf "%d", f * 100 }'
}
limit_of() { # test file: its limit in seconds
	local want
	want=$(head -n 20 "$1" 2>/dev/null | sed -n 's/^[#/* ]*timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
	echo $(((${want:-$LIMIT} * $(load_factor) + 99) / 100))
}

pass=0 fail=0 skip=0
log=$(mktemp)
lane_dir=$(mktemp -d)
lane_pid=""
# Stopped early: the guest lane's test (its timeout, which passes the signal on) stops too.
trap 'rm -f "$log"; [ -z "$lane_pid" ] || { pkill -TERM -P "$lane_pid"; kill "$lane_pid"; } 2>/dev/null; rm -rf "$lane_dir"' EXIT

run_one() { # name, limit, command...
	local name=$1 limit=$2 start end rc
	shift 2
	start=$(date +%s%N)
	timeout --kill-after=5 "$limit" "$@" >"$log" 2>&1
	rc=$?
	end=$(date +%s%N)
	local ms=$(((end - start) / 1000000))
	local secs
	secs=$(printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)))
	case $rc in
	0) pass=$((pass + 1)); printf 'PASS %-28s %5ss\n' "$name" "$secs" ;;
	77) skip=$((skip + 1)); printf 'SKIP %-28s %s\n' "$name" "$(tail -n 1 "$log")" ;;
	124|137) fail=$((fail + 1)); printf 'FAIL %-28s timed out after %ss\n' "$name" "$limit"; sed 's/^/    /' "$log" ;;
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
	src="tests/$(basename "$t").c"
	if [ -n "$RUNNER" ] && grep -q 'test-scope: native' "$src" 2>/dev/null; then
		skip=$((skip + 1))
		printf 'SKIP %-28s %s\n' "$(basename "$t")" "pure arithmetic, the same on every arch: run natively only"
		continue
	fi
	run_one "$(basename "$t")" "$(limit_of "$src")" $RUNNER "$t"
done
guest_lane() { [ "$(head -n 20 "$1" | grep -c '^# lane: guest')" -gt 0 ]; }
selected() { # the shell tests this run takes
	local t
	for t in tests/test_*.sh; do
		if [ -n "$RUNNER" ] && ! grep -q '^# runs-cross' "$t"; then
			continue
		fi
		echo "$t"
	done
}
lanes=2
[ "$(nproc 2>/dev/null || echo 1)" -ge 2 ] || lanes=1
[ "${PB_TEST_LANES:-2}" != 1 ] || lanes=1
if [ $lanes = 2 ]; then
	# The guest lane: its own log and counts, reported when both lanes are done.
	(
		log=$lane_dir/log
		pass=0 fail=0 skip=0
		for t in $(selected); do
			guest_lane "$t" && run_one "$(basename "$t" .sh)" "$(limit_of "$t")" bash "$t"
		done >"$lane_dir/out"
		echo "$pass $fail $skip" >"$lane_dir/counts"
	) &
	lane_pid=$!
fi
for t in $(selected); do
	[ $lanes = 2 ] && guest_lane "$t" && continue
	if [ "$ARCH" = generic ] && head -n 20 "$t" | grep -q '^# scope: controller'; then
		skip=$((skip + 1))
		printf 'SKIP %-28s %s\n' "$(basename "$t" .sh)" "the controller alone: the same code as the native build's"
		continue
	fi
	run_one "$(basename "$t" .sh)" "$(limit_of "$t")" bash "$t"
done
if [ -n "$lane_pid" ]; then
	wait "$lane_pid"
	lane_pid=""
	echo "-- the guest lane (run beside the tests above):"
	cat "$lane_dir/out" 2>/dev/null
	if read -r p f s <"$lane_dir/counts" 2>/dev/null; then
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	else
		echo "FAIL the guest lane did not finish"
		fail=$((fail + 1))
	fi
fi
total=$((pass + fail + skip))
if [ $total -eq 0 ]; then
	echo "tests/run.sh: no tests found in $B/tests or tests/; run make first" >&2
	exit 1
fi
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
