#!/usr/bin/env bash
# procbench report takes results and comparisons only as procbench's reader checked them (validate --format json: no rules of its own to drift), so non-finite or huge numbers, medians below 0, negative counts, p-values outside [0,1], NUL in a string are one line naming the field, exit 2, no traceback and no folder; the raw samples, which it reads itself, it checks itself even when they change after validate (below 0, past 2^53, no number).
# scope: controller
set -u
root=$(pwd)
pb="$root/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v gnuplot >/dev/null || { echo "skip: gnuplot not installed (apt-get install gnuplot-nox)"; exit 77; }
cd "$tmp" || exit 1
q=(--quick --time-budget 0.1 --min-time 0.02 --no-counters --filter '^(fork|vfork)$')
"$pb" "${q[@]}" --out a.json >/dev/null 2>err && "$pb" "${q[@]}" --out b.json >/dev/null 2>err || { cat err; exit 1; }
/usr/bin/python3 "$root/tests/graft_trace.py" a.json || exit 1
"$pb" compare --out cmp.json a.json b.json >/dev/null 2>err
[ -s cmp.json ] || { echo "compare wrote nothing: $(cat err)"; exit 1; }
# A procbench whose validate passes every file as it is, to reach the report's own checks of
# the raw samples (as when they are swapped after validate).
cat >yes-validate <<'SH'
#!/bin/sh
exec /usr/bin/python3 -c 'import json, os, sys
p = sys.argv[-1]
st, d = os.stat(p), json.load(open(p))
kind = "comparison" if "regressed" in d and "context" not in d else "results"
print(json.dumps({"path": p, "kind": kind, "dev": st.st_dev, "ino": st.st_ino, "document": d}))' "$@"
SH
chmod +x yes-validate
/usr/bin/python3 - "$root/plots/report.py" "$pb" <<'PY'
import json, os, shutil, subprocess, sys
report, pb = sys.argv[1], sys.argv[2]
a, c = json.load(open("a.json")), json.load(open("cmp.json"))
big = "1" + "0" * 400

def mutate(doc, path, raw):
    d = json.loads(json.dumps(doc))
    o = d
    for k in path[:-1]:
        o = o[k]
    o[path[-1]] = "@@RAW@@"
    return json.dumps(d).replace('"@@RAW@@"', raw)

B0 = ["benchmarks", 0]
RT = B0 + ["phases", "round_trip"]
KT = B0 + ["kernel_trace", "phases", 1]
cases = [  # (document, path, raw JSON text, the field the message must name)
    (a, RT + ["p50"], "1e400", "benchmarks[0].phases.round_trip.p50"),
    (a, RT + ["p50"], big, "benchmarks[0].phases.round_trip.p50"),
    (a, B0 + ["params", "rss_bytes"], big, "benchmarks[0].params.rss_bytes"),
    (a, RT + ["mean"], "NaN", "benchmarks[0].phases.round_trip.mean"),
    (a, ["context", "counter", "hz"], "Infinity", "context.counter.hz"),
    (a, B0 + ["real_time"], "-Infinity", "benchmarks[0].real_time"),
    (a, B0 + ["iterations"], "9007199254740993", "benchmarks[0].iterations"),
    (a, B0 + ["cpu_time"], "-1e300", "benchmarks[0].cpu_time"),
    (a, RT + ["p50"], "-5", "benchmarks[0].phases.round_trip.p50"),
    (a, B0 + ["phases", "parent_return", "ci_lo"], "-0.5", "benchmarks[0].phases.parent_return.ci_lo"),
    (a, RT + ["stddev"], "-1", "benchmarks[0].phases.round_trip.stddev"),
    (a, RT + ["ci_coverage"], "1.5", "benchmarks[0].phases.round_trip.ci_coverage"),
    (a, KT + ["summary", "p50"], "-1", "benchmarks[0].kernel_trace.phases[1].summary.p50"),
    (a, B0 + ["iterations"], "-1", "benchmarks[0].iterations"),
    (a, B0 + ["params", "jobs"], "-2", "benchmarks[0].params.jobs"),
    (a, B0 + ["name"], '"fo\\u0000rk"', "benchmarks[0].name"),
    (a, ["context", "host_name"], '"h\\u0000"', "context.host_name"),
    (a, ["context", "x\u0001"], '{"k\\u0000": 1}', "a key near byte"),
    (c, ["benchmarks", 0, "base_median_ns"], "-1", "benchmarks[0].base_median_ns"),
    (c, ["benchmarks", 0, "base_median_ns"], big, "benchmarks[0].base_median_ns"),
    (c, ["benchmarks", 0, "new_median_ns"], "1e400", "benchmarks[0].new_median_ns"),
    (c, ["benchmarks", 0, "ratio"], "-1", "benchmarks[0].ratio"),
    (c, ["benchmarks", 0, "ratio_ci_lo"], "0", "benchmarks[0].ratio_ci_lo"),
    (c, ["benchmarks", 0, "p_value"], "2", "benchmarks[0].p_value"),
    (c, ["benchmarks", 0, "p_holm"], "-0.5", "benchmarks[0].p_holm"),
    (c, ["benchmarks", 0, "runs_base"], "-1", "benchmarks[0].runs_base"),
]
files = []
for i, (doc, path, raw, field) in enumerate(cases):
    name = f"m{i}.json"
    open(name, "w").write(mutate(doc, path, raw))
    files.append((name, field, f"{path[-1]} = {raw[:20]}", pb))
