#!/usr/bin/env bash
# SIGINT or SIGTERM to ci/kernel-ab's, ci/kernel-run's or bench/layout-spread's pid (or its process group) while a guest boots ends it promptly: "interrupted", exit 130/143, no qemu and no work folder left, no partial results.
# timeout: 600
# (three partial boots: 80 s with two CPU hogs and other work running, load average 6-9 on 2 cores)
# lane: guest
set -u
. tests/kernel_setup.sh
# Job control: each script starts in a process group of its own, as a job started from a
# terminal does, so the group can be signalled. env --default-signal: SIGINT and SIGTERM at
# their defaults even where this test was started with them ignored (in the background of a
# non-interactive shell), since a shell cannot trap a signal ignored when it started.
set -m
fails=0 n=0
trap 'pkill -KILL -f "qemu-system-x86_64.*$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# Which script (its path), the signal, pid or group, then the script's arguments (OUT stands for the
# case's output folder). Each case's work folders go under its own TMPDIR, so its qemu's
# command line (the -initrd path) carries a marker that finds it and nobody else's.
interrupt() {
	local script=$1 sig=$2 target=$3 want p rc t0 waited=0 before=$fails c a args=()
	shift 3
	n=$((n + 1))
	c=$tmp/c$n
	mkdir -p "$c/w"
	for a in "$@"; do [ "$a" = OUT ] && args+=("$c/out") || args+=("$a"); done
	want=$((128 + $(kill -l "$sig")))
	TMPDIR="$c/w" PB_KERNEL_OUT="$c/out" env --default-signal=INT,TERM "$script" "${args[@]}" >"$c/log" 2>&1 &
	p=$!
	# Until a guest is booting (the first use downloads the kernel package).
	while ! pgrep -f "qemu-system-x86_64.*$c/" >/dev/null; do
		if ! kill -0 $p 2>/dev/null; then
			wait $p
			if grep -q "cannot download" "$c/log"; then
				echo "skip: $(grep 'cannot download' "$c/log" | head -1)"
				exit 77
			fi
			echo "FAIL: $script ended before a guest booted:"
			cat "$c/log"
			exit 1
		fi
		[ $waited -lt 3000 ] || { echo "FAIL: no guest booting after 300 s"; kill -KILL -- -$p; exit 1; }
		sleep 0.1
		waited=$((waited + 1))
	done
	sleep 1
	t0=$(date +%s)
	if [ "$target" = group ]; then kill -"$sig" -- -$p; else kill -"$sig" $p; fi
	# Promptly: well under one boot; a script that ignored the signal would run on through
	# its boots.
	waited=0
	while kill -0 $p 2>/dev/null && [ $waited -lt 300 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	local what="$script, SIG$sig to its $target"
	if kill -0 $p 2>/dev/null; then
		echo "FAIL: $what: still running 30 s later"
		kill -KILL -- -$p
		wait $p
		fails=$((fails + 1))
		return
	fi
	wait $p
	rc=$?
	sleep 0.5
	[ $rc -eq "$want" ] || { echo "FAIL: $what: exit $rc, wanted $want"; fails=$((fails + 1)); }
	grep -q "^$script: interrupted" "$c/log" ||
		{ echo "FAIL: $what: no 'interrupted' line"; fails=$((fails + 1)); }
	! grep -q "did not boot\|failed\|panicked" "$c/log" ||
		{ echo "FAIL: $what: reported as a failure"; fails=$((fails + 1)); }
	! pgrep -af "qemu-system-x86_64.*$c/" ||
		{ echo "FAIL: $what: qemu left running"; fails=$((fails + 1)); }
	[ -z "$(ls -A "$c/w")" ] || { echo "FAIL: $what: left $(ls "$c/w")"; fails=$((fails + 1)); }
	[ ! -e "$c/out" ] || { echo "FAIL: $what: left $(find "$c/out" | head -5)"; fails=$((fails + 1)); }
	if [ $fails -gt $before ]; then
		sed 's/^/    /' "$c/log"
	else
		echo "$what: exit $rc within $(($(date +%s) - t0)) s, no qemu, no work folder, no results"
	fi
}
ab=("$k" "$k" --mode icount --boots 2 --out OUT -- --quick --no-counters --filter '^fork$')
interrupt ci/kernel-ab INT pid "${ab[@]}"
# What a Ctrl-C sends: qemu gets it too, and that is an interruption, not "did not boot".
interrupt ci/kernel-ab INT group "${ab[@]}"
interrupt ci/kernel-run TERM pid --mode icount "$k" --quick --no-counters --filter '^fork$'
interrupt bench/layout-spread TERM pid --layouts 2 --out OUT "$k" --quick --no-counters --filter '^fork$'
[ $fails -eq 0 ]
