#!/usr/bin/env bash
# Interrupting a run leaves no creator or child process behind and no results file, whole or partial.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
for sig in INT TERM; do
	"$pb" --min-time 30 --time-budget 30 --filter '^(fork|execve-chain)$' >out 2>err &
	pid=$!
	# Wait until the creator is up and sampling.
	for _ in $(seq 1 100); do
		pgrep -f "procbench-creator" -P "$pid" >/dev/null && break
		sleep 0.05
	done
	creator=$(pgrep -P "$pid" -f procbench-creator)
	[ -n "$creator" ] || { echo "creator never started"; cat err; exit 1; }
	sleep 0.5
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	[ $rc -ne 0 ] || { echo "SIG$sig: procbench exited 0"; exit 1; }
	sleep 0.2
	# Nothing of the creator's process group may remain, not even a zombie.
	left=$(ps -e -o pid=,pgid=,stat=,comm= | awk -v g="$creator" '$2 == g')
	[ -z "$left" ] || { echo "SIG$sig left processes behind:"; echo "$left"; exit 1; }
	[ ! -e results ] || [ -z "$(ls -A results)" ] || { echo "SIG$sig left results: $(ls results)"; exit 1; }
done
exit 0
