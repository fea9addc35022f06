#!/usr/bin/env bash
# Results files: written atomically, never half a file; an unwritable path is a one-line error before sampling; default goes under results/.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
args=(--quick --time-budget 0.05 --filter '^null$')

mkdir "$tmp/ro"
chmod a-w "$tmp/ro"
if [ "$(id -u)" -ne 0 ]; then
	out=$("$pb" "${args[@]}" --out "$tmp/ro/x.json" 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] && echo "$out" | grep -q "cannot write" || { echo "ro dir: rc=$rc $out"; exit 1; }
fi
# Missing folders are made; a path that cannot be a file fails at once, before any sampling
# (no table printed), with one line.
"$pb" "${args[@]}" --out "$tmp/missing/dir/x.json" >/dev/null 2>&1 || { echo "missing folders not made"; exit 1; }
[ -s "$tmp/missing/dir/x.json" ] && [ -s "$tmp/missing/dir/x.samples.tsv" ] || { echo "no results in made folder"; exit 1; }
: >"$tmp/plain"
out=$("$pb" "${args[@]}" --out "$tmp/plain/x.json" 2>&1)
rc=$?
out=$(echo "$out" | grep -v '^procbench: warning:')
[ $rc -eq 2 ] || { echo "path under a file: rc=$rc"; exit 1; }
[ "$(echo "$out" | grep -c .)" -eq 1 ] && echo "$out" | grep -q "cannot write .*plain/x.json: Not a directory" ||
	{ echo "path under a file, message: $out"; exit 1; }

(cd "$tmp" && "$pb" "${args[@]}" >/dev/null 2>err) || { cat "$tmp/err"; exit 1; }
f=$(ls "$tmp"/results/*.json 2>/dev/null | head -1)
[ -n "$f" ] || { echo "no default results file under results/"; exit 1; }
/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" || exit 1
ls "$tmp/results" | grep -q '\.tmp\.' && { echo "temporary file left"; exit 1; }

# --out - writes the results to stdout instead of the table.
"$pb" "${args[@]}" --out - 2>/dev/null | /usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)' ||
	{ echo "--out - is not JSON"; exit 1; }
"$pb" "${args[@]}" --format console --out "$tmp/none.json" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "--format console --out FILE: rc=$rc, not the usage error"; exit 1; }
[ ! -e "$tmp/none.json" ] || { echo "--format console wrote a file"; exit 1; }
exit 0
