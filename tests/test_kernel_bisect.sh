#!/usr/bin/env bash
# ci/kernel-bisect's driver without compiling a kernel: a synthetic git history whose commits
# choose, through --build-cmd, Debian's 6.1 cloud kernel alone or with init_on_free=1 (which
# makes fork slower: .ci/run's known answer), and one commit that "does not build". The
# bisection (--boots 2: every end and step booted in layouts 0 and 1, judged over the boots)
# names the first commit with init_on_free=1, skips the broken one (git bisect's first pick,
# so it is always met), and leaves nothing behind; --faster on the same ends (one boot each,
# the default) says there is nothing to find; bad input is one line and exit 2 before anything boots;
# a GOOD that does not boot is refused; SIGTERM to its pid during a step stops the step, its
# bisection and the partial results.
# (The real source bisection, which builds kernels: tests/test_kernel_bisect_src.sh.)
# timeout: 1800
# (14 icount boots of the 6.1 cloud kernel, one benchmark each: about 480 s with the machine idle)
# lane: guest
set -u
. tests/kernel_setup.sh
export TMPDIR=$tmp

# The image: fetched (or found) by kernel-run's own resolution, without a boot.
out=$(ci/kernel-run --initramfs-only "$tmp/i.cpio.gz" "$k" 2>&1) || {
	case $out in *"cannot fetch Debian's"* | *"cannot download"*) echo "skip: Debian's archive cannot be reached: $out"; exit 77 ;; esac
	echo "FAIL: cannot get $k: $out"
	exit 1
}
img=$(ls build/kernels/amd64-bookworm/linux-image-6.1.*-cloud-amd64/boot/vmlinuz-* 2>/dev/null | sort -V | tail -1)
[ -f "$img" ] || { echo "FAIL: no 6.1 cloud image under build/kernels after fetching $k"; exit 1; }
img=$(cd "$(dirname "$img")" && pwd)/$(basename "$img")

# The history: c0 (GOOD) .. c8 (BAD); c4 does not build, c6 turns init_on_free=1 on.
h=$tmp/h
mkdir -p "$h"
git -C "$h" init -q -b main
git -C "$h" config user.name t
git -C "$h" config user.email t@t
choices=(base base base base broken base slow slow slow)
for i in "${!choices[@]}"; do
	echo "${choices[$i]}" >"$h/choice"
	echo "$i" >"$h/n"
	git -C "$h" add -A
	git -C "$h" commit -q -m "c$i ${choices[$i]}"
	git -C "$h" tag "c$i"
done
rev() { git -C "$h" rev-parse "$1"; }
# The test's premise: git bisect's first pick is the broken commit.
[ "$(git -C "$h" rev-list --bisect c8 ^c0)" = "$(rev c4)" ] || fail "git's first pick is not c4: the history no longer meets the broken commit"
cmd="case \$(cat choice) in broken) echo 'choice: does not compile' >&2; exit 3 ;; slow) echo init_on_free=1 >\"\$PB_APPEND_FILE\" ;; esac; echo '$img'"
common=(--tree "$h" --build-cmd "$cmd" --benchmark '^fork$' --threshold 1)

