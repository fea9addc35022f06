#!/usr/bin/env bash
# What others leave in an output's folder cannot steer a writer: a forged commit journal naming files elsewhere is not acted on, the user's own NAME.old.N / NAME.tmp.N files are not taken for a dead writer's, and another user's symlink in a shared sticky folder is not followed.
set -u
pb="$(pwd)/$B/procbench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
args=(--filter '^null$' --count 3 --no-counters --quiet)
fails=0
no() { echo "$*"; fails=$((fails + 1)); }
mkdir W V
echo source >V/src
echo precious >V/victim
ino=$(stat -c %i V/src)
# A journal whose one entry renames V/src over V/dst and removes V/victim as its "backup".
printf 'procbench-commit-1\0001\000%s\000%s\000%s\000%s\000end\000' "$PWD/V/src" "$PWD/V/dst" \
	"$PWD/V/victim" "$ino" >W/.procbench-commit.99999
"$pb" "${args[@]}" --out W/x.json >/dev/null 2>err || no "a run beside a forged journal failed: $(cat err)"
[ -e V/src ] && [ ! -e V/dst ] && [ "$(cat V/victim 2>/dev/null)" = precious ] ||
	no "a forged journal moved or removed files outside its folder: $(ls V)"
# The user's own files that look like a writer's leftovers.
echo notes >W/x.json.old.2023
echo draft >W/x.json.tmp.99998
"$pb" "${args[@]}" --out W/x.json >/dev/null 2>err || no "second run failed: $(cat err)"
[ -e W/x.json.old.2023 ] && [ -e W/x.json.tmp.99998 ] || no "the user's own x.json.old.2023 / .tmp.99998 were removed"
# Another user's symlink in a sticky world-writable folder, pointing at one of our files.
chmod 711 "$tmp" # (nobody may pass through to S)
mkdir -m 1777 S
echo mine >mine
chmod 600 mine
if su nobody -s /bin/sh -c "ln -s '$PWD/mine' '$PWD/S/r.json'" 2>/dev/null && [ -L S/r.json ]; then
	"$pb" "${args[@]}" --out S/r.json >/dev/null 2>err
	rc=$?
	[ $rc -eq 2 ] && grep -q "another user's symlink in a shared folder" err || no "another user's symlink: rc=$rc $(cat err)"
	[ "$(cat mine)" = mine ] || no "the file another user's symlink pointed at was replaced"
else
	echo "skip: cannot make a symlink as nobody here: the shared-folder case is not run"
fi
[ $fails -eq 0 ]
