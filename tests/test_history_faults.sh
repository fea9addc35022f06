#!/usr/bin/env bash
# The history store under faults: a damaged, truncated or foreign file, a store another
# program wrote, a held lock, a read-only mount, a full disk in the middle of an add (a
# private tmpfs) and SIGKILL in the middle of adds. Each refusal is one line and exit 2, and
# the store keeps every run it had, unchanged (PRAGMA integrity_check, a count, and every
# run whole); a damaged file is left byte for byte as it was.
# timeout: 300
set -u
# The store is the controller's alone: the same code in every build but the native and SAN.
if [ "$ARCH" != "$(uname -m)" ]; then
	echo "skip: the history store is checked in the native and SAN builds"
	exit 77
fi
. tests/history_setup.sh
history_base
/usr/bin/python3 "$fixture" base.json fx s 60:1 5 || exit 1
# "RUNS POINTS", after checking the store's integrity and that every run has its 2 points.
count() { /usr/bin/python3 -c 'import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity"
bad = c.execute("SELECT count(*) FROM pb_runs r WHERE (SELECT count(*) FROM pb_points p WHERE p.run = r.seq) != 2").fetchone()[0]
assert bad == 0, "%d runs not whole" % bad
print(c.execute("SELECT count(*) FROM pb_runs").fetchone()[0], c.execute("SELECT count(*) FROM pb_points").fetchone()[0])' "$1" 2>&1; }
one_line() { # what, wanted exit, got exit
	[ "$3" -eq "$2" ] || fail "$1: exit $3, not $2: $(cat err)"
	[ "$(wc -l <err)" -eq 1 ] && grep -q '^procbench history: ' err || fail "$1: not one line: $(cat err)"
}
"$pb" history add --db h.db fx/s-{0..9}.json >/dev/null 2>err || { echo "setup add: $(cat err)"; exit 1; }
[ "$(count h.db)" = "10 20" ] || fail "setup: $(count h.db)"

# Damaged, truncated, foreign: refused, and the file left byte for byte.
damaged() { # what, file, words wanted in the message
	local sum
	sum=$(sha256sum "$2")
	"$pb" history add --db "$2" fx/s-10.json >out 2>err
	one_line "$1 (add)" 2 $?
	grep -q "$3" err || fail "$1: the message does not say '$3': $(cat err)"
	"$pb" history check --db "$2" >out 2>err
	one_line "$1 (check)" 2 $?
	[ "$(sha256sum "$2")" = "$sum" ] || fail "$1: the file was changed"
}
cp h.db bad-header.db
printf 'this is not SQLite at all, no' | dd of=bad-header.db conv=notrunc status=none
damaged "a damaged header" bad-header.db "damaged or is not an SQLite database"
cp h.db truncated.db
truncate -s $(($(stat -c %s h.db) / 2)) truncated.db
damaged "a truncated store" truncated.db "damaged or is not an SQLite database"
head -c 8192 /dev/urandom >random.db
damaged "random bytes" random.db "damaged or is not an SQLite database"
echo "hello" >text.db
damaged "a text file" text.db "damaged or is not an SQLite database"
/usr/bin/python3 -c 'import sqlite3; c = sqlite3.connect("foreign.db"); c.execute("CREATE TABLE t (x)"); c.commit()'
damaged "another program's database" foreign.db "tables that are not procbench's"
/usr/bin/python3 -c 'import sqlite3; c = sqlite3.connect("impostor.db"); c.execute("CREATE TABLE pb_store (key TEXT, value TEXT)"); c.execute("INSERT INTO pb_store VALUES (\"format\", \"other\")"); c.commit()'
damaged "a store of another format" impostor.db "not a procbench history store"
/usr/bin/python3 -c 'import sqlite3; c = sqlite3.connect("newer.db"); c.execute("CREATE TABLE pb_store (key TEXT, value TEXT)"); c.executemany("INSERT INTO pb_store VALUES (?, ?)", [("format", "procbench-history"), ("version", "99")]); c.commit()'
damaged "a newer procbench's store" newer.db "made by a newer procbench"

# A lock another process holds: add waits --wait seconds, then says so.
/usr/bin/python3 -c 'import sqlite3, sys, time
c = sqlite3.connect("h.db", isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
open("locked", "w").close()
time.sleep(30)' &
holder=$!
for _ in $(seq 100); do [ -e locked ] && break; sleep 0.1; done
start=$(date +%s)
"$pb" history add --db h.db --wait 1 fx/s-10.json >out 2>err
one_line "a locked store" 2 $?
grep -q 'write lock' err || fail "a locked store: $(cat err)"
[ $(($(date +%s) - start)) -lt 20 ] || fail "a locked store: add waited past --wait 1"
kill $holder 2>/dev/null
wait $holder 2>/dev/null
[ "$(count h.db)" = "10 20" ] || fail "after the lock: $(count h.db)"

# Read-only (a read-only bind mount in a private mount namespace): add refused, reading works.
if unshare -m true 2>/dev/null; then
	mkdir ro && cp h.db ro/
	unshare -m sh -c "mount --bind ro ro && mount -o remount,bind,ro ro &&
		'$pb' history add --db ro/h.db fx/s-10.json >out 2>err; echo \$? >rc.add
		'$pb' history check --db ro/h.db >check.out 2>check.err; echo \$? >rc.check"
	one_line "a read-only store" 2 "$(cat rc.add)"
	grep -q 'cannot be written here' err || fail "a read-only store: $(cat err)"
	[ "$(cat rc.check)" = 0 ] || fail "check of a read-only store: $(cat check.out check.err)"
	[ "$(count ro/h.db)" = "10 20" ] || fail "read-only: $(count ro/h.db)"
else
	echo "# no private mount namespace here: the read-only and full-disk cases are skipped"
fi

# A full disk in the middle of adds: a private tmpfs with room for the store and a few more runs.
if unshare -m true 2>/dev/null; then
	mkdir full
	room=$((($(stat -c %s h.db) + 160 * 1024) / 1024))
	unshare -m bash -c "mount -t tmpfs -o size=${room}k tmpfs full && cp h.db full/ &&
		'$pb' history add --db full/h.db fx/s-{10..59}.json >out 2>err; echo \$? >rc.full
		df -k full | tail -n 1 >df.full
		cp full/h.db full.db; test ! -e full/h.db-journal || echo journal-left >full.journal"
	one_line "a full disk" 2 "$(cat rc.full)"
	grep -q 'disk is full\|I/O error' err || fail "a full disk: $(cat err)"
	grep -q 'files added before it; it and the rest were not' err || fail "a full disk: what was added? $(cat err)"
	[ ! -e full.journal ] || fail "a full disk: the failed add left its journal (not rolled back)"
	got=$(count full.db)
	added=$(sed -n 's/.*(\([0-9]*\) of 50 files added before it.*/\1/p' err)
	[ "$got" = "$((10 + added)) $((20 + 2 * added))" ] || fail "a full disk: store has $got, $added added: $(cat err)"
fi

# SIGKILL in the middle of adds (once its first commits have grown the file, a little later
# each time): whole runs only, and the store opens and adds afterwards.
mid=0
for extra in 0 0.01 0.03; do
	cp h.db k.db
	"$pb" history add --db k.db fx/s-{10..59}.json >/dev/null 2>&1 &
	victim=$!
	size=$(stat -c %s k.db)
	for _ in $(seq 500); do
		[ "$(stat -c %s k.db)" -gt "$size" ] && break
		sleep 0.01
	done
	sleep $extra
	kill -9 $victim 2>/dev/null
	wait $victim 2>/dev/null
	# Where that journal cannot be rolled back (read-only), a reader refuses the store.
	if [ "$(head -c 1 k.db-journal 2>/dev/null | od -An -tu1 | tr -d ' ')" != "" ] &&
		[ "$(head -c 1 k.db-journal | od -An -tu1 | tr -d ' ')" != 0 ] && [ ! -e hot ] && unshare -m true 2>/dev/null; then
		mkdir hot && cp k.db k.db-journal hot/
		unshare -m sh -c "mount --bind hot hot && mount -o remount,bind,ro hot &&
			'$pb' history list --db hot/k.db >out 2>err; echo \$? >rc.hot"
		one_line "a killed writer's journal on read-only media" 2 "$(cat rc.hot)"
		grep -q 'stopped in the middle of an add' err || fail "a journal on read-only media: $(cat err)"
		echo "# checked: a killed writer's journal on read-only media is refused"
	fi
	# A reader rolls back what the killed writer left (its journal), then reads whole runs.
	"$pb" history list --db k.db >/dev/null 2>err || fail "list after SIGKILL: $(cat err)"
	got=$(count k.db)
	case $got in
	"60 120") ;;
	[0-9]*" "[0-9]*) mid=$((mid + 1)) ;;
	*) fail "after SIGKILL: $got" ;;
	esac
	"$pb" history add --db k.db fx/s-{10..59}.json >out 2>err || fail "adding after SIGKILL: $(cat err)"
	[ "$(count k.db)" = "60 120" ] || fail "after SIGKILL and adding again: $(count k.db)"
