// SPDX-License-Identifier: MIT
/*
 * The SQLite driver (db.h): the default store, one file. Writers take the
 * write lock when their transaction begins (BEGIN IMMEDIATE), so two
 * writers never deadlock upgrading a read lock; the file is in WAL mode, so
 * readers never wait for them; a writer waits --wait seconds for another
 * before it gives up. A killed writer leaves its transaction in the WAL
 * uncommitted, and the next opener rolls it back: the store keeps whole
 * files only. synchronous=NORMAL in WAL mode survives a killed process (a
 * power cut may lose the newest commits, never consistency).
 */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#ifdef PB_HAVE_SQLITE
#include <sqlite3.h>

/* The driver's words, and what the user can do about them. */
static int fault(struct pb_db *db, sqlite3 *h, int rc, char *err, size_t len)
{
	const char *fix;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		fix = "another process holds the store's write lock: try again, or wait longer with --wait SECONDS";
		break;
	case SQLITE_READONLY:
		fix = "the store cannot be written here: name one you can write with --db, or make its file and folder writable";
		break;
	case SQLITE_FULL:
		fix = "the disk is full: free space and add again (nothing of this file was stored)";
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		fix = "the file is damaged or is not an SQLite database: restore it from a backup, or name another store with --db (it was left as it is)";
		break;
	case SQLITE_CANTOPEN:
		fix = "check the path, that its folder exists, and their permissions";
		break;
	case SQLITE_IOERR:
		fix = "an I/O error: check the disk (a full disk shows this way too)";
		break;
	default:
		fix = "see the SQLite message";
		break;
	}
	snprintf(err, len, "%s: SQLite: %s: %s", db->name, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc),
		 fix);
	return -1;
}

static int sq_open(struct pb_db *db, const char *where, int write, unsigned wait_s, char *err,
		   size_t len)
{
	struct stat st;
	struct statvfs fs;
	sqlite3 *h = NULL;
	char dir[4096], *slash, uri[4200];
	int rc, exists = !stat(where, &st), flags = SQLITE_OPEN_READONLY;
	const char *name = where;

	snprintf(db->name, sizeof(db->name), "%s", where);
	/* Never open a FIFO or a device: SQLite would block or write through it. */
	if (exists && !S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s: not a regular file: name an SQLite file with --db", where);
		return -1;
	}
	if (!write && !exists) {
		snprintf(err, len, "%s: no history store here: `procbench history add FILE...` makes one, or name another with --db",
			 where);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", where);
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	if (write) {
		/* A store that cannot be written is said so before SQLite tries (it would say only
		 * that it cannot open a WAL store whose shared-memory file it cannot make). */
		if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
			snprintf(err, len, "%s: its folder %s does not exist: make it, or name another store with --db",
				 where, dir);
			return -1;
		}
		if (access(dir, W_OK) || (exists && access(where, W_OK))) {
			snprintf(err, len, "%s: SQLite: %s: the store cannot be written here: name one you can write with --db, or make its file and folder writable",
				 where, strerror(errno));
			return -1;
		}
		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	} else if (!statvfs(dir, &fs) && (fs.f_flag & ST_RDONLY)) {
		/* On read-only media nothing can change the file, and SQLite may not make the WAL's
		 * shared-memory file beside it: it reads the file as immutable. */
		snprintf(uri, sizeof(uri), "file:%s?immutable=1", where);
		for (char *c = uri + 5; *c && c < uri + 5 + strlen(where); c++)
			if (*c == '?' || *c == '#') {
				snprintf(err, len, "%s: on read-only media, a store's path may not hold '?' or '#': copy it elsewhere",
					 where);
				return -1;
			}
		name = uri;
		flags |= SQLITE_OPEN_URI;
	}
	rc = sqlite3_open_v2(name, &h, flags, NULL);
	if (rc != SQLITE_OK) {
		fault(db, h, rc, err, len);
		sqlite3_close_v2(h);
		return -1;
	}
	sqlite3_extended_result_codes(h, 0);
	sqlite3_busy_timeout(h, wait_s > 2000000 ? 2000000000 : (int)(wait_s * 1000));
	db->h = h;
	return 0;
}

static int sq_query(struct pb_db *db, const char *sql, int nparams, const char *const *params,
		    struct pb_rows *rows, char *err, size_t len)
{
	sqlite3 *h = db->h;
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return fault(db, h, rc, err, len);
	for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		int k = name && name[0] == '$' ? atoi(name + 1) : 0;

		if (k < 1 || k > nparams) {
			sqlite3_finalize(st);
			snprintf(err, len, "%s: statement parameter %s has no value (a procbench bug)",
				 db->name, name ? name : "?");
			return -1;
		}
		rc = params[k - 1] ? sqlite3_bind_text(st, i, params[k - 1], -1, SQLITE_STATIC)
				   : sqlite3_bind_null(st, i);
		if (rc != SQLITE_OK) {
			sqlite3_finalize(st);
			return fault(db, h, rc, err, len);
		}
	}
	rows->cols = (size_t)sqlite3_column_count(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < (int)rows->cols; c++) {
			char num[32];
			const char *text = num;

			switch (sqlite3_column_type(st, c)) {
			case SQLITE_NULL:
				text = NULL;
				break;
			case SQLITE_FLOAT: /* every digit: the column's text form keeps only 15 */
				snprintf(num, sizeof(num), "%.17g", sqlite3_column_double(st, c));
				break;
			default:
				text = (const char *)sqlite3_column_text(st, c);
				if (!text)
					text = "";
			}
			if (pb_rows_push(rows, &cap, text)) {
				sqlite3_finalize(st);
				snprintf(err, len, "%s: out of memory reading the store", db->name);
				return -1;
			}
		}
	}
	if (rc != SQLITE_DONE) {
		fault(db, h, rc, err, len);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static void sq_close(struct pb_db *db)
{
	sqlite3_close_v2(db->h);
	db->h = NULL;
}

const struct pb_db_driver pb_db_sqlite = {
	.name = "sqlite",
	.serial = "INTEGER",
	.begin = "BEGIN IMMEDIATE",
	.write_setup = "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
	.tables = "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
	.has_table = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
	.open = sq_open,
	.query = sq_query,
	.close = sq_close,
};
#else
const struct pb_db_driver pb_db_sqlite = {
	.name = "sqlite",
	.missing = "libsqlite3-dev (run ci/install-deps, then make)",
};
#endif
