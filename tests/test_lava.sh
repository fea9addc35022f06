#!/usr/bin/env bash
# LAVA's own dispatcher runs procbench's job (ci/lava-run: lava-run, a qemu x86_64 device and an arm64 one,
# Debian's 6.1 cloud kernel, the test definition inline): LAVA records one test case per
# benchmark with procbench's median and its units, a skipped benchmark as a skip, and the run
# itself as a case; ci/lava-run's check of LAVA's cases against the results file that came back
# over the console passes; no qemu and no scratch folder of the job is left. Skipped with the
# reason where lava-run cannot run (not root, lava-dispatcher not installed).
# timeout: 600
# lane: guest
set -u
. tests/kernel_setup.sh
out=$(ci/lava-run --out "$tmp/lava" $k --quick --no-counters --time-budget 0.2 \
	--filter '^(fork|vfork|null)$' --pin same-cpu,smt-sibling 2>&1)
rc=$?
if [ $rc -eq 77 ]; then
	echo "skip: $(printf '%s\n' "$out" | grep -m1 'skip:' | sed 's/.*skip: //')"
	exit 77
fi
printf '%s\n' "$out" | tail -n 3
[ $rc -eq 0 ] || { echo "ci/lava-run exited $rc: $out"; exit 1; }
/usr/bin/python3 - "$tmp/lava" <<'PY' || fail "LAVA's results"
import json, os, sys, yaml
d = sys.argv[1]
res = yaml.safe_load(open(os.path.join(d, "results.yaml")))
assert res["job"]["result"] == "pass" and not res["lava_failures"], res
cases = {c["name"]: c for c in res["test_cases"]}
doc = json.load(open(os.path.join(d, "r.json")))
assert cases["procbench-run"]["result"] == "pass", cases
# No SMT on the machines this runs on (the qemu guest has none): smt-sibling is a skip.
assert cases["fork"]["result"] == "pass" and cases["fork"]["units"] == "us", cases["fork"]
want = {b["name"].replace("/", "_").replace(":", "_"): b for b in doc["benchmarks"]}
assert set(want) | {"procbench-run"} == set(cases), (sorted(want), sorted(cases))
for name, b in want.items():
    c = cases[name]
    if b["status"] == "ok":
        assert abs(c["measurement"] - round(b["real_time"] / 1000, 3)) < 5e-4, (c, b["real_time"])
    else:
        assert c["result"] == "skip" and "measurement" not in c, c
assert any(c["result"] == "skip" for c in cases.values()), "no skipped benchmark came through as a skip"
print(f"LAVA: {len(cases)} cases, {sum(c['result'] == 'pass' for c in cases.values())} pass, "
      f"{sum(c['result'] == 'skip' for c in cases.values())} skip; fork {cases['fork']['measurement']} us")
PY
# The same job on a qemu arm64 device (the arm64 guest's userland, Debian's arm64 cloud kernel):
# clone3 with CLONE_SETTLS proves its thread pointer there, as a LAVA case.
out=$(ci/lava-run --arch aarch64 --out "$tmp/lava-arm64" linux-image-cloud-arm64 --quick --no-counters \
	--time-budget 0.2 --filter '^(fork|clone3-settls)$' 2>&1)
rc=$?
printf '%s\n' "$out" | tail -n 1
if [ $rc -eq 77 ]; then
	echo "arm64 skipped: $(printf '%s\n' "$out" | grep -m1 'skip:')"
elif [ $rc -ne 0 ]; then
	fail "the arm64 LAVA job: ci/lava-run exited $rc: $out"
else
	grep -A2 "name: clone3-settls" "$tmp/lava-arm64/results.yaml" | grep -q "result: pass" ||
		fail "clone3-settls did not pass on the arm64 device: $(cat "$tmp/lava-arm64/results.yaml")"
fi
pgrep -f "qemu-system-.*/var/lib/lava/dispatcher/tmp/procbench-" >/dev/null && fail "a qemu of the LAVA job is left running"
ls -d /var/lib/lava/dispatcher/tmp/procbench-* 2>/dev/null | grep -q . && fail "LAVA's scratch folder is left: $(ls -d /var/lib/lava/dispatcher/tmp/procbench-*)"
# Bad input is one line, exit 2, before any boot.
out=$(ci/lava-run --bogus $k 2>&1)
rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q "unknown option '--bogus'" || fail "--bogus: exit $rc: $out"
out=$(ci/lava-run 2>&1)
rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q "needs a KERNEL" || fail "no kernel: exit $rc: $out"
[ $fails -eq 0 ]