done
[ $mid -gt 0 ] || fail "SIGKILL never landed in the middle of an add (every add had finished)"

# A crafted store: procbench's marks, with NULLs where the schema forbids them: one line.
/usr/bin/python3 -c 'import sqlite3; c = sqlite3.connect("nulls.db"); c.execute("CREATE TABLE pb_store (key TEXT, value TEXT)"); c.executemany("INSERT INTO pb_store VALUES (?, ?)", [(None, "x"), ("format", None)]); c.commit()'
damaged "a store with NULL marks" nulls.db "not a procbench history store"
cp h.db nullcells.db
/usr/bin/python3 -c 'import sqlite3; c = sqlite3.connect("nullcells.db"); c.execute("PRAGMA ignore_check_constraints = 1"); c.executescript("PRAGMA writable_schema = 1; UPDATE sqlite_master SET sql = replace(sql, \"NOT NULL\", \"\") WHERE name IN (\"pb_series\", \"pb_runs\", \"pb_points\"); PRAGMA writable_schema = 0;"); c.close(); c = sqlite3.connect("nullcells.db"); c.execute("UPDATE pb_series SET bench = NULL, params = NULL"); c.execute("UPDATE pb_runs SET labels = NULL, kernel = NULL"); c.execute("UPDATE pb_points SET note = NULL, status = NULL"); c.commit()'
for cmd in list show check; do
	"$pb" history $cmd --db nullcells.db --format json >out 2>err
	rc=$?
	[ $rc -le 1 ] && /usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' out ||
		fail "history $cmd on a store with NULL cells: exit $rc: $(cat err)"
done
[ $fails -eq 0 ]
