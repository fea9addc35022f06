#!/usr/bin/env bash
# One reader contract for compare, validate and report: damaged or hostile results files are
# one-line errors with exit 2 in all three (no crash, no traceback, no NaN verdict), the same
# files are refused by each, samples never come from outside the results file's folder, and
# file names never reach gnuplot as code. Every value the reporters cannot use (integers past
# 2^53, medians below 0, negative or endless samples) is refused by the C reader and the
# report alike; names with spaces, quotes, newlines and control characters are data.
# timeout: 600
# scope: controller
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
"$pb" --quick --time-budget 0.05 --min-samples 30 --filter '^(vfork|fork-raw)$' --no-counters \
	--out good.json >/dev/null 2>&1 || { echo "run failed"; exit 1; }
# Kernel phases (--trace), grafted from a real traced run, so their fields are mutated too.
/usr/bin/python3 "$OLDPWD/tests/graft_trace.py" good.json || exit 1
# Another run: compare's BASE for the mutations of good.json (a run compared with itself, or a
# copy of it, is refused as the same run).
"$pb" --quick --time-budget 0.05 --min-samples 30 --filter '^(vfork|fork-raw)$' --no-counters \
	--out other.json >/dev/null 2>&1 || { echo "second run failed"; exit 1; }
fails=0
one_line_2() { # what, rc, stderr file, pattern
	local out
	out=$(grep -v '^note:\|^WARNING\|^  ' "$3")
	if [ "$2" -ne 2 ] || [ "$(echo "$out" | grep -c .)" -ne 1 ] || ! echo "$out" | grep -q -- "$4" ||
		grep -q Traceback "$3"; then
		echo "$1: rc=$2: $(cat "$3") (wanted one line matching '$4')"
		fails=$((fails + 1))
	fi
}
mutate() { # out, python expression over d (the parsed good.json)
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open("good.json"))
exec(sys.argv[2])
json.dump(d, open(sys.argv[1], "w"))
PY
	cp good.samples.tsv "${1%.json}.samples.tsv"
	sed -i "s/\"good.samples.tsv\"/\"${1%.json}.samples.tsv\"/" "$1"
}
check_all() { # file, pattern: compare, validate and report all refuse it the same way
	local rc
	"$pb" compare other.json "$1" >/dev/null 2>err; rc=$?
	one_line_2 "compare $1" $rc err "$2"
	"$pb" validate "$1" >/dev/null 2>err; rc=$?
	one_line_2 "validate $1" $rc err "$2"
	"$pb" report --out rep "$1" >/dev/null 2>err; rc=$?
	one_line_2 "report $1" $rc err "$2"
}

# parent_pus null crashed compare (strcmp on NULL).
mutate pus.json 'd["benchmarks"][0]["placement"]["parent_pus"] = None'
check_all pus.json "parent_pus' is null, not an array"
# A schema version that is a string raised TypeError in the report.
mutate ver.json 'd["context"]["procbench_schema_version"] = "1"'
check_all ver.json "procbench_schema_version is a string"
# Samples named outside the folder (/etc/passwd was opened), empty or ".".
for s in /etc/passwd . '' ../good.samples.tsv; do
	mutate sf.json "d['context']['samples_file'] = '$s'"
	check_all sf.json "must be a plain file name beside it"
done
# No samples at all: empty and header-only TSVs were NaN medians with exit 0.
mutate empty.json 'pass'
: >empty.samples.tsv
check_all empty.json "empty.samples.tsv is empty"
mutate hdr.json 'pass'
head -4 good.samples.tsv >hdr.samples.tsv
check_all hdr.json "has 0 samples of .* but hdr.json says"
# A NUL byte silently dropped the rest of the file.
mutate nul.json 'pass'
head -c 400 good.samples.tsv >nul.samples.tsv
printf '\0' >>nul.samples.tsv
tail -c +402 good.samples.tsv >>nul.samples.tsv
check_all nul.json "NUL byte at offset 400"
# A pair from two runs: same names, another run id; or fewer samples than iterations.
"$pb" --quick --time-budget 0.05 --min-samples 30 --filter '^(vfork|fork-raw)$' --no-counters \
	--out third.json >/dev/null 2>&1 || { echo "third run failed"; exit 1; }
mutate mixed.json 'pass'
cp third.samples.tsv mixed.samples.tsv
check_all mixed.json "belongs to another run"
mutate short.json 'pass'
head -n -3 good.samples.tsv >short.samples.tsv
check_all short.json "samples of .* but short.json says"

