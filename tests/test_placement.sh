#!/usr/bin/env bash
# Placement: same-cpu and other-core put the child where they say (checked by getcpu in every child); policies this machine cannot express are skips with the reason.
set -u
pb="$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$pb" --quick --time-budget 0.2 --filter '^(fork|vfork|clone3|posix_spawn)$' \
	--pin same-cpu,other-core,smt-sibling,other-cache,other-node --check-placement \
	--out "$tmp/p.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out"
[ $rc -eq 0 ] || { echo "exit $rc"; cat "$tmp/err"; exit 1; }
/usr/bin/python3 - "$tmp/p.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
topo = d["context"]["environment"]["topology"]
bm = {b["name"]: b for b in d["benchmarks"]}
for m in ("fork", "vfork", "clone3"):
    same = bm[m]
    assert same["status"] == "ok", same
    pl = same["placement"]
    # The creator failed any sample whose child ran elsewhere; the last one is recorded.
    assert pl["observed_child_cpu"] == pl["parent_pus"][0], pl
    if topo["cores"] >= 2:
        other = bm[m + "/pin:other-core"]
        assert other["status"] == "ok", other
        pl = other["placement"]
        assert pl["child_pus"][0] != pl["parent_pus"][0] and pl["observed_child_cpu"] == pl["child_pus"][0], pl
# posix_spawn cannot place its child first: a skip that says so, not a mislabelled number.
assert bm["posix_spawn/pin:other-core"]["status"] == "skipped"
assert "inherits" in bm["posix_spawn/pin:other-core"]["skip_reason"]
assert bm["posix_spawn"]["status"] == "ok"
if topo["pus_per_core"] == 1:
    b = bm["fork/pin:smt-sibling"]
    assert b["status"] == "skipped" and "no SMT" in b["skip_reason"], b
if topo["numa_nodes"] == 1:
    b = bm["fork/pin:other-node"]
    assert b["status"] == "skipped" and "one NUMA node" in b["skip_reason"], b
if topo["l3_caches"] <= 1:
    b = bm["fork/pin:other-cache"]
    assert b["status"] == "skipped" and "last-level cache" in b["skip_reason"], b
PY
