# Sourced by the history tests after their skip guard: procbench ($pb), the fixture maker
# ($fixture), a temporary folder made the current one and removed at exit (a test that needs
# more at exit sets its own trap and removes $tmp itself), fail() counting into $fails, and
# history_base [procbench options]: base.json, a real --quick run of vfork and thread-pthread
# for tests/history_fixture.py to copy.
pb="$(pwd)/$B/procbench"
fixture="$(pwd)/tests/history_fixture.py"
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "$*"; fails=$((fails + 1)); }
cd "$tmp" || exit 1
mkdir fx
history_base() {
	"$pb" --quick --no-counters --time-budget 0.05 --min-time 0 --filter '^(vfork|thread-pthread)$' \
		"$@" --out base.json >/dev/null 2>err || { echo "a run failed: $(cat err)"; exit 1; }
}