# Values no reader can use: validate passed them, then the report died with OverflowError and
# compare printed "inf [nan, nan]".
mutate huge.json 'd["benchmarks"][0]["phases"]["round_trip"]["p50"] = 10 ** 400'
check_all huge.json "round_trip.p50 is beyond 2^53"
mutate rss.json 'd["benchmarks"][0]["params"]["rss_bytes"] = 10 ** 400'
check_all rss.json "params.rss_bytes is beyond 2^53"
mutate neg.json 'd["benchmarks"][0]["params"]["rss_bytes"] = -(10 ** 20)'
check_all neg.json "params.rss_bytes is beyond 2^53"
mutate below.json 'd["benchmarks"][0]["phases"]["round_trip"]["p50"] = -5.5'
check_all below.json "round_trip.p50 is -5.5, not 0 or more"
mutate float.json 'd["benchmarks"][0]["phases"]["round_trip"]["ci_lo"] = 1e308'
check_all float.json "round_trip.ci_lo is beyond 2^53"
mutate nan.json 'd["benchmarks"][0]["phases"]["round_trip"]["p99"] = float("nan")'
check_all nan.json "NaN\|not a finite number\|not valid JSON"
# Text the report's Python cannot read, which json-c took: a byte that is not UTF-8, a lone
# surrogate, a comment.
mutate utf.json 'pass'
/usr/bin/python3 - <<'PY' || exit 1
raw = open("utf.json", "rb").read().replace(b'"name": "vfork"', b'"name": "vf\xffork"', 1)
raw = raw.replace(b'"name":"vfork"', b'"name":"vf\xffork"', 1)
open("utf.json", "wb").write(raw)
PY
check_all utf.json "is not UTF-8 text"
# A lone surrogate escaped in JSON ("\ud800") is read as U+FFFD by json-c and shown escaped by
# the report: all three accept it.
mutate sur.json 'd["benchmarks"][0]["name"] = "nu\ud800ll"'
"$pb" validate sur.json >/dev/null 2>err && "$pb" report --out rep-sur sur.json >/dev/null 2>>err &&
	{ "$pb" compare other.json sur.json >/dev/null 2>>err; [ $? -le 1 ]; } ||
	{ echo "a lone surrogate: $(cat err)"; fails=$((fails + 1)); }
mutate cmt.json 'pass'
printf '// a comment\n' | cat - cmt.json >cmt2.json && mv cmt2.json cmt.json
check_all cmt.json "is not valid JSON"
for v in -1 1e308 1e16; do
	mutate s$v.json 'pass'
	awk -v v=$v 'BEGIN { FS = OFS = "\t" } /^[0-9]/ && !done { $2 = v; done = 1 } { print }' good.samples.tsv >s$v.samples.tsv
	check_all s$v.json "s$v.samples.tsv line [0-9]* is not a procbench sample line"
done

# Names with quotes are data: a report of them works and runs nothing.
evil="x'; system(\"touch PWNED\"); y='"
cp good.json "$evil.json"
cp good.samples.tsv "$evil.samples.tsv"
sed -i "s/\"good.samples.tsv\"/\"x'; system(\\\\\"touch PWNED\\\\\"); y='.samples.tsv\"/" "$evil.json"
"$pb" report --out rep2 "$evil.json" >/dev/null 2>err || { echo "report of a quoted name failed: $(cat err)"; fails=$((fails + 1)); }
[ ! -e PWNED ] && [ ! -e rep2/PWNED ] || { echo "a file name ran gnuplot code"; fails=$((fails + 1)); }
cp good.json "bob's run.json"
cp good.samples.tsv "bob's run.samples.tsv"
sed -i "s/\"good.samples.tsv\"/\"bob's run.samples.tsv\"/" "bob's run.json"
"$pb" report --out rep3 "bob's run.json" >/dev/null 2>err && [ -s "rep3/bob's run.summary.png" ] ||
	{ echo "report of bob's run.json: $(cat err)"; fails=$((fails + 1)); }

