#!/usr/bin/env bash
# procbench sweep writes one results file in which fork grows with touched parent memory, more than vfork and posix_spawn do.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && "$pb" sweep --count 25 --rss 0,256M >out 2>err) ||
	{ cat "$tmp/err"; exit 1; }
f=$(ls "$tmp"/results/*.json)
[ "$(echo "$f" | wc -l)" -eq 1 ] || { echo "expected one results file: $f"; exit 1; }
/usr/bin/python3 - "$f" <<'PY' || exit 1
import json, sys
bm = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
names = sorted(bm)
print(names)
for m in ("fork", "vfork", "posix_spawn", "clone3"):
    for s in ("", "/rss:256M", "/rss:256M/touch"):
        assert m + s in bm and bm[m + s]["status"] == "ok", (m + s, bm.get(m + s))
t = lambda n: bm[n]["real_time"]
ci = lambda n: (bm[n]["phases"]["round_trip"]["ci_lo"], bm[n]["phases"]["round_trip"]["ci_hi"])
print({n: round(t(n) / 1000, 1) for n in names})
# Verdicts, not one machine's sizes (how much slower depends on the machine): touched memory
# makes fork slower beyond its median's interval, and grows fork more than vfork and
# posix_spawn, which copy no page tables.
assert ci("fork/rss:256M/touch")[0] > ci("fork")[1], ("fork should grow with touched memory", ci("fork"), ci("fork/rss:256M/touch"))
growth = lambda m: t(m + "/rss:256M/touch") / t(m)
for m in ("vfork", "posix_spawn"):
    assert growth(m) < growth("fork"), (m, growth(m), growth("fork"))
PY
