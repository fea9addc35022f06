#!/usr/bin/env bash
# No control character from a file or the machine reaches the terminal: names holding ESC ] 0 ; ... BEL (retitles the terminal) or ESC [ 2 J (clears it) are shown escaped by compare, validate and a run's console table.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
for r in a b; do
	"$pb" --count 5 --filter '^(null|fork)$' --no-counters --out $r.json >/dev/null 2>&1 || { echo "run $r failed"; exit 1; }
done
fails=0
raw() { # file: does it hold a control byte other than newline?
	LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$1"
}
/usr/bin/python3 - <<'PY' || exit 1
import json
for side in "ab":
    d = json.load(open(f"{side}.json"))
    d["benchmarks"][0]["name"] = "title\x1b]0;owned\x07 \x1b[2Jclear\nnext\x9bline"
    d["context"]["kernel_release"] = "6.1\x1b[31mred" if side == "a" else "6.12\x1b[2J"
    json.dump(d, open(f"e{side}.json", "w"))
PY
cp a.samples.tsv ea.samples.tsv && sed -i 's/"a.samples.tsv"/"ea.samples.tsv"/' ea.json
cp b.samples.tsv eb.samples.tsv && sed -i 's/"b.samples.tsv"/"eb.samples.tsv"/' eb.json
"$pb" compare ea.json eb.json >out 2>err
rc=$?
[ $rc -le 1 ] || { echo "compare of escaped names: rc=$rc $(cat err)"; fails=$((fails + 1)); }
for f in out err; do
	raw $f && { echo "compare's std$f holds a control character:"; cat -A $f | head; fails=$((fails + 1)); }
done
grep -qF 'title\x1b]0;owned\x07 \x1b[2Jclear\x0anext\u009bline' out ||
	{ echo "the name is not shown escaped:"; cat -A out | head -20; fails=$((fails + 1)); }
grep -qF '6.1\x1b[31mred -> 6.12\x1b[2J' err out || { echo "the kernel release is not shown escaped"; fails=$((fails + 1)); }
# Only on one side: the unpaired list.
"$pb" compare ea.json b.json >out 2>err
raw out && { echo "the unpaired list holds a control character"; fails=$((fails + 1)); }
# An error naming a point: several points with one (escaped) name.
/usr/bin/python3 - <<'PY' || exit 1
import json
d = json.load(open("ea.json"))
d["benchmarks"][1]["name"] = d["benchmarks"][0]["name"]
json.dump(d, open("dup.json", "w"))
PY
cp ea.samples.tsv dup.samples.tsv && sed -i 's/"ea.samples.tsv"/"dup.samples.tsv"/' dup.json
"$pb" validate dup.json >out 2>err
[ $? -eq 2 ] && grep -q 'several points named title\\x1b' err && ! raw err ||
	{ echo "validate's error is not escaped: $(cat -A err)"; fails=$((fails + 1)); }
# A file name with control characters, in the reader's errors.
"$pb" validate "$(printf 'x\033[2Jy.json')" >out 2>err
! raw err && grep -q 'x\\x1b\[2Jy.json' err || { echo "a path is not escaped: $(cat -A err)"; fails=$((fails + 1)); }
# The machine's own strings: a host name with escapes, in a private UTS namespace.
if unshare -u true 2>/dev/null; then
	unshare -u /usr/bin/python3 -c 'import os, socket, sys; socket.sethostname("h\x1b]0;owned\x07"); os.execv(sys.argv[1], sys.argv[1:])' \
		"$pb" --count 5 --filter '^null$' --no-counters --format console >out 2>err
	rc=$?
	[ $rc -eq 0 ] && ! raw out && ! raw err || { echo "run with an escaped host name: rc=$rc"; cat -A out err | head; fails=$((fails + 1)); }
	"$pb" --count 5 --filter '^null$' --no-counters --format tap --out t.tap >/dev/null 2>&1
	raw t.tap && { echo "TAP output holds a control character"; fails=$((fails + 1)); }
else
	echo "skip: unshare -u not permitted here: the host-name case is not run"
fi
[ $fails -eq 0 ]
