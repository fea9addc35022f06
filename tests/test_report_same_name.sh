#!/usr/bin/env bash
# procbench report of two inputs with one base name (ci/kernel-ab's A-1/r.json B-1/r.json): each section shows its own charts, under distinct file names.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v gnuplot >/dev/null || { echo "skip: gnuplot not installed (apt-get install gnuplot-nox)"; exit 77; }
cd "$tmp" || exit 1
mkdir A-1 B-1
q=(--quick --time-budget 0.1 --min-time 0.02 --no-counters)
"$pb" "${q[@]}" --filter '^fork$' --out A-1/r.json >/dev/null 2>err || { cat err; exit 1; }
"$pb" "${q[@]}" --filter '^vfork$' --out B-1/r.json >/dev/null 2>err || { cat err; exit 1; }
"$pb" report --out rep A-1/r.json B-1/r.json >/dev/null 2>err || { echo "report failed: $(cat err)"; exit 1; }
/usr/bin/python3 - <<'PY'
import filecmp, os, re, sys, xml.etree.ElementTree as E
page = open("rep/index.html", encoding="utf-8").read()
secs = re.split(r"<h2 id='s\d+'>", page)[1:]
bad = []
if len(secs) != 2:
    sys.exit(f"the page has {len(secs)} sections, want 2")
charts = [re.findall(r"<img src='([^']+)\.png'", s) for s in secs]
if not all(charts) or set(charts[0]) & set(charts[1]):
    bad.append(f"the sections share chart files: {charts}")
for own, other, cs in (("fork", "vfork", charts[0]), ("vfork", "fork", charts[1])):
    for c in cs:
        for ext in ("png", "svg"):
            if not os.path.isfile(f"rep/{c}.{ext}"):
                bad.append(f"rep/{c}.{ext} is missing")
        summary = [c for c in cs if c.endswith(".summary")]
    if not summary:
        bad.append(f"no summary chart in the {own} section: {cs}")
        continue
    texts = ["".join(t.itertext()) for t in E.parse(f"rep/{summary[0]}.svg").getroot().iter() if t.tag.endswith("text")]
    if own not in texts or other in texts:
        bad.append(f"the {own} section's {summary[0]}.svg shows {[t for t in texts if t in ('fork', 'vfork')]}")
s0 = [c for c in charts[0] if c.endswith(".summary")]
s1 = [c for c in charts[1] if c.endswith(".summary")]
if s0 and s1 and filecmp.cmp(f"rep/{s0[0]}.svg", f"rep/{s1[0]}.svg", shallow=False):
    bad.append("the two summary charts are the same file content")
print("\n".join(bad) or f"each section draws its own: {charts}")
sys.exit(1 if bad else 0)
PY
