#!/usr/bin/env bash
# One store for a fleet: 8 writers adding 50 runs each at once lose nothing (5 each under ASan), on SQLite (its writers' lock,
# the busy wait) and on a real PostgreSQL server this test starts itself (initdb into its
# temp folder as an unprivileged user, a Unix socket only, stopped at the end; skipped with
# the reason where it cannot start). Both stores give the same answers to list, show and
# check for the same runs, and the server refuses a database that is not procbench's.
# timeout: 400
set -u
# The store is the controller's alone: the same code in every build but the native and SAN.
if [ "$ARCH" != "$(uname -m)" ]; then
	echo "skip: the history store is checked in the native and SAN builds"
	exit 77
fi
. tests/history_setup.sh
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pg_up=0
cleanup() {
	[ $pg_up = 1 ] && setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$pgbin/pg_ctl" -D "$tmp/pg/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
# 8 writers x 50 runs; under ASan (SAN=1) 8 x 5, the same paths at a tenth of the start-ups.
per=50
[ -z "${SAN:-}" ] || per=5
history_base
for w in $(seq 0 7); do
	/usr/bin/python3 "$fixture" base.json fx w$w $per:1 $((w + 1)) &
done
wait
for i in $(seq 12); do echo "vfork=1"; done >spec
for i in $(seq 12); do echo "vfork=1.10 thread-pthread=0.95"; done >>spec
/usr/bin/python3 "$fixture" base.json fx step @spec 9 || exit 1

# Eight writers at once, each adding its 50 files one by one (a CI runner per writer).
writers() { # store
	local pids=() w rc=0
	for w in $(seq 0 7); do
		(for i in $(seq 0 $((per - 1))); do "$pb" history add --db "$1" --label writer=$w fx/w$w-$i.json >/dev/null || exit 1; done) 2>"err.$w" &
		pids+=($!)
	done
	for w in $(seq 0 7); do
		wait "${pids[$w]}" || { rc=1; fail "writer $w into $1: $(cat "err.$w")"; }
	done
	return $rc
}
# The store's counts as the history commands see them: runs per series, and runs per writer.
tally() { # store
	"$pb" history show --db "$1" --format json | /usr/bin/python3 -c 'import json, sys, collections
d = json.load(sys.stdin)
per = collections.Counter(p["labels"].get("writer") for s in d["series"] for p in s["points"])
print(sorted((s["bench"], s["runs"]) for s in d["series"]), sorted(per.items()))'
}
want="[('thread-pthread', $((8 * per))), ('vfork', $((8 * per)))] [$(for w in 0 1 2 3 4 5 6 7; do printf "('%d', %d)%s" $w $((2 * per)) "$([ $w = 7 ] || echo ', ')"; done)]"
# The answers a store gives for the 24 runs with steps, without the store's name.
answers() { # store
	{
		"$pb" history list --db "$1" --format json
		"$pb" history show --db "$1" --format json
		"$pb" history check --db "$1" --format json
	} | /usr/bin/python3 -c 'import json, sys
for l in sys.stdin:
    d = json.loads(l)
    d.pop("store")
    for s in d["series"]:
        s.pop("id")
        for p in s.get("points", []):
            p.pop("date")
    print(json.dumps(d, sort_keys=True))'
}

"$pb" history add --db step.db fx/step-{0..23}.json >/dev/null 2>err || fail "add steps to SQLite: $(cat err)"
answers step.db >sqlite.answers
grep -q '"regressed": true' sqlite.answers || fail "SQLite: the +10% step is not a regression: $(tail -n 1 sqlite.answers)"
writers sqlite.db
[ "$(tally sqlite.db)" = "$want" ] || fail "SQLite after 8 writers: $(tally sqlite.db)"
/usr/bin/python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"' sqlite.db || fail "SQLite store after 8 writers"

# PostgreSQL: a server of our own, as an unprivileged user (initdb refuses root).
why=""
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || why="PostgreSQL's server is not installed (apt-get install postgresql)"
[ -z "$why" ] && { command -v setpriv >/dev/null && id nobody >/dev/null 2>&1 || why="no setpriv or no user nobody to run the server as"; }
if [ -z "$why" ]; then
	chmod 711 "$tmp"
	mkdir -p pg/sock
	chown -R nobody:nogroup pg
	as_pg() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	if ! as_pg "$pgbin/initdb" -D pg/data -U procbench --auth=trust -E UTF8 --no-sync >pg/initdb.log 2>&1; then
		why="initdb failed: $(tail -n 1 pg/initdb.log)"
	elif ! as_pg "$pgbin/pg_ctl" -D pg/data -l pg/log -w -t 60 \
		-o "-k $tmp/pg/sock -c listen_addresses='' -c fsync=off -c max_connections=40" start >/dev/null 2>&1; then
		why="the server did not start: $(tail -n 2 pg/log 2>/dev/null | tr '\n' ' ')"
	else
		pg_up=1
		for db in steps fleet foreign; do
			"$pgbin/createdb" -h "$tmp/pg/sock" -U procbench $db || why="createdb $db failed"
		done
	fi
fi
if [ -n "$why" ]; then
	[ $fails -eq 0 ] || exit 1
	echo "SQLite passed; the PostgreSQL part is skipped: $why"
	exit 77
fi
url() { echo "postgresql:///$1?host=$tmp/pg/sock&user=procbench"; }
"$pb" history add --db "$(url steps)" fx/step-{0..23}.json >/dev/null 2>err || fail "add steps to PostgreSQL: $(cat err)"
answers "$(url steps)" >pg.answers
cmp -s sqlite.answers pg.answers || fail "PostgreSQL and SQLite answer differently: $(diff sqlite.answers pg.answers | head -c 2000)"
"$pb" history add --db "$(url steps)" fx/step-3.json 2>&1 | grep -q 'already in the store' ||
	fail "PostgreSQL: a run added again is not a no-op"
writers "$(url fleet)"
[ "$(tally "$(url fleet)")" = "$want" ] || fail "PostgreSQL after 8 writers: $(tally "$(url fleet)")"
# Another program's database on the server: refused, one line, left as it was.
"$pgbin/psql" -q -h "$tmp/pg/sock" -U procbench -d foreign -c 'CREATE TABLE t (x int)' >/dev/null
"$pb" history add --db "$(url foreign)" fx/step-0.json >out 2>err
[ $? -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "not procbench's" err || fail "a foreign database: $(cat err)"
[ "$("$pgbin/psql" -tA -h "$tmp/pg/sock" -U procbench -d foreign -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")" = 1 ] ||
	fail "a foreign database was changed"
# A server that is not there: one line.
"$pb" history list --db "postgresql:///fleet?host=$tmp/nosock&user=procbench" >out 2>err
[ $? -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q 'cannot connect to PostgreSQL' err || fail "no server: $(cat err)"
[ $fails -eq 0 ]
