// SPDX-License-Identifier: MIT
/*
 * The SQLite driver (db.h): the default store, one file. Writers take the
 * write lock when their transaction begins (BEGIN IMMEDIATE), so two
 * writers never deadlock upgrading a read lock, and wait --wait seconds for
 * another before they give up; readers wait the same for a commit. The file
 * keeps SQLite's rollback journal (journal_mode=DELETE, synchronous=FULL),
 * not a WAL: a reader then needs nothing but read access (a read-only
 * folder, read-only media, another user's store), leaves no -wal or -shm
 * file behind, and a journal a killed writer left is rolled back by the next
 * opener that can write, or refused by one that cannot (never read past).
 * The store keeps whole files only.
 */
#include "db.h"
#include "../analysis/safe_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
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

/* A rollback journal a killed writer left (SQLite's rule: present, and its header begun). */
static int hot_journal(const char *path)
{
	unsigned char first = 0;
	FILE *f = fopen(path, "rb");
	int hot;

	if (!f)
		return 0;
	hot = fread(&first, 1, 1, f) == 1 && first != 0;
	fclose(f);
	return hot;
}

static int sq_open(struct pb_db *db, const char *where, int write, unsigned wait_s, char *err,
		   size_t len)
{
	struct stat st;
	sqlite3 *h = NULL;
	char dir[4096], *slash, literal[4200], journal[4200];
	int rc, exists = !stat(where, &st), can_write;
	const char *name = where;

	snprintf(db->name, sizeof(db->name), "%s", where);
	pb_safe_inplace(db->name, sizeof(db->name));
	/* SQLite reads a name that starts with "file:" as a URI and ":memory:" as no file at all
	 * (adds that store nothing): a store is always the file named, as written. */
	if (!strncmp(where, "file:", 5) || where[0] == ':') {
		snprintf(literal, sizeof(literal), "./%s", where);
		name = literal;
	}
	/* Never open a FIFO or a device: SQLite would block or write through it. */
	if (exists && !S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s: not a regular file: name an SQLite file with --db", db->name);
		return -1;
	}
	if (!write && !exists) {
		snprintf(err, len, "%s: no history store here: `procbench history add FILE...` makes one, or name another with --db",
			 db->name);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", where);
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	if (write) {
		/* A store that cannot be written is said so before SQLite tries. */
		if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
			snprintf(err, len, "%s: its folder does not exist: make it, or name another store with --db",
				 db->name);
			return -1;
		}
		if (access(dir, W_OK) || (exists && access(where, W_OK))) {
			snprintf(err, len, "%s: SQLite: %s: the store cannot be written here: name one you can write with --db, or make its file and folder writable",
				 db->name, strerror(errno));
			return -1;
		}
	}
	/* A reader opens for writing where it may, so that a journal a killed writer left is
	 * rolled back (SQLite writes nothing else); elsewhere it may only refuse such a store. */
	can_write = write || (!access(dir, W_OK) && !access(where, W_OK));
	snprintf(journal, sizeof(journal), "%s-journal", where);
	if (!can_write && hot_journal(journal)) {
		snprintf(err, len, "%s: a writer was stopped in the middle of an add (its journal is beside the store), and it cannot be rolled back from here: run procbench history list on it once where it can be written",
			 db->name);
		return -1;
	}
	rc = sqlite3_open_v2(name, &h,
			     can_write ? SQLITE_OPEN_READWRITE | (write ? SQLITE_OPEN_CREATE : 0)
				       : SQLITE_OPEN_READONLY,
			     NULL);
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
	.write_setup = (const char *const[]){ "PRAGMA journal_mode=DELETE", "PRAGMA synchronous=FULL", NULL },
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
