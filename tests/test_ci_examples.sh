#!/usr/bin/env bash
# The CI examples and the LAVA definition are valid YAML and name only scripts and programs the project ships; ci/lava-cases turns a results file into lava-test-case calls.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - <<'PY' || exit 1
import glob, re, yaml, os
files = sorted(glob.glob("ci/examples/*.y*ml"))
assert len(files) >= 3, files
for f in files:
    doc = yaml.safe_load(open(f))
    assert isinstance(doc, dict) and doc, f
    text = open(f).read()
    for path in set(re.findall(r"\b(ci/[a-z-]+|build/\S*procbench|bench/[a-z-]+)", text)):
        path = path.replace("$(uname -m)", os.uname().machine)
        if path.startswith("build/"):
            continue  # built by the make step the file runs
        assert os.access(path, os.X_OK), (f, path)
# Both ways of comparing kernels: instruction time on any runner, KVM where there is one.
for f in ("ci/examples/github-kernel-ab.yml", "ci/examples/gitlab-kernel-ab.yml"):
    text = open(f).read()
    assert "--mode icount" in text and "--mode kvm" in text, f
    # Each boot into the history store, and the gate against the recent past.
    assert "--history" in text and "procbench history check" in text, f
lava = yaml.safe_load(open("ci/examples/lava-procbench.yaml"))
assert lava["metadata"]["format"].startswith("Lava-Test")
assert any("lava-cases" in s for s in lava["run"]["steps"])
print("ok:", files)
PY
"$B/procbench" --quick --time-budget 0.05 --filter '^(fork|null)$' --pin same-cpu,smt-sibling --out "$tmp/r.json" >/dev/null 2>&1
out=$(PATH=/usr/bin:/bin ci/lava-cases "$tmp/r.json")
echo "$out"
echo "$out" | grep -q '^lava-test-case fork --result pass --measurement [0-9.]* --units us$' || { echo "no fork measurement"; exit 1; }
echo "$out" | grep -q '^lava-test-case fork_pin_smt-sibling --result skip$' || { echo "skip not reported"; exit 1; }
# Names a case cannot take: empty, an option, two that read the same once made safe.
/usr/bin/python3 - "$tmp/r.json" "$tmp/odd.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for b, n in zip(d["benchmarks"], ["", "--result", "a b", "a_b"]):
    b["name"] = n
json.dump(d, open(sys.argv[2], "w"))
PY
cp "$tmp/r.samples.tsv" "$tmp/odd.samples.tsv"
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["context"]["samples_file"]="odd.samples.tsv"; json.dump(d,open(sys.argv[1],"w"))' "$tmp/odd.json"
out=$(PATH=/usr/bin:/bin ci/lava-cases "$tmp/odd.json")
echo "$out"
[ "$(echo "$out" | awk '{print $2}' | sort | uniq -d)" = "" ] || { echo "a case name given twice"; exit 1; }
echo "$out" | awk '{print $2}' | grep -q '^-' && { echo "a case name that reads as an option"; exit 1; }
echo "$out" | grep -q '^lava-test-case _ --result pass' && echo "$out" | grep -q '^lava-test-case a_b_2 ' ||
	{ echo "empty or repeated names not made unique"; exit 1; }
# TAP for kselftest-style runners.
"$B/procbench" --quick --time-budget 0.05 --filter '^null$' --format tap --out - 2>/dev/null | head -3 | grep -q '^ok 1 procbench: null' ||
	{ echo "--format tap"; exit 1; }