# Raw samples: one round trip below 0, one beyond 2^53, one that is no number.
lines = open("a.samples.tsv").read().split("\n")
first = next(k for k, l in enumerate(lines) if l[:1].isdigit())
for k, v in enumerate(("-1", "1e308", "nan")):
    d = json.loads(json.dumps(a))
    d["context"]["samples_file"] = f"s{k}.samples.tsv"
    json.dump(d, open(f"s{k}.json", "w"))
    f = lines[first].split("\t")
    f[1] = v
    open(f"s{k}.samples.tsv", "w").write("\n".join(lines[:first] + ["\t".join(f)] + lines[first + 1:]))
    files.append((f"s{k}.json", f"line {first + 1}", f"a sample of {v}", os.path.abspath("yes-validate")))

bad = []
for name, field, what, validator in files:
    env = dict(os.environ, PROCBENCH_BIN=validator)
    for how, cmd, e in (("report.py", ["/usr/bin/python3", report, "--out", "rep", name], env),
                        ("procbench report", [pb, "report", "--out", "rep", name], None)):
        r = subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=120)
        err = r.stderr.strip().splitlines()
        if r.returncode != 2 or len(err) != 1 or "Traceback" in r.stderr or os.path.exists("rep"):
            bad.append(f"{how}, {what}: rc={r.returncode}, folder left: {os.path.exists('rep')}, stderr: {r.stderr[-400:]!r}")
        elif field not in err[0]:
            bad.append(f"{how}, {what}: the message does not name {field}: {err[0]}")
        shutil.rmtree("rep", ignore_errors=True)
# What the rules allow: a kernel phase's offset below 0 and a kernel phase of 0 ns; a median of
# 0 (shorter than a coarse counter's tick: null on a 24 MHz arm64 counter); null ratios.
d = json.loads(json.dumps(a))
kp = d["benchmarks"][0]["kernel_trace"]["phases"]
kp[1]["starts_at_ns"] = -100.5
kp[1]["summary"]["min"] = 0
d["benchmarks"][0]["phases"]["round_trip"]["min"] = 0
json.dump(d, open("ok.json", "w"))
d = json.loads(json.dumps(c))
for k in ("ratio", "ratio_ci_lo", "ratio_ci_hi", "p_value", "p_holm"):
    d["benchmarks"][0][k] = None
d["benchmarks"][0]["base_median_ns"] = 0
json.dump(d, open("okcmp.json", "w"))
r = subprocess.run(["/usr/bin/python3", report, "--out", "rep-ok", "ok.json", "okcmp.json"], capture_output=True,
                   text=True, env=dict(os.environ, PROCBENCH_BIN=pb), timeout=300)
if r.returncode != 0:
    bad.append(f"values the rules allow were refused: rc={r.returncode} {r.stderr[-400:]}")
print("\n".join(bad) or f"{len(files)} damaged files refused by report.py and procbench report, each in one line")
sys.exit(1 if bad else 0)
PY
