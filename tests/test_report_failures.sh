#!/usr/bin/env bash
# procbench report fails in one line, exit 2, leaving no folder and keeping an earlier report whole: gnuplot failing or missing, a full stdout, 8 file descriptors, an --out that would replace an input; a 10 MB host name is cut, not "Argument list too long".
# scope: controller
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v gnuplot >/dev/null || { echo "skip: gnuplot not installed (apt-get install gnuplot-nox)"; exit 77; }
cd "$tmp" || exit 1
"$pb" --quick --time-budget 0.1 --min-time 0.02 --no-counters --filter '^vfork$' --out a.json >/dev/null 2>err ||
	{ cat err; exit 1; }
fails=0
no() { echo "$*"; fails=$((fails + 1)); }
one_line_2() { # what, rc, pattern
	[ "$2" -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q -- "$3" err && ! grep -q Traceback err ||
		no "$1: rc=$2, stderr: $(head -c 300 err)"
}
listing() { find "$@" -printf '%p %s\n' -exec md5sum {} + 2>/dev/null | sort; }

# A 10 MB host name: drawn, and shown cut.
/usr/bin/python3 -c '
import json; d = json.load(open("a.json")); d["context"]["host_name"] = "h" * 10_000_000; json.dump(d, open("a.json", "w"))'
"$pb" report --out big a.json >/dev/null 2>err || no "10 MB host name: $(head -c 300 err)"
[ -s big/index.html ] && [ "$(stat -c %s big/index.html)" -lt 200000 ] && grep -q 'hhhh…' big/index.html ||
	no "10 MB host name: the page is $(stat -c %s big/index.html 2>/dev/null) bytes, or does not show it cut"
rm -rf big
/usr/bin/python3 -c '
import json; d = json.load(open("a.json")); d["context"]["host_name"] = "box"; json.dump(d, open("a.json", "w"))'

# An earlier report, to be kept whole by every failure below.
"$pb" report --out rep a.json >/dev/null 2>err || { cat err; exit 1; }
before=$(listing rep)
kept() { [ "$(listing rep)" = "$before" ] && [ -z "$(find rep -name '.procbench-report*')" ] || no "$1: the earlier report changed"; }
# gnuplot fails halfway (it has written into the stage).
mkdir bin
printf '#!/bin/sh\n: >"$(dirname "$(dirname "$3")")/half.png"\necho "gnuplot: boom" >&2\nexit 1\n' >bin/gnuplot
chmod +x bin/gnuplot
PATH="$tmp/bin:$PATH" "$pb" report --out rep a.json >/dev/null 2>err
one_line_2 "gnuplot failing, into an earlier report" $? "gnuplot failed on summary.gp: gnuplot: boom"
kept "gnuplot failing"
PATH="$tmp/bin:$PATH" "$pb" report --out new/sub/rep a.json >/dev/null 2>err
one_line_2 "gnuplot failing, new folders" $? "gnuplot failed"
[ ! -e new ] || no "a failed report left $(find new)"
# gnuplot says nothing and exits 0 (as it does when its own write hit a full disk).
printf '#!/bin/sh\nexit 0\n' >bin/gnuplot
PATH="$tmp/bin:$PATH" "$pb" report --out rep a.json >/dev/null 2>err
one_line_2 "gnuplot drawing nothing" $? "gnuplot failed on summary.gp: it drew nothing"
kept "gnuplot drawing nothing"
# gnuplot missing.
mkdir nobin
PATH="$tmp/nobin" "$pb" report --out rep a.json >/dev/null 2>err
one_line_2 "gnuplot missing" $? "gnuplot is not installed"
kept "gnuplot missing"
# Its page's path to a full stdout; a limit of 8 open files.
"$pb" report --out full a.json >/dev/full 2>err
one_line_2 "stdout a full device" $? "cannot write to standard output (No space left on device)"
"$pb" report --out closed a.json >&- 2>err
one_line_2 "stdout closed" $? "cannot write to standard output (it is closed)"
(ulimit -n 8 && exec "$pb" report --out rep a.json) >/dev/null 2>err
one_line_2 "RLIMIT_NOFILE 8" $? "Too many open files"
kept "RLIMIT_NOFILE 8"
# --out that would replace an input: a file, an input named as a chart or the page, a hard link.
cp a.json keep.json
"$pb" report --out a.json a.json >/dev/null 2>err
one_line_2 "--out naming the input" $? "--out a.json is not a folder"
cmp -s a.json keep.json || no "--out a.json changed the input"
mkdir in
cp a.json in/index.html
cp a.samples.tsv in/
"$pb" report --out in in/index.html >/dev/null 2>err
one_line_2 "--out holding the input index.html" $? "--out in holds the input in/index.html, which the report's index.html would replace"
cmp -s in/index.html a.json || no "the input in/index.html was replaced"
[ -z "$(find in -name '.procbench-report*')" ] || no "a refused report left its stage in in/"
ln -f a.json rep/a.summary.png
"$pb" report --out rep a.json >/dev/null 2>err
one_line_2 "--out holding a hard link to the input" $? "holds the input a.json, which the report's a.summary.png would replace"
cmp -s a.json keep.json || no "the hard-linked input was replaced"
rm rep/a.summary.png
# The input's own folder is fine when nothing there is replaced; the pair still validates.
mkdir own
cp a.json a.samples.tsv own/
"$pb" report --out own own/a.json >/dev/null 2>err || no "--out the input's folder: $(cat err)"
[ -s own/index.html ] && "$pb" validate own/a.json >/dev/null 2>&1 || no "--out the input's folder broke the input"
[ $fails -eq 0 ] && echo "every failure one line, exit 2, nothing left behind, earlier report kept"
[ $fails -eq 0 ]
