#!/usr/bin/env bash
# The programs link only their own layers (harness/README.md), checked with nm on what was
# built: the creator (the measured specimen) carries nothing from the controller, the analysis
# or the reporters; the controller carries no method, no arch/ trampoline, nothing of the
# creator's own code, and does not load liburing.
set -u
command -v nm >/dev/null || { echo "skip: nm (binutils) not installed"; exit 77; }
fails=0
# Global symbols defined by a set of object files (every program has a main or _start).
defined() { nm -P -g --defined-only "$@" 2>/dev/null | awk '{print $1}' | grep -vx -e main -e _start | sort -u; }
in_program() { nm -P -g --defined-only "$1" | awk '{print $1}' | sort -u; }
# program, label, objects that must contribute nothing
none_of() {
	local prog=$1 label=$2 hits
	shift 2
	[ $# -gt 0 ] || { echo "no $label objects found under $B"; fails=$((fails + 1)); return; }
	hits=$(comm -12 <(in_program "$prog") <(defined "$@"))
	if [ -n "$hits" ]; then
		echo "$(basename "$prog") links $label: $(echo $hits | head -c 300)"
		fails=$((fails + 1))
	fi
}
shopt -s nullglob
creator=$B/procbench-creator
pb=$B/procbench
none_of "$creator" "the controller" $B/harness/controller/*.o
none_of "$creator" "the analysis" $B/harness/analysis/*.o
none_of "$creator" "a reporter" $B/harness/report/*.o
none_of "$pb" "a method" $B/bench/*.o
none_of "$pb" "arch/ trampolines" $B/arch/*.o
none_of "$pb" "the creator's code" $B/harness/creator/*.o
if readelf -d "$pb" | grep -q 'NEEDED.*liburing'; then
	echo "procbench loads liburing: $(readelf -d "$pb" | grep NEEDED | tr -s ' ')"
	fails=$((fails + 1))
fi
if readelf -l "$creator" | grep -q INTERP; then
	echo "the creator is dynamically linked"
	fails=$((fails + 1))
fi
# The check itself must be able to fail: the creator does define the methods.
[ -n "$(comm -12 <(in_program "$creator") <(defined $B/bench/*.o))" ] ||
	{ echo "nm finds no method in the creator: the check cannot see anything"; fails=$((fails + 1)); }
echo "creator: $(in_program "$creator" | wc -l) global symbols; procbench: $(in_program "$pb" | wc -l)"
[ $fails -eq 0 ]
