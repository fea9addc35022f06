#!/usr/bin/python3
# Results files for the history tests and bench/history-speed, made from one real run: each
# copy gets its own run id (the samples file's too) and each benchmark's times scaled, so a
# series can have a known step. Usage:
#   history_fixture.py SRC.json OUTDIR PREFIX SPEC [SEED] [HOST]
# SPEC is "N:factor,N:factor,..." (N copies at that factor, in order) or "@FILE" with one
# line per copy of "bench=factor bench=factor ..." (a bench not named keeps factor 1; "*"
# names every bench). SEED (default 1) draws 2% log-normal noise per copy and bench; SEED 0
# adds none (runs that agree exactly, as an icount guest's do). HOST replaces host_name.
import hashlib
import json
import math
import os
import random
import sys

src, out, prefix, spec = sys.argv[1:5]
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 1
host = sys.argv[6] if len(sys.argv) > 6 else None
rng = random.Random(seed)
doc = json.load(open(src))
samples = open(os.path.join(os.path.dirname(src) or ".", doc["context"]["samples_file"])).read().split("\n")
names = [b["name"] for b in doc["benchmarks"]]

copies = []
if spec.startswith("@"):
    for line in open(spec[1:]):
        f = dict(p.split("=") for p in line.split())
        copies.append({n: float(f.get(n, f.get("*", 1))) for n in names})
else:
    for part in spec.split(","):
        n, factor = part.split(":")
        copies += [{b: float(factor) for b in names}] * int(n)

PHASES = ("round_trip", "parent_return", "child_running")
for i, factors in enumerate(copies):
    scale = {}
    for k, b in enumerate(doc["benchmarks"]):
        noise = math.exp(rng.gauss(0, 0.02)) if seed else 1.0
        scale[k] = factors[b["name"]] * noise
    d = json.loads(json.dumps(doc))
    rid = hashlib.md5(("%s-%d-%d" % (prefix, seed, i)).encode()).hexdigest()
    d["context"]["run_id"] = rid
    d["context"]["samples_file"] = "%s-%d.samples.tsv" % (prefix, i)
    if host:
        d["context"]["host_name"] = host
    for k, b in enumerate(d["benchmarks"]):
        for ph in PHASES:
            s = b.get("phases", {}).get(ph)
            for f in ("min", "p50", "p90", "p99", "p999", "max", "mean", "stddev", "ci_lo", "ci_hi"):
                if s and isinstance(s.get(f), (int, float)):
                    s[f] *= scale[k]
        if isinstance(b.get("real_time"), (int, float)):
            b["real_time"] *= scale[k]
    lines = []
    for l in samples:
        if l.startswith("# run_id "):
            l = "# run_id " + rid
        elif l and l[0].isdigit():
            f = l.split("\t")
            k = int(f[0])
            f = [f[0]] + [x if x == "-" else "%d" % round(float(x) * scale[k]) for x in f[1:]]
            l = "\t".join(f)
        lines.append(l)
    with open(os.path.join(out, "%s-%d.samples.tsv" % (prefix, i)), "w") as fh:
        fh.write("\n".join(lines))
    with open(os.path.join(out, "%s-%d.json" % (prefix, i)), "w") as fh:
        json.dump(d, fh)
