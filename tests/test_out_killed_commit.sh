#!/usr/bin/env bash
# A writer killed between the renames of its results/samples pair leaves nothing the next writer into that folder does not repair: the pair validates and no *.tmp.PID, *.old.PID or journal stays.
set -u
pb="$(pwd)/$B/procbench"
command -v strace >/dev/null || { echo "skip: strace is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/d" && cd "$tmp/d" || exit 1
args=(--filter '^null$' --count 3 --no-counters --quiet)
fails=0
no() { echo "$*"; fails=$((fails + 1)); }
run_id() { grep -o '"run_id":"[0-9a-f]*"' "$1"; }
strays() { ls -A | grep -v -x -e 'r.json' -e 'r.samples.tsv' -e 'o.json' -e 'o.samples.tsv'; }

# SIGKILL at the second rename (the results file's; the samples were renamed by the first),
# injected by strace so the moment is exact whatever the machine's speed. The rename itself is
# not performed (error=EIO), so the kill lands between the two renames.
kill_between() { # out
	(strace -f -qq -o /dev/null -e trace=rename \
		-e inject=rename:error=EIO:signal=SIGKILL:when=2 "$pb" "${args[@]}" --out "$1" \
		>/dev/null 2>&1; :) 2>/dev/null
}
strace -f -qq -o /dev/null -e trace=rename true 2>/dev/null ||
	{ echo "skip: strace cannot trace here (no ptrace)"; exit 77; }

"$pb" "${args[@]}" --out r.json >/dev/null 2>&1 || no "first run failed"
kill_between r.json
# The kill must have landed mid-commit: the samples are new, the results file is old. A reader
# says so, names the journal the writer left and what repairs it.
"$pb" validate r.json >/dev/null 2>../err && no "the injected kill did not land between the renames"
grep -q 'belongs to another run.*its folder holds .procbench-commit.[0-9]*, a commit a killed writer left' ../err ||
	no "validate did not point at the interrupted commit: $(cat ../err)"

# The next writer of the same file repairs, then writes its own pair.
"$pb" "${args[@]}" --out r.json >/dev/null 2>../err || no "the run after the kill failed: $(cat ../err)"
"$pb" validate r.json >/dev/null 2>../err || no "after the next run the pair is broken: $(cat ../err)"
[ -z "$(strays)" ] || no "the next run left: $(strays | tr '\n' ' ')"

# A writer of another file in the same folder repairs too: the killed commit is finished
# (roll forward), so r.json now pairs with the samples the killed writer renamed.
kill_between r.json
new=$(sed -n 's/^# run_id \([0-9a-f]*\).*/\1/p' r.samples.tsv | head -1)
"$pb" "${args[@]}" --out o.json >/dev/null 2>../err || no "a run into the same folder failed: $(cat ../err)"
"$pb" validate r.json >/dev/null 2>../err || no "the killed pair was not repaired by a writer of o.json: $(cat ../err)"
[ -z "$new" ] || run_id r.json | grep -q "$new" || no "the repair did not finish the killed commit"
[ -z "$(strays)" ] || no "after the repair: $(strays | tr '\n' ' ')"
[ $fails -eq 0 ]
