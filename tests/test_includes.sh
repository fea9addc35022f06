#!/usr/bin/env bash
# The house of harness/README.md, from the sources' own #include lines: the README's arrow lines
# ("room -> rooms") are read, and every quoted #include of every source in arch/, bench/,
# bench-c/ and harness/*/ must stay in its room or reach one its line names. A room with no
# line, an arrow to no room, or an include outside the house fails. Creator-only declarations
# stay out of the shared protocol. tests/test_layers.sh checks the linked programs with nm.
set -u
[ "$ARCH" = "$(uname -m)" ] && [ -z "${SAN:-}" ] || { echo "skip: checked once, in the plain native build"; exit 77; }
fails=0
/usr/bin/python3 - <<'PY' || fails=$((fails + 1))
import glob, os, re, sys
arrows = {}
for line in open("harness/README.md"):
    m = re.match(r"^    ([a-z-]+) ->(.*)$", line)
    if m:
        arrows[m.group(1)] = set(m.group(2).split())
rooms = {"arch", "bench", "bench-c"} | {os.path.basename(d.rstrip("/")) for d in glob.glob("harness/*/")}
rooms = {r.rstrip("/") for r in rooms}
bad = 0
for room, to in arrows.items():
    for r in [room] + sorted(to):
        if r not in rooms:
            print(f"harness/README.md: '{r}' in the arrow line of {room} is no room ({sorted(rooms)})")
            bad += 1
def room_of(path):
    parts = os.path.normpath(path).split(os.sep)
    if parts[0] == "harness" and len(parts) > 2:
        return parts[1]
    return parts[0] if parts[0] in ("arch", "bench", "bench-c") else None
files = [f for pat in ("arch/*.[ch]", "arch/*/*.[ch]", "bench/*.[ch]", "bench/*/*.[ch]", "bench-c/*.[ch]",
                       "bench-c/*.cc", "harness/*/*.[ch]") for f in glob.glob(pat)]
for f in sorted(files):
    src = room_of(f)
    if src not in arrows:
        print(f"{f}: its room '{src}' has no arrow line in harness/README.md")
        bad += 1
        continue
    for n, line in enumerate(open(f, errors="replace"), 1):
        m = re.match(r'^#include "([^"]+)"', line)
        if not m:
            continue
        dst = room_of(os.path.relpath(os.path.join(os.path.dirname(f), m.group(1))))
        if dst is None and not os.path.exists(os.path.join(os.path.dirname(f), m.group(1))):
            continue  # a generated header (build/), outside the house
        if dst != src and dst not in arrows[src]:
            print(f"{f}:{n}: {src} -> {dst} is no arrow of harness/README.md: {line.strip()}")
            bad += 1
print(f"include rules checked over {len(files)} files, {len(arrows)} rooms")
sys.exit(1 if bad else 0)
PY
# A creator-only declaration never sits in the shared protocol: pb_shape_apply is creator/'s.
grep -n 'pb_shape_apply' harness/protocol/*.h && { echo "protocol/ declares the creator-only pb_shape_apply"; fails=$((fails + 1)); }
[ $fails -eq 0 ]