# Mutations of every field the readers use: compare and report accept or refuse together,
# always with exit 0/1/2 and one line, never a traceback. gnuplot is a stand-in that draws
# a placeholder (the report's own Python is what is tested here; its charts are tested
# elsewhere), which keeps hundreds of reports within a loaded machine's minutes.
mkdir -p bin
printf '#!/bin/sh\necho placeholder\n' >bin/gnuplot
chmod +x bin/gnuplot
# (The reader is the same C on every arch: the mutations run on the native builds only.)
[ "$ARCH" = generic ] || /usr/bin/python3 - "$pb" <<'PY' || fails=$((fails + 1))
import json, subprocess, sys, os, copy
pb = sys.argv[1]
good = json.load(open("good.json"))
paths = []
def walk(o, p, depth):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("environment",) and depth == 1:
                for kk in ("cpu_model", "hypervisor", "thp_enabled"):
                    paths.append(p + [k, kk])
                continue
            paths.append(p + [k])
            if depth < 4 and k not in ("batch_values", "parent_pus", "child_pus"):
                walk(v, p + [k], depth + 1)
walk(good["context"], ["context"], 1)
# The benchmark with kernel phases (grafted above), so they are walked too.
bi = next((i for i, b in enumerate(good["benchmarks"]) if "kernel_trace" in b), 0)
walk(good["benchmarks"][bi], ["benchmarks", bi], 1)
def get(d, p):
    for k in p[:-1]:
        d = d[k]
    return d
san = os.environ.get("SAN") == "1"
def one(job):
    i, p, kind, val = job
    d = copy.deepcopy(good)
    if val is KeyError:
        del get(d, p)[p[-1]]
    else:
        get(d, p)[p[-1]] = val
    m = f"m{i}.json"
    json.dump(d, open(m, "w"))
    out = []
    c = subprocess.run([pb, "compare", "--bootstrap", "100", "other.json", m], capture_output=True, text=True)
    v = subprocess.run([pb, "validate", m], capture_output=True, text=True)
    what = "/".join(map(str, p)) + " " + kind
    errs = [l for l in c.stderr.splitlines() if l.startswith("procbench")]
    if c.returncode not in (0, 1, 2) or (c.returncode == 2 and len(errs) != 1):
        out.append(f"compare, {what}: rc={c.returncode} {c.stderr[-300:]}")
    if any(ord(ch) < 32 and ch not in "\n" or ord(ch) == 127 for ch in c.stdout + c.stderr + v.stdout + v.stderr):
        out.append(f"{what}: a control character reached the terminal")
    if (c.returncode == 2) != (v.returncode == 2):
        out.append(f"{what}: compare rc={c.returncode}, validate rc={v.returncode}")
    if not san:  # the report's Python is the same under SAN; its gnuplot runs cost time
        r = subprocess.run([pb, "report", "--out", f"mrep{i}", m], capture_output=True, text=True,
                           env=dict(os.environ, PATH=os.path.abspath("bin") + ":" + os.environ["PATH"]))
        if "Traceback" in r.stderr or r.returncode not in (0, 2) or (r.returncode == 2 and len(r.stderr.strip().splitlines()) != 1):
            out.append(f"report, {what}: rc={r.returncode} {r.stderr[-300:]}")
        if (v.returncode == 2) != (r.returncode == 2):
            out.append(f"{what}: compare rc={c.returncode}, validate rc={v.returncode}, report rc={r.returncode}: "
                       f"{c.stderr.strip()[-200:]} | {r.stderr.strip()[-200:]}")
    return out
jobs = []
for p in paths:
    orig = get(good, p)[p[-1]]
    wrong = 1 if isinstance(orig, str) else "1"
    kinds = [("null", None), ("wrong type", wrong), ("deleted", KeyError)]
    # The value classes the readers must agree on: integers past 2^53, zero, negative.
    if isinstance(orig, (int, float)) and not isinstance(orig, bool):
        kinds += [("huge", 10 ** 400), ("zero", 0), ("negative", -1)]
    # Names and context strings with spaces, quotes, newlines and control characters.
    if isinstance(orig, str) and p[-1] not in ("samples_file", "run_id", "status", "time_base"):
        kinds += [("control characters", "a b\n\"'\\ \x1b]0;t\x07\x1b[2J\x9b")]
    for kind, val in kinds:
        jobs.append((len(jobs), p, kind, val))
from concurrent.futures import ThreadPoolExecutor
with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as ex:
    problems = [x for res in ex.map(one, jobs) for x in res]
for x in problems:
    print(x)
n, bad = len(jobs), len(problems)
print(f"{n} mutations, {bad} problems")
sys.exit(1 if bad else 0)
PY
[ $fails -eq 0 ]
