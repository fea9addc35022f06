#!/usr/bin/env bash
# --jobs N runs N creators at once and reports creations per second and the latency percentiles of all of them.
set -u
pb="$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$pb" --quick --time-budget 0.3 --filter '^(fork|vfork)$' --jobs 1,2 --out "$tmp/j.json" >"$tmp/out" 2>"$tmp/err" ||
	{ cat "$tmp/err"; exit 1; }
cat "$tmp/out"
grep -q 'creates/s' "$tmp/out" || { echo "console lacks creations per second"; exit 1; }
/usr/bin/python3 - "$tmp/j.json" <<'PY' || exit 1
import json, sys
bm = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
for m in ("fork", "vfork"):
    one, two = bm[m], bm[m + "/jobs:2"]
    for b in (one, two):
        assert b["status"] == "ok", b
        assert b["creations_per_s"] > 0
        rt = b["phases"]["round_trip"]
        assert rt["p50"] <= rt["p90"] <= rt["p99"] <= rt["max"]
    pl = two["placement"]
    assert two["params"]["jobs"] == 2 and len(pl["parent_pus"]) == 2 and len(set(pl["parent_pus"])) == 2, pl
    print(m, "creations/s: 1 job %.0f, 2 jobs %.0f" % (one["creations_per_s"], two["creations_per_s"]))
PY
