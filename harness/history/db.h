/* SPDX-License-Identifier: MIT */
/*
 * The history store's two back ends behind one small contract: open a
 * store, run one SQL statement with text parameters ($1, $2, ...) and get
 * its rows back as text, close. SQLite (one file, the default) and
 * PostgreSQL (libpq: a server many machines share) run the same statements;
 * a driver differs only in its dialect strings below. A driver the build
 * lacks (its -dev package was missing) still has a row here and says so.
 */
#ifndef PB_HISTORY_DB_H
#define PB_HISTORY_DB_H

#include <stddef.h>

struct pb_rows {
	size_t n, cols;
	char **v;     /* row-major, n * cols cells; NULL for SQL NULL */
	size_t cells; /* filled (a row cut short by an error counts too) */
};

struct pb_db;

/* What went wrong, for the caller's choice of words and of retrying. */
enum pb_db_fault {
	PB_DB_OK,
	PB_DB_FAULT,     /* anything else: err has the driver's words and a fix */
	PB_DB_RETRY,     /* a deadlock or serialization failure: run the transaction again */
};

struct pb_db_driver {
	const char *name;     /* "sqlite", "postgresql" */
	const char *missing;  /* NULL when built in; else what to install */
	const char *serial;   /* the type of a generated primary key */
	const char *begin;    /* a write transaction, taking the writers' lock */
	const char *tables;   /* a query counting the tables where the store's schema is */
	const char *has_table; /* the same for the table named $1 */
	const char *lock;     /* in a transaction: take the store's schema lock (NULL: begin did) */
	const char *const *write_setup; /* statements (NULL-ended) once a store to write is known ours */
	int (*open)(struct pb_db *db, const char *where, int write, unsigned wait_s, char *err,
		    size_t len);
	int (*query)(struct pb_db *db, const char *sql, int nparams, const char *const *params,
		     struct pb_rows *rows, char *err, size_t len);
	void (*close)(struct pb_db *db);
};

struct pb_db {
	const struct pb_db_driver *drv;
	void *h;
	char name[512]; /* for messages: the path, or the URL without its password */
};

extern const struct pb_db_driver pb_db_sqlite, pb_db_postgresql;

/* The driver for where: a postgresql:// or postgres:// URL, otherwise an SQLite file. */
const struct pb_db_driver *pb_db_driver_for(const char *where);

/* rows may be NULL when the statement returns none the caller wants. */
int pb_db_query(struct pb_db *db, const char *sql, int nparams, const char *const *params,
		struct pb_rows *rows, char *err, size_t len);
static inline const char *pb_rows_at(const struct pb_rows *r, size_t row, size_t col)
{
	return r->v[row * r->cols + col];
}
void pb_rows_free(struct pb_rows *r);
/* The drivers' builder: a cell (NULL: SQL NULL) after those in r, row after row of r->cols;
 * 0, or -1 when memory runs out (r stays whole for pb_rows_free). */
int pb_rows_push(struct pb_rows *r, size_t *cap, const char *text);

#endif
