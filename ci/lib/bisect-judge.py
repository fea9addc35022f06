#!/usr/bin/python3
# ci/kernel-bisect's judge of one step (or of BAD against GOOD):
#   bisect-judge.py COMPARE_JSON SET_FILE THRESHOLD_PCT FASTER(0|1) BOOTS
# reads procbench compare's JSON of GOOD's boots -> the step's and prints
# "VERDICT<TAB>DETAIL": bad (a judged benchmark's interval wholly beyond the threshold in the
# sought direction), good (every judged interval short of it) or unclear; "none" when SET_FILE
# is empty and nothing moved. An empty SET_FILE (GOOD -> BAD) is filled with the benchmarks
# that moved: those are judged at every step. With BOOTS > 1, a benchmark that ran in fewer
# boots of a side (compare leaves out a boot whose benchmark failed, and one boot left would
# be judged by its own bootstrap: one layout) is never decided.
import json, math, os, sys
cmp_path, set_path, thr, faster = sys.argv[1], sys.argv[2], float(sys.argv[3]) / 100, sys.argv[4] == "1"
boots = int(sys.argv[5])
rows = {b["name"]: b for b in json.load(open(cmp_path))["benchmarks"]}
judged = [l for l in open(set_path).read().split("\n") if l] if os.path.getsize(set_path) else []
def counts(b):  # how many boots a side had the benchmark (compare leaves out one that failed)
    return len(b.get("base_run_medians_ns") or []), len(b.get("new_run_medians_ns") or [])
def moved(b):  # the interval wholly beyond the threshold, in the sought direction
    if boots > 1 and counts(b) != (boots, boots):
        return None  # judged from fewer boots than asked: one layout could decide it
    lo, hi = b.get("ratio_ci_lo"), b.get("ratio_ci_hi")
    if lo is None or hi is None or not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    if faster:
        return True if hi < 1 - thr else (False if lo >= 1 - thr else None)
    return True if lo > 1 + thr else (False if hi <= 1 + thr else None)
if not judged:  # GOOD -> BAD: the benchmarks that moved are the ones judged from now on
    judged = [n for n, b in rows.items() if moved(b)]
    open(set_path, "w").write("".join(n + "\n" for n in judged))
    names = judged or list(rows)
else:
    names = judged
detail, states = [], []
for n in names:
    b = rows.get(n)
    if b is None:
        detail.append(f"{n} missing"); states.append(None); continue
    m = moved(b)
    states.append(m)
    if boots > 1 and counts(b) != (boots, boots):
        nb, nn = counts(b)
        detail.append(f"{n} in {nb} and {nn} of {boots} boots")
    elif any(b.get(k) is None for k in ("ratio", "ratio_ci_lo", "ratio_ci_hi")):
        detail.append(f"{n} no interval")
    else:
        detail.append(f"{n} {b['ratio']:.4f} [{b['ratio_ci_lo']:.4f}, {b['ratio_ci_hi']:.4f}]")
if not judged:
    verdict = "none"
elif any(s is True for s in states):
    verdict = "bad"
elif all(s is False for s in states):
    verdict = "good"
else:
    verdict = "unclear"
print(verdict + "\t" + "; ".join(detail))
