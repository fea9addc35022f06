#!/usr/bin/env bash
# What a caller knows goes into the results through procbench (--context KEY=VALUE, KEY=@FILE),
# in the order given, after procbench's own keys; a key procbench writes is refused (every key
# of a written file's context is tried, so the schema's list and the writer agree), and so are
# bad keys, repeats, unreadable, special or non-JSON files and non-UTF-8 text: one line, exit
# 2, no results file. And which methods a run's options select comes from procbench itself
# (--list --format json): --filter in every spelling, sweep's implied filter, the default set.
# scope: controller
set -u
pb="$B/procbench"
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "$*"; fails=$((fails + 1)); }
run=(--quick --no-counters --time-budget 0.05 --min-time 0 --filter '^vfork$')

printf '{"revision": "abc", "n": [1, 2.5, null], "ok": true}' >"$tmp/build.json"
"$pb" "${run[@]}" --context booted_kernel=6.1-test --context 'note=it'\''s "quoted" é' \
	--context kernel_build=@"$tmp/build.json" --context empty= --out "$tmp/r.json" >/dev/null 2>"$tmp/err" ||
	fail "a run with --context failed: $(cat "$tmp/err")"
"$pb" validate --quiet "$tmp/r.json" || fail "validate refuses a file with --context keys"
/usr/bin/python3 - "$tmp/r.json" <<'PY' || fails=$((fails + 1))
import json, sys
c = json.load(open(sys.argv[1]))["context"]
keys = list(c)
assert keys[-4:] == ["booted_kernel", "note", "kernel_build", "empty"], keys[-6:]
assert keys.index("run_id") < keys.index("booted_kernel"), keys
assert c["booted_kernel"] == "6.1-test" and c["note"] == "it's \"quoted\" é" and c["empty"] == "", c
assert c["kernel_build"] == {"revision": "abc", "n": [1, 2.5, None], "ok": True}, c["kernel_build"]
open(sys.argv[1] + ".keys", "w").write("\n".join(keys[:-4]) + "\n")
PY

expect_error() { # pattern, args...
	local pat=$1 out rc lines
	shift
	rm -f "$tmp/x.json"
	out=$("$pb" "${run[@]}" --out "$tmp/x.json" "$@" 2>&1 >/dev/null)
	rc=$?
	out=$(printf '%s\n' "$out" | grep -v '^procbench: warning:')
	lines=$(printf '%s\n' "$out" | grep -c .)
	if [ $rc -ne 2 ] || [ "$lines" -ne 1 ] || ! printf '%s' "$out" | grep -q -- "$pat"; then
		fail "procbench $*: rc=$rc, $lines lines: $out (wanted one line matching '$pat')"
	fi
	[ ! -e "$tmp/x.json" ] || fail "procbench $*: refused, yet wrote a results file"
}
# Every key procbench wrote above is its own: none may be replaced.
while read -r key; do
	expect_error "procbench writes context.$key itself" --context "$key=x"
done <"$tmp/r.json.keys"
[ "$(wc -l <"$tmp/r.json.keys")" -ge 20 ] || fail "only $(wc -l <"$tmp/r.json.keys") keys of procbench's own were tried"
expect_error "--context 'Key=x' is not KEY=VALUE" --context Key=x
expect_error "--context 'novalue' is not KEY=VALUE" --context novalue
expect_error "--context '=x' is not KEY=VALUE" --context =x
expect_error "--context '9k=x' is not KEY=VALUE" --context 9k=x
expect_error "--context 'a-b=x' is not KEY=VALUE" --context a-b=x
expect_error "is not KEY=VALUE" --context "$(printf 'k%.0s' $(seq 70))=x"
expect_error "--context k is given twice" --context k=1 --context k=2
args=()
for i in $(seq 1 33); do args+=(--context "k$i=v"); done
expect_error "at most 32 keys" "${args[@]}"
expect_error "cannot read --context k's file $tmp/missing" --context k=@"$tmp/missing"
expect_error "is a folder, not a regular file" --context k=@"$tmp"
mkfifo "$tmp/fifo"
expect_error "is a FIFO, not a regular file" --context k=@"$tmp/fifo"
printf 'not json' >"$tmp/bad.json"
expect_error "is not one JSON value" --context k=@"$tmp/bad.json"
printf '{"a": 1} {"b": 2}' >"$tmp/two.json"
expect_error "is not one JSON value" --context k=@"$tmp/two.json"
printf '"\xff"' >"$tmp/latin.json"
expect_error "is not UTF-8 JSON" --context k=@"$tmp/latin.json"
expect_error "the value is not UTF-8 text" --context "k=$(printf '\xff')"
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$tmp/big.json"
expect_error "over the reader's limit of 1 MiB: --context takes a regular file of at most 1 MiB" --context k=@"$tmp/big.json"
# What the readers refuse is never written: numbers past 2^53 or not finite, NUL, deep nesting.
for v in 9007199254740993 99999999999999999999 1e400 NaN -Infinity '{"a": [1, 1e16]}'; do
	printf '%s' "$v" >"$tmp/v.json"
	expect_error "results hold only finite numbers within 2^53" --context k=@"$tmp/v.json"
