#!/usr/bin/env bash
# Kernels built from source, end to end (ci/kernel-build, kernel-ab --tree, kernel-bisect):
# bench/ktree/make-history's eight commits on Debian's linux-source-6.1, one of which adds a
# loop to copy_process() and one of which does not build. The bisection names the loop's
# commit and skips the broken one; an A/B of base against the loop's commit says fork,
# vfork, clone3, posix_spawn and thread-pthread "slower", and --trace puts the added time in
# copy_process and nowhere else; the results record what was built; the same bisection in
# an arm64 guest, where that arch's cache is present too; the tree is untouched.
# Runs only where a build cache is present (an object tree of that history, from
# ci/kernel-build or bench/ktree/bisect-speed --cache): a cold kernel build takes 15-40
# minutes on a 2-core machine, more than CI can spend. Elsewhere it skips, saying so.
# timeout: 1800
# (with the images cached: 150 s with the machine idle, and 120 s more for arm64; each commit
# not built before adds 20-60 s)
# lane: guest
set -u
. tests/kernel_setup.sh
export TMPDIR=$tmp
cache=${PB_KBUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/procbench/kernel-build}
hist=${XDG_CACHE_HOME:-$HOME/.cache}/procbench/ktree-6.1
if [ ! -d "$hist/.git" ] || ! grep -qxF "git:$hist" "$cache"/ws/x86_64-*/source 2>/dev/null; then
	echo "skip: no build cache of bench/ktree/make-history's tree for x86_64 under $cache (ci/kernel-build $hist --rev pb-good, or bench/ktree/bisect-speed --cache $cache, makes one: a cold build takes 15-40 minutes here)"
	exit 77
fi
bench/ktree/make-history "$hist" >/dev/null || { echo "FAIL: bench/ktree/make-history"; exit 1; }
rev() { git -C "$hist" rev-parse "$1"; }
head_before=$(rev HEAD)

rc=0
ci/kernel-bisect --tree "$hist" pb-good pb-bad --out "$tmp/b" >"$tmp/b.out" 2>"$tmp/b.err" || rc=$?
cat "$tmp/b.out"
[ $rc -eq 0 ] || { fail "bisection exit $rc"; tail -5 "$tmp/b.err"; }
grep -q "^first bad commit: $(rev pb-slower) " "$tmp/b.out" || fail "did not name pb-slower's commit"
/usr/bin/python3 - "$tmp/b/bisect.json" "$(rev pb-slower~2)" <<'PY' || fail "bisect.json"
import json, sys
d = json.load(open(sys.argv[1]))
broken = [s for s in d["steps"] if s["commit"] == sys.argv[2]]
assert broken, "the commit that does not build was not met"
assert broken[0]["verdict"] == "skip" and "does not build" in broken[0]["detail"], broken[0]
assert all(s["verdict"] != "bad" or "fork" in s["detail"] for s in d["steps"])
PY

sel='^(fork|vfork|clone3|posix_spawn|thread-pthread|kthread-run)$'
rc=0
ci/kernel-ab --tree "$hist" pb-good pb-slower --mode icount --boots 2 --out "$tmp/ab" -- --trace --quick --no-counters --filter "$sel" >"$tmp/ab.out" 2>&1 || rc=$?
[ $rc -eq 1 ] || { fail "A/B exit $rc, wanted 1 (slower)"; tail -20 "$tmp/ab.out"; }
/usr/bin/python3 - "$tmp/ab" "$(rev pb-good)" "$(rev pb-slower)" <<'PY' || fail "A/B verdicts"
import json, os, sys
d, good, slower = sys.argv[1:]
for run, want in (("A-1", good), ("A-2", good), ("B-1", slower), ("B-2", slower)):
    r = json.load(open(os.path.join(d, run, "r.json")))
    kb = r["context"]["kernel_build"]
    assert kb["revision"] == want and kb["kthread_module"] == "built", (run, kb)
    assert all(b["status"] == "ok" for b in r["benchmarks"]), [(b["name"], b["status"]) for b in r["benchmarks"]]
cmp = json.load(open(os.path.join(d, "compare.json")))
got = {b["name"]: b["verdict"] for b in cmp["benchmarks"]}
for n in ("fork", "vfork", "clone3", "posix_spawn", "thread-pthread", "kthread-run"):
    assert got[n] == "slower", (n, got)
for b in cmp["benchmarks"]:
    moved = {p["phase"]: p["moved"] for p in b.get("kernel_phases", [])}
    if b["name"] == "kthread-run":
        continue
    assert moved.get("copy_process") == "slower", (b["name"], moved)
    others = {p: m for p, m in moved.items() if p != "copy_process" and m != "no"}
    assert not others, (b["name"], others)
print("A/B: every method slower, the time added inside copy_process alone")
PY
# ci/kernel-run --tree: a revision built (here: found) and booted, what was built recorded.
rc=0
PB_KERNEL_OUT=$tmp/run ci/kernel-run --mode icount --tree "$hist" pb-slower --quick --no-counters --filter '^fork$' >/dev/null 2>"$tmp/run.err" || rc=$?
[ $rc -eq 0 ] || fail "kernel-run --tree: exit $rc: $(tail -1 "$tmp/run.err")"
/usr/bin/python3 -c 'import json, sys; kb = json.load(open(sys.argv[1]))["context"]["kernel_build"]; assert kb["revision"] == sys.argv[2] and kb["config_id"], kb' \
	"$tmp/run/r.json" "$(rev pb-slower)" || fail "kernel-run --tree: context.kernel_build"
# The same bisection in an arm64 guest, where that arch's build cache is present (a cold
# cross build took 29 minutes here).
if grep -qxF "git:$hist" "$cache"/ws/aarch64-*/source 2>/dev/null && command -v qemu-system-aarch64 >/dev/null; then
	rc=0
	ci/kernel-bisect --arch aarch64 --tree "$hist" pb-good pb-bad --out "$tmp/arm" >"$tmp/arm.out" 2>"$tmp/arm.err" || rc=$?
	[ $rc -eq 0 ] || { fail "arm64 bisection exit $rc"; tail -3 "$tmp/arm.err"; }
	grep -q "^first bad commit: $(rev pb-slower) " "$tmp/arm.out" || fail "arm64: did not name pb-slower's commit"
	echo "arm64: $(grep '^first bad commit' "$tmp/arm.out")"
else
	echo "skip arm64: no build cache of the history for aarch64 under $cache (ci/kernel-build $hist --rev pb-good --arch aarch64 makes one)"
fi
[ "$(rev HEAD)" = "$head_before" ] && [ -z "$(git -C "$hist" status --porcelain)" ] || fail "the tree changed"
[ $fails -eq 0 ] && echo ok
exit $((fails > 0))