# Bad input: one line on stderr, exit 2, nothing booted, nothing left.
bad_input() { # what, expected text, arguments
	local what=$1 want=$2 rc=0 err
	shift 2
	case $1 in env) ;; *) set -- ci/kernel-bisect "$@" ;; esac
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	[ $rc -eq 2 ] || fail "$what: exit $rc, wanted 2 ($err)"
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "$what: not one line: $err"
	case $err in *"$want"*) ;; *) fail "$what: said '$err', wanted '$want'" ;; esac
}
bad_input "not a kernel tree" "not a kernel source tree" --tree "$h" c0 c8
bad_input "no such revision" "is not a commit" "${common[@]}" c0 nosuchrev
bad_input "GOOD after BAD" "not an ancestor" "${common[@]}" c8 c0
bad_input "same commit" "same commit" "${common[@]}" c3 c3
bad_input "option-like revision" "unknown option" "${common[@]}" c0 --all
bad_input "--filter" "--benchmark" "${common[@]}" c0 c8 -- --filter fork
bad_input "procbench --format csv" "JSON" "${common[@]}" c0 c8 -- --quick --format csv
bad_input "procbench -o" "results file inside the guest" "${common[@]}" c0 c8 -- -o x.json
bad_input "procbench --list" "lists or explains" "${common[@]}" c0 c8 -- --list
bad_input "procbench --form csv (a prefix)" "JSON" "${common[@]}" c0 c8 -- --form csv
bad_input "PB_BUILD_TIMEOUT" "PB_BUILD_TIMEOUT" env PB_BUILD_TIMEOUT=x ci/kernel-bisect "${common[@]}" c0 c8
bad_input "bad regex" "not a valid regular expression" "${common[@]}" --benchmark '(' c0 c8
bad_input "threshold" "not a percentage" "${common[@]}" --threshold 0 c0 c8
bad_input "--boots 0" "--boots 0 is out of range" "${common[@]}" --boots 0 c0 c8
bad_input "--boots 17" "--boots 17 is out of range" "${common[@]}" --boots 17 c0 c8
bad_input "--boots x" "--boots 'x' is not a whole number" "${common[@]}" --boots x c0 c8
bad_input "--boots without a value" "needs a value" "${common[@]}" c0 c8 --boots
bad_input "unknown option" "unknown option" "${common[@]}" --frob c0 c8
bad_input "not a folder" "not a folder" --tree "$tmp/none" --build-cmd true c0 c8
echo x >>"$h/n"
bad_input "dirty tree" "uncommitted changes" "${common[@]}" c0 c8
[ "$(cat "$h/n")" = "$(printf '8\nx')" ] || fail "the dirty tree's file was changed"
git -C "$h" checkout -q -- n
pgrep -f "qemu-system-x86_64.*$tmp" >/dev/null && fail "a bad-input case booted a guest"

# The bisection (into a folder whose name has a space).
head_before=$(rev HEAD)
rc=0
ci/kernel-bisect "${common[@]}" --boots 2 --out "$tmp/b x" c0 c8 >"$tmp/b.out" 2>"$tmp/b.err" || rc=$?
cat "$tmp/b.out"
[ $rc -eq 0 ] || { fail "bisection exit $rc"; cat "$tmp/b.err"; }
grep -q "^first bad commit: $(rev c6) " "$tmp/b.out" || fail "did not name c6 as the first bad commit"
/usr/bin/python3 - "$tmp/b x/bisect.json" "$(rev c4)" "$(rev c6)" <<'PY' || fail "bisect.json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["first_bad_commit"] == sys.argv[3], d["first_bad_commit"]
steps = {s["commit"]: s for s in d["steps"] if s["step"] > 0}
assert sys.argv[2] in steps, "the broken commit was not met"
assert steps[sys.argv[2]]["verdict"] == "skip", steps[sys.argv[2]]
assert "does not build" in steps[sys.argv[2]]["detail"], steps[sys.argv[2]]
bad = [s for s in d["steps"] if s["verdict"] == "bad"]
assert bad and all("fork" in s["detail"] for s in bad), bad
assert d["boots_per_step"] == 2, d["boots_per_step"]
for s in d["steps"]:
    assert s["build_seconds"] is not None, s
print("bisect.json:", [(s["step"], s["commit"][:8], s["verdict"]) for s in d["steps"]])
PY
[ -s "$tmp/b x/bisect.txt" ] && [ -s "$tmp/b x/git-bisect.log" ] || fail "the results folder lacks bisect.txt or git-bisect.log"
# Every end and booted step: two boots, in layouts 0 and 1, of one guest procbench.
/usr/bin/python3 - "$tmp/b x" <<'PY' || fail "the boots' folders"
import json, os, sys
out = sys.argv[1]
runs = sorted(d for d in os.listdir(out) if d in ("good", "bad") or d.startswith("step-"))
booted = [d for d in runs if os.path.isdir(os.path.join(out, d, "boot-1"))]
assert "good" in booted and "bad" in booted and len(booted) >= 3, runs
sums = set()
for d in booted:
    for i in (1, 2):
        c = json.load(open(os.path.join(out, d, "boot-%d" % i, "r.json")))["context"]
        assert c["guest_layout"] == str(i - 1), (d, i, c["guest_layout"])
        sums.add(c["guest_procbench_sha256"])
    assert not os.path.exists(os.path.join(out, d, "r.json")), d
assert len(sums) == 1, sums
print("boots:", booted)
PY
[ "$(rev HEAD)" = "$head_before" ] && [ -z "$(git -C "$h" status --porcelain)" ] && [ ! -e "$h/.git/BISECT_LOG" ] ||
	fail "the tree's HEAD, files or bisect state changed"