done
printf '"a\\u0000b"' >"$tmp/v.json"
expect_error "k holds a NUL character" --context k=@"$tmp/v.json"
printf '{"a\\u0000b": 1}' >"$tmp/v.json"
expect_error "a key near byte 3 holds a NUL character" --context k=@"$tmp/v.json"
printf '%s' "$(printf '[%.0s' $(seq 31))$(printf ']%.0s' $(seq 31))" >"$tmp/v.json"
expect_error "nesting too deep" --context k=@"$tmp/v.json"
for f in csv tap; do
	out=$("$pb" "${run[@]}" --context k=v --out "$tmp/x.$f" 2>&1 >/dev/null)
	[ $? -eq 2 ] && echo "$out" | grep -q -- "--context records facts in a JSON results file, and --format $f writes none" &&
		[ ! -e "$tmp/x.$f" ] || fail "--context with a .$f file: $out"
done
# The edges that are fine: a bare number or literal at the end of a file, null, 30 deep, @@text.
for v in 1.0 42 true null '"x"' "$(printf '[%.0s' $(seq 30))$(printf ']%.0s' $(seq 30))"; do
	printf '%s' "$v" >"$tmp/v.json"
	rm -f "$tmp/e.json"
	"$pb" "${run[@]}" --context k=@"$tmp/v.json" --context at=@@home --out "$tmp/e.json" >/dev/null 2>"$tmp/err" &&
		"$pb" validate --quiet "$tmp/e.json" &&
		/usr/bin/python3 -c 'import json, sys; c = json.load(open(sys.argv[1]))["context"]; assert c["k"] == json.loads(sys.argv[2]) and c["at"] == "@home", c' "$tmp/e.json" "$v" ||
		fail "--context k=@(a file holding $v): $(cat "$tmp/err")"
done

# --list --format json: the selection of the run these options describe.
sel() { "$pb" "$@" --list --format json | /usr/bin/python3 -c 'import json, sys; print(" ".join(m["name"] for m in json.load(sys.stdin)["methods"] if m["selected"]))'; }
[ "$(sel --filter '^(fork|vfork)$')" = "fork vfork" ] || fail "--filter: $(sel --filter '^(fork|vfork)$')"
[ "$(sel -f'^kthread-run$')" = "kthread-run" ] || fail "-fREGEX: $(sel -f'^kthread-run$')"
[ "$(sel --filter=^vfork$)" = "vfork" ] || fail "--filter=REGEX: $(sel --filter=^vfork$)"
[ "$(sel sweep)" = "fork vfork clone3 posix_spawn" ] || fail "sweep's filter: $(sel sweep)"
"$pb" --list --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["filter"] is None
for m in d["methods"]:
    assert m["selected"] == m["in_default"], m["name"]
    assert m["here"] in ("runs", "skip", "error") and (m["here"] == "runs") == ("reason" not in m), m
    assert m["summary"], m["name"]
' || fail "--list --format json without a filter: not the default set"
out=$("$pb" --list --format csv 2>&1 >/dev/null)
[ $? -eq 2 ] && echo "$out" | grep -q "prints a table (--format console) or JSON" || fail "--list --format csv: $out"
"$pb" --list --format console | head -1 | grep -q '^benchmark' || fail "--list --format console is not the table"
# procbench-gbench is built where libbenchmark-dev is, and never in a SAN build.
if [ -x "$B/procbench-gbench" ]; then
	out=$("$B/procbench-gbench" --context k=v 2>&1 >/dev/null)
	[ $? -eq 2 ] && echo "$out" | grep -q "context is for procbench's results file" || fail "procbench-gbench --context: $out"
fi
out=$("$pb" validate --format 2>&1 >/dev/null)
[ $? -eq 2 ] && echo "$out" | grep -q "format needs a value" || fail "validate --format: $out"
"$pb" validate --format json -- "$tmp/r.json" | /usr/bin/python3 -c 'import json, sys; d = json.loads(sys.stdin.readline()); assert d["kind"] == "results" and d["document"]["context"]["booted_kernel"] == "6.1-test"' ||
	fail "validate --format json -- FILE"
[ $fails -eq 0 ]
