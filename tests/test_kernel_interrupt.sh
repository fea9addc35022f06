#!/usr/bin/env bash
# SIGINT or SIGTERM to ci/kernel-ab's or ci/kernel-run's pid (or its process group) while a guest boots ends it promptly: "interrupted", exit 130/143, no qemu and no work folder left, no partial results.
# timeout: 600
set -u
. tests/kernel_setup.sh
# Job control: each script starts in a process group of its own and with SIGINT at its
# default, as a job started from a terminal does (a non-interactive shell's plain `&` would
# start it with SIGINT ignored, which a shell cannot trap).
set -m
fails=0
cleanup_all() {
	pkill -KILL -f "qemu-system-x86_64.*$tmp" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup_all EXIT
# Which script, the signal, pid or group, then the script's arguments. The work folders go
# under $tmp/w (TMPDIR), so qemu's command line (its -initrd) carries $tmp: the marker that
# finds this test's qemu and nobody else's.
interrupt() {
	local script=$1 sig=$2 target=$3 want p rc t0 waited=0 before=$fails
	shift 3
	want=$((128 + $(kill -l "$sig")))
	rm -rf "$tmp/w" "$tmp/out" "$tmp/log"
	mkdir "$tmp/w"
	TMPDIR="$tmp/w" PB_KERNEL_OUT="$tmp/out" "ci/$script" "$@" >"$tmp/log" 2>&1 &
	p=$!
	# Until a guest is booting (the first use downloads the kernel package).
	while ! pgrep -f "qemu-system-x86_64.*$tmp" >/dev/null; do
		if ! kill -0 $p 2>/dev/null; then
			wait $p
			if grep -q "cannot download" "$tmp/log"; then
				echo "skip: $(grep 'cannot download' "$tmp/log" | head -1)"
				exit 77
			fi
			echo "FAIL: $script ended before a guest booted:"
			cat "$tmp/log"
			exit 1
		fi
		[ $waited -lt 1500 ] || { echo "FAIL: no guest booting after 150 s"; kill -KILL -- -$p; exit 1; }
		sleep 0.1
		waited=$((waited + 1))
	done
	sleep 1
	t0=$(date +%s)
	if [ "$target" = group ]; then kill -"$sig" -- -$p; else kill -"$sig" $p; fi
	# Promptly: well under one boot (a minute or more here); a script that ignored the signal
	# would run on through its boots.
	waited=0
	while kill -0 $p 2>/dev/null && [ $waited -lt 300 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	if kill -0 $p 2>/dev/null; then
		echo "FAIL: $script still running 30 s after SIG$sig to its $target"
		kill -KILL -- -$p
		wait $p
		fails=$((fails + 1))
		return
	fi
	wait $p
	rc=$?
	sleep 0.5
	local what="$script, SIG$sig to its $target"
	[ $rc -eq "$want" ] || { echo "FAIL: $what: exit $rc, wanted $want"; fails=$((fails + 1)); }
	grep -q "^ci/$script: interrupted (SIG$sig)" "$tmp/log" ||
		{ echo "FAIL: $what: no 'interrupted' line:"; cat "$tmp/log"; fails=$((fails + 1)); }
	! grep -q "did not boot\|failed" "$tmp/log" ||
		{ echo "FAIL: $what: reported as a failure:"; cat "$tmp/log"; fails=$((fails + 1)); }
	! pgrep -af "qemu-system-x86_64.*$tmp" ||
		{ echo "FAIL: $what: qemu left running"; fails=$((fails + 1)); }
	[ -z "$(ls -A "$tmp/w")" ] || { echo "FAIL: $what: left $(ls "$tmp/w")"; fails=$((fails + 1)); }
	[ ! -e "$tmp/out" ] || { echo "FAIL: $what: left $(find "$tmp/out" | head -5)"; fails=$((fails + 1)); }
	[ $fails -gt $before ] || echo "$what: exit $rc within $(($(date +%s) - t0)) s, no qemu, no work folder, no results"
}
# kernel-ab's --out is its own option; PB_KERNEL_OUT above only reaches kernel-run.
ab=("$k" "$k" --mode icount --boots 2 --out "$tmp/out" -- --quick --no-counters --filter '^fork$')
interrupt kernel-ab INT pid "${ab[@]}"
interrupt kernel-ab TERM group "${ab[@]}"
interrupt kernel-run INT pid --mode icount "$k" --quick --no-counters --filter '^fork$'
[ $fails -eq 0 ]
