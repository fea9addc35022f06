#!/usr/bin/env bash
# procbench model fits a sweep: fork's cost per touched MiB is above 0 beyond its interval and
# above vfork's (vfork copies no page tables), every point has its residual, JSON and text
# agree; compare of two sweeps compares their coefficients; bad input (one point, a term the points do not vary or separate, files of two
# kernels, a missing samples file, unknown options) is one line on stderr, exit 2, no stdout.
# scope: controller
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
"$pb" sweep --count 30 --rss 0,4M,16M,64M --touch --filter '^(fork|vfork)$' --out "$tmp/sw.json" \
	>"$tmp/out" 2>&1 || { cat "$tmp/out"; exit 1; }
"$pb" model --format json "$tmp/sw.json" >"$tmp/m.json" 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
[ -s "$tmp/err" ] && fail "stderr on success: $(cat "$tmp/err")"
/usr/bin/python3 - "$tmp/m.json" <<'PY' || fails=$((fails + 1))
import json, math, sys
d = json.load(open(sys.argv[1]))
m = {x["name"]: x for x in d["models"]}
assert set(m) == {"fork", "vfork"}, sorted(m)
for name, x in m.items():
    assert x["status"] == "ok" and x["points"] == 4 and len(x["residuals"]) == 4, x
    t = {y["name"]: y for y in x["terms"]}
    assert set(t) == {"base", "per_mib"}, t  # touched memory is what these points vary
    for y in t.values():
        assert y["ci_lo"] <= y["coefficient_ns"] <= y["ci_hi"], y
    assert x["interval"] == "bootstrap" and x["bootstrap_replicates"] == 1000, x
    for r in x["residuals"]:
        assert all(math.isfinite(r[k]) for k in ("resident_mib", "measured_ns", "fitted_ns", "residual")), r
    print(f"{name}: base {t['base']['coefficient_ns']:.0f} ns, per MiB {t['per_mib']['coefficient_ns']:.1f} "
          f"[{t['per_mib']['ci_lo']:.1f}, {t['per_mib']['ci_hi']:.1f}] ns, R^2 {x['r2']:.4f}")
f, v = m["fork"], m["vfork"]
fm = next(y for y in f["terms"] if y["name"] == "per_mib")
vm = next(y for y in v["terms"] if y["name"] == "per_mib")
# Verdicts: fork copies page tables for every touched page, vfork none.
assert fm["ci_lo"] > 0, ("fork's per-MiB cost is not above 0", fm)
assert vm["coefficient_ns"] < fm["coefficient_ns"] / 4, ("vfork's per-MiB cost is not far below fork's", vm, fm)
PY
# Text: the equation, the terms, R^2, one line per point.
"$pb" model "$tmp/sw.json" >"$tmp/m.txt" 2>&1 || fail "text output exited $?"
grep -q '^fork (4 points, wall): round trip = [0-9.]* + [0-9.]* x resident MiB ns$' "$tmp/m.txt" || fail "no fork equation: $(head -3 "$tmp/m.txt")"
grep -q '^  per_mib ' "$tmp/m.txt" && grep -q 'R^2 ' "$tmp/m.txt" || fail "no term or R^2 line"
[ "$(grep -c '^  fork' "$tmp/m.txt")" -eq 4 ] || fail "not one line per fork point: $(cat "$tmp/m.txt")"
# --boot 0: normal intervals.
"$pb" model --boot 0 --format json "$tmp/sw.json" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert all(m["interval"] == "normal" for m in d["models"]), d' || fail "--boot 0"

