#!/usr/bin/env bash
# procbench sweep writes one results file in which fork grows with touched parent memory while vfork and posix_spawn stay flat.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && "$pb" sweep --quick --rss 0,256M --time-budget 0.3 >out 2>err) ||
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
print({n: round(t(n) / 1000, 1) for n in names})
assert t("fork/rss:256M/touch") > 5 * t("fork"), "fork should grow with touched memory"
for m in ("vfork", "posix_spawn"):
    r = t(m + "/rss:256M/touch") / t(m)
    assert 1 / 1.35 < r < 1.35, (m, r)
PY