[ -z "$(ls "$tmp" | grep '^tmp\.')" ] || fail "work folders left: $(ls "$tmp" | grep '^tmp\.')"

# --faster on ends that got slower: nothing to find, said so.
rc=0
err=$(ci/kernel-bisect "${common[@]}" --faster --out "$tmp/f" c0 c8 2>&1 >/dev/null) || rc=$?
[ $rc -eq 2 ] || fail "--faster: exit $rc, wanted 2"
# (Progress lines come first; the verdict is the last line, whole.)
case $(printf '%s\n' "$err" | tail -1) in "ci/kernel-bisect: nothing to find"*"leave out --faster"*"the runs are in $tmp/f") ;; *) fail "--faster: said $err" ;; esac
[ -f "$tmp/f/good/r.json" ] && [ -f "$tmp/f/bad/r.json" ] || fail "--faster: the two runs were not kept"

# A GOOD that does not boot (init missing: the kernel panics at once): one line, exit 2, and
# the --out it made is gone (nothing was run in it).
nbcmd="echo rdinit=/nonexistent >\"\$PB_APPEND_FILE\"; echo '$img'"
rc=0
err=$(ci/kernel-bisect --tree "$h" --build-cmd "$nbcmd" --threshold 1 --out "$tmp/nb" c0 c8 2>&1 >/dev/null) || rc=$?
[ $rc -eq 2 ] || fail "GOOD that does not boot: exit $rc, wanted 2"
case $err in *"GOOD "*"does not boot or run"*) ;; *) fail "GOOD that does not boot: said $err" ;; esac
[ ! -e "$tmp/nb" ] || fail "GOOD that does not boot: --out left: $(ls -A "$tmp/nb")"

# SIGTERM to the script's pid alone during a step (the broken commit's build sleeps, marked):
# the step under git bisect run (git, its shell wrapper, its helper, a shell, then the step)
# is found and stopped, its build with it, then git; the partial results go; the tree is as
# it was. (SIGINT to the group reaches every process itself.)
# (The sleep is the build shell's child, as a make would be: it must go with the shell.)
scmd="case \$(cat choice) in broken) sleep 300.$$; exit 3 ;; slow) echo init_on_free=1 >\"\$PB_APPEND_FILE\" ;; esac; echo '$img'"
env --default-signal=INT,TERM ci/kernel-bisect --tree "$h" --build-cmd "$scmd" --benchmark '^fork$' --threshold 1 \
	--out "$tmp/i" c0 c8 >"$tmp/i.out" 2>&1 &
p=$!
w=0
while ! pgrep -f "sleep 300.$$" >/dev/null && kill -0 $p 2>/dev/null && [ $w -lt 6000 ]; do sleep 0.1; w=$((w + 1)); done
if pgrep -f "sleep 300.$$" >/dev/null; then
	kill -TERM $p
	w=0
	while kill -0 $p 2>/dev/null && [ $w -lt 600 ]; do sleep 0.1; w=$((w + 1)); done
	if kill -0 $p 2>/dev/null; then
		fail "SIGTERM: still running 60 s later"
		kill -KILL $p
	fi
	rc=0
	wait $p || rc=$?
	[ $rc -eq 143 ] || fail "SIGTERM: exit $rc, wanted 143: $(cat "$tmp/i.out")"
	grep -q "interrupted" "$tmp/i.out" || fail "SIGTERM: did not say interrupted"
	sleep 1
	pgrep -f "sleep 300.$$" >/dev/null && fail "SIGTERM: the step's build was left running"
	pgrep -f "kernel-bisect --step" >/dev/null && fail "SIGTERM: the step was left running"
	pgrep -f "qemu-system-x86_64.*$tmp" >/dev/null && fail "SIGTERM: a qemu was left running"
	[ ! -e "$tmp/i" ] || fail "SIGTERM: the partial results are still there"
	[ -z "$(ls "$tmp" | grep '^tmp\.')" ] || fail "SIGTERM: work folders left: $(ls "$tmp" | grep '^tmp\.')"
	[ "$(rev HEAD)" = "$head_before" ] && [ -z "$(git -C "$h" status --porcelain)" ] || fail "SIGTERM: the tree changed"
else
	wait $p
	fail "SIGTERM: the bisection never reached the sleeping step: $(cat "$tmp/i.out")"
fi
pkill -f "sleep 300.$$" 2>/dev/null
[ $fails -eq 0 ] && echo "ok"
exit $((fails > 0))