bad() { # what, pattern, args...: exit 2, one line on stderr matching pattern, nothing on stdout
	local what=$1 pat=$2 rc=0
	shift 2
	"$pb" model "$@" >"$tmp/o" 2>"$tmp/e" || rc=$?
	if [ $rc -ne 2 ] || [ -s "$tmp/o" ] || [ "$(wc -l <"$tmp/e")" -ne 1 ] || ! grep -q -- "$pat" "$tmp/e"; then
		fail "$what: exit $rc, stdout '$(head -c 200 "$tmp/o")', stderr '$(cat "$tmp/e")'"
	fi
}
"$pb" --count 20 --filter '^fork$' --out "$tmp/one.json" >/dev/null 2>&1 || fail "the one-point run failed"
bad "one point" "a model needs a sweep" "$tmp/one.json"
bad "a term not varied" "per_thread: its regressor is 0\|per_thread cannot be told apart" --terms mib,thread "$tmp/sw.json"
"$pb" sweep --count 20 --rss 8M,16M,32M,64M --touch --filter '^fork$' --out "$tmp/flat.json" >/dev/null 2>&1 || fail "the 8-64M sweep failed"
bad "a term that does not separate" "per_vma cannot be told apart" --terms mib,vma "$tmp/flat.json"
bad "no file" "results files are needed"
bad "unknown option" "unknown option '--bogus'" --bogus "$tmp/sw.json"
bad "bad --terms" "'pages' is not a term" --terms mib,pages "$tmp/sw.json"
bad "bad --boot" "--boot '5' is not" --boot 5 "$tmp/sw.json"
bad "bad --format" "--format 'xml'" --format xml "$tmp/sw.json"
bad "a missing file" "nope.json" "$tmp/nope.json"
printf '{"benchmarks": [' >"$tmp/trunc.json"
bad "a truncated file" "trunc.json" "$tmp/trunc.json"
# Two kernels' files do not pool.
/usr/bin/python3 - "$tmp/sw.json" "$tmp/k2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["context"]["kernel_release"] = "0.0.0-other"
json.dump(d, open(sys.argv[2], "w"))
PY
bad "two kernels" "differ in kernel_release" "$tmp/sw.json" "$tmp/k2.json"
/usr/bin/python3 - "$tmp/sw.json" "$tmp/h2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["context"]["host_name"] = "another-machine"
json.dump(d, open(sys.argv[2], "w"))
PY
bad "two machines" "differ in host_name" "$tmp/sw.json" "$tmp/h2.json"
bad "one run twice" "are the same run" "$tmp/sw.json" "$tmp/sw.json"
cp "$tmp/sw.json" "$tmp/copy.json"
bad "a copy of a run" "are the same run" "$tmp/sw.json" "$tmp/copy.json"
# A results file whose samples file is gone: a broken pair, as everywhere.
mkdir "$tmp/gone" && cp "$tmp/sw.json" "$tmp/gone/" && bad "samples missing" "samples" "$tmp/gone/sw.json"
# compare of two sweeps: each coefficient of the models both sides fitted, BASE vs NEW, with
# the gate's rule (one run a side: inconclusive, the drift unknown); not a sweep: no models.
"$pb" sweep --count 30 --rss 0,4M,16M,64M --touch --filter '^(fork|vfork)$' --out "$tmp/sw2.json" \
	>/dev/null 2>&1 || fail "the second sweep failed"
rc=0
"$pb" compare --format json "$tmp/sw.json" "$tmp/sw2.json" >"$tmp/c.json" 2>/dev/null || rc=$?
[ $rc -le 1 ] || fail "compare of two sweeps exited $rc"
/usr/bin/python3 - "$tmp/c.json" <<'PY' || fails=$((fails + 1))
import json, sys
d = json.load(open(sys.argv[1]))
got = {(m["name"], m["term"]): m for m in d["models"]}
assert set(got) == {("fork", "base"), ("fork", "per_mib"), ("vfork", "base"), ("vfork", "per_mib")}, sorted(got)
f = got[("fork", "per_mib")]
assert f["ratio"] > 0 and f["ratio_ci_lo"] <= f["ratio"] <= f["ratio_ci_hi"], f
assert f["verdict"] == "inconclusive" and "runs" in f["why"], f
v = got[("vfork", "per_mib")]
# vfork's per-MiB cost is about 0: a ratio only where both are above 0 beyond their intervals.
assert ("ratio" in v) == (v["base_ci"][0] > 0 and v["new_ci"][0] > 0), v
assert v["difference_ci"][0] <= v["difference_ns"] <= v["difference_ci"][1], v
PY
"$pb" validate "$tmp/c.json" >/dev/null || fail "a comparison with models does not validate"
"$pb" compare "$tmp/sw.json" "$tmp/sw2.json" 2>/dev/null | grep -q "^cost models (both sides' sweeps" || fail "no cost models in compare's table"
"$pb" compare --format json "$tmp/one.json" "$tmp/one.json" 2>/dev/null | grep -q '"models"' && fail "models in a comparison of runs without a sweep"
# The report of a sweep: the model's table and chart (the report script is the same in every build).
if [ "${SAN:-}" != 1 ]; then
	"$pb" report --out "$tmp/rep" "$tmp/sw.json" >/dev/null 2>"$tmp/e" || fail "report: $(cat "$tmp/e")"
	[ -s "$tmp/rep/sw.model.png" ] && [ -s "$tmp/rep/sw.model.svg" ] || fail "no model chart in the report"
	grep -q "Cost model (procbench model" "$tmp/rep/index.html" && grep -q "per_mib (ns per resident MiB)" "$tmp/rep/index.html" ||
		fail "no model table in the report"
	# A run that is not a sweep has no model section and no error.
	"$pb" report --out "$tmp/rep1" "$tmp/one.json" >/dev/null 2>"$tmp/e" || fail "report of one point: $(cat "$tmp/e")"
	grep -q "Cost model" "$tmp/rep1/index.html" && fail "a model section for a run without a sweep"
fi
[ $fails -eq 0 ]
