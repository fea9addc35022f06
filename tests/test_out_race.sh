#!/usr/bin/env bash
# Concurrent writers of one results file exclude each other: after every round of 8 at once the pair validates (never "belongs to another run") and no temporary, backup or journal file is left; a reader during the round never sees a commit half done.
# scope: controller
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/d" && cd "$tmp/d" || exit 1
args=(--filter '^null$' --count 2 --no-counters --quiet --out race.json)
fails=0
no() { echo "$*"; fails=$((fails + 1)); }

# Where strace can trace, every rename is followed by a 0.1 s pause: a writer's commit then
# lasts long enough for another's to land inside it on any machine, fast or slow. Without
# the lock that mixes the pair in most rounds; with it, writers simply take turns.
wrap=()
if command -v strace >/dev/null && strace -f -qq -o /dev/null -e trace=rename true 2>/dev/null; then
	# (LeakSanitizer cannot run under ptrace: a SAN build's writers skip the leak check.)
	wrap=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
		strace -f -qq -o /dev/null -e trace=rename -e inject=rename:delay_exit=100000)
fi
rounds=6
for round in $(seq 1 $rounds); do
	pids=()
	for _ in 1 2 3 4 5 6 7 8; do
		"${wrap[@]}" "$pb" "${args[@]}" >/dev/null 2>>../err &
		pids+=($!)
	done
	# A reader while they commit (once there is a pair): it reads under the folder's shared
	# lock, so it never sees the samples renamed and the results file not yet.
	reader=""
	if [ "$round" -gt 1 ]; then
		(for _ in $(seq 1 40); do
			"$pb" validate race.json >/dev/null 2>../rerr || { cat ../rerr; exit 1; }
		done) >../reader.out 2>&1 &
		reader=$!
	fi
	for p in "${pids[@]}"; do
		wait "$p" || no "round $round: a writer failed: $(tail -n 3 ../err)"
	done
	[ -z "$reader" ] || wait "$reader" || no "round $round: a reader saw: $(cat ../reader.out)"
	"$pb" validate race.json >/dev/null 2>../verr || no "round $round: $(cat ../verr)"
	left=$(ls -A | grep -v -x -e race.json -e race.samples.tsv)
	[ -z "$left" ] || no "round $round left: $(echo $left)"
	[ $fails -eq 0 ] || break
done
[ $fails -eq 0 ]
