#!/usr/bin/env bash
# An output that is an input is refused (exit 2, one line) before anything runs and the input is left as it was: compare --out naming a run of either side (also in a run list, through a symlink or a hard link) or the raw samples one names, and procbench --out naming its exec target.
set -u
pb="$(pwd)/$B/procbench"
target="$(pwd)/$B/procbench-exec-target"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
args=(--filter '^null$' --count 3 --no-counters --quiet)
fails=0
no() { echo "$*"; fails=$((fails + 1)); }

for f in a b c; do
	"$pb" "${args[@]}" --out $f.json >/dev/null 2>err || { cat err; exit 1; }
done
sums() { cat a.json a.samples.tsv b.json b.samples.tsv c.json c.samples.tsv | md5sum; }
before=$(sums)
ln -s a.json link.json
ln a.json hard.json
refused() { # pattern, compare args...
	local pat=$1 rc msg
	shift
	"$pb" compare "$@" >out 2>err
	rc=$?
	msg=$(grep -v -e '^note:' -e '^warning:' err)
	[ $rc -eq 2 ] && [ "$(echo "$msg" | grep -c .)" -eq 1 ] && echo "$msg" | grep -q -- "$pat" ||
		no "compare $*: rc=$rc: $msg"
	[ ! -s out ] || no "compare $* compared before refusing"
	[ "$(sums)" = "$before" ] || { no "compare $* changed an input"; before=$(sums); }
}
refused "a.json is a run of BASE" --out a.json a.json b.json
refused "b.json is a run of NEW" --out b.json a.json b.json
refused "c.json is a run of BASE" --out c.json a.json,c.json b.json
refused "c.json is a run of NEW" --out c.json a.json b.json,c.json
refused "link.json is a run of BASE (a.json)" --out link.json a.json b.json
refused "hard.json is a run of BASE (a.json)" --out hard.json a.json b.json
refused "a.samples.tsv holds the raw samples of a run of BASE (a.json)" --out a.samples.tsv a.json b.json
refused "b.samples.tsv holds the raw samples of a run of NEW (b.json)" --out b.samples.tsv a.json c.json,b.json
"$pb" compare --out cmp.json a.json b.json >/dev/null 2>err || no "a fresh --out was refused: $(cat err)"

# A run must not overwrite the program it runs.
cp "$target" T
t=$(md5sum <T)
"$pb" "${args[@]}" --exec-target "$tmp/T" --out "$tmp/T" >out 2>err
rc=$?
[ $rc -eq 2 ] && grep -q "T is the exec target" err || no "--out T --exec-target T: rc=$rc $(cat err)"
[ "$(md5sum <T)" = "$t" ] || no "the exec target was overwritten"
[ ! -s out ] || no "the run ran before refusing"
[ $fails -eq 0 ]
