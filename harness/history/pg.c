// SPDX-License-Identifier: MIT
/*
 * The PostgreSQL driver (db.h): one store that many machines add to, named
 * by a libpq URL (postgresql://[user@]host[:port]/db, or
 * postgresql:///db?host=/run/postgresql for a Unix socket). Each file's add
 * is one transaction; concurrent writers meet only on the series table's
 * unique key (INSERT ... ON CONFLICT DO NOTHING waits for the other's
 * commit instead of failing), and a deadlock or serialization failure the
 * server reports is retried by the caller (PB_DB_RETRY). --wait becomes the
 * session's lock_timeout.
 *
 * libpq is loaded when a postgresql:// store is first opened (dlopen), not
 * linked: procbench itself, and the initramfs ci/kernel-run builds from its
 * libraries, carry none of libpq's TLS, Kerberos and LDAP stack unless a
 * shared store is used. The build needs libpq-dev's header; a run, libpq5.
 */
#include "db.h"
#include "../analysis/safe_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef PB_HAVE_LIBPQ
#include <dlfcn.h>
#include <libpq-fe.h>

/* libpq's functions this driver calls, from the library loaded at first use. */
#define PQ_FUNCS(X)                                                                        \
	X(PQconnectdb) X(PQstatus) X(PQerrorMessage) X(PQsetNoticeProcessor) X(PQexecParams) \
	X(PQresultStatus) X(PQresultErrorField) X(PQclear) X(PQnfields) X(PQntuples)         \
	X(PQgetisnull) X(PQgetvalue) X(PQfinish)
static struct {
#define PQ_SLOT(f) __typeof__(f) *p_##f;
	PQ_FUNCS(PQ_SLOT)
#undef PQ_SLOT
} pq;
#define PQconnectdb pq.p_PQconnectdb
#define PQstatus pq.p_PQstatus
#define PQerrorMessage pq.p_PQerrorMessage
#define PQsetNoticeProcessor pq.p_PQsetNoticeProcessor
#define PQexecParams pq.p_PQexecParams
#define PQresultStatus pq.p_PQresultStatus
#define PQresultErrorField pq.p_PQresultErrorField
#define PQclear pq.p_PQclear
#define PQnfields pq.p_PQnfields
#define PQntuples pq.p_PQntuples
#define PQgetisnull pq.p_PQgetisnull
#define PQgetvalue pq.p_PQgetvalue
#define PQfinish pq.p_PQfinish

/* 0 when libpq is loaded, or -1 with the reason. */
static int load_libpq(char *err, size_t len, const char *name)
{
	static void *lib;
	void *sym;

	if (lib)
		return 0;
	lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(err, len, "%s: PostgreSQL stores need libpq at run time (%s): apt-get install libpq5",
			 name, dlerror());
		return -1;
	}
#define PQ_LOAD(f)                                                                         \
	if (!(sym = dlsym(lib, #f))) {                                                      \
		snprintf(err, len, "%s: this libpq has no %s: install Debian's libpq5", name, #f); \
		dlclose(lib);                                                               \
		lib = NULL;                                                                 \
		return -1;                                                                  \
	}                                                                                   \
	memcpy(&pq.p_##f, &sym, sizeof(sym));
	PQ_FUNCS(PQ_LOAD)
#undef PQ_LOAD
	return 0;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* "relation already exists, skipping" and the like */
}

/* The URL as messages show it: a password in it (user:PASSWORD@ or password=...) becomes ***,
 * and the rest made safe for a terminal. */
static void shown_name(char *out, size_t len, const char *url)
{
	const char *at = strchr(url, '@'), *scheme = strstr(url, "://"), *colon = NULL;
	size_t o = 0;

	if (at && scheme && at > scheme)
		colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3));
	for (const char *p = url; *p && o + 4 < len;) {
		if (p == colon) {
			memcpy(out + o, ":***", 4);
			o += 4;
			p = at;
			continue;
		}
		if (!strncasecmp(p, "password=", 9) && (p == url || strchr("?&; ", p[-1]))) {
			size_t n = snprintf(out + o, len - o, "%.9s***", p);

			o += n < len - o ? n : len - o - 1;
			p += 9 + strcspn(p + 9, "&#; ");
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = 0;
	pb_safe_inplace(out, len);
}

/* The first line of libpq's message. */
static const char *first_line(const char *m, char *buf, size_t len)
{
	size_t n = strcspn(m, "\n");

	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), m);
	return buf;
}

static int fault(struct pb_db *db, PGresult *res, char *err, size_t len)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *fix = "see the server's message";
	char line[300];

	if (!msg)
		msg = first_line(PQerrorMessage(db->h), line, sizeof(line));
	if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01"))) {
		snprintf(err, len, "%s: PostgreSQL: %s", db->name, msg);
		return -2;
	}
	if (!state || !strncmp(state, "08", 2) || !strncmp(state, "57P", 3))
		fix = "the connection to the server failed or was lost: check that it runs, then try again";
	else if (!strncmp(state, "53", 2))
		fix = "the server is out of disk or memory: free space and add again (nothing of this file was stored)";
	else if (!strcmp(state, "25006"))
		fix = "the server refuses writes (a read-only transaction or standby): point --db at the primary";
	else if (!strcmp(state, "42501"))
		fix = "this role lacks rights on the store's tables: grant them, or connect as their owner";
	else if (!strcmp(state, "55P03"))
		fix = "another session holds a lock: try again, or wait longer with --wait SECONDS";
	snprintf(err, len, "%s: PostgreSQL: %s: %s", db->name, msg, fix);
	return -1;
}

static int pg_query(struct pb_db *db, const char *sql, int nparams, const char *const *params,
		    struct pb_rows *rows, char *err, size_t len)
{
	PGresult *res = PQexecParams(db->h, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	size_t cap = 0;
	int r;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		r = fault(db, res, err, len);
		PQclear(res);
		return r;
	}
	rows->cols = (size_t)PQnfields(res);
	for (int i = 0; i < PQntuples(res); i++)
		for (int c = 0; c < (int)rows->cols; c++)
			if (pb_rows_push(rows, &cap, PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c))) {
				PQclear(res);
				snprintf(err, len, "%s: out of memory reading the store", db->name);
				return -1;
			}
	PQclear(res);
	return 0;
}

static int pg_open(struct pb_db *db, const char *where, int write, unsigned wait_s, char *err,
		   size_t len)
{
	PGconn *c;
	char line[300], set[80];

	(void)write;
	shown_name(db->name, sizeof(db->name), where);
	if (load_libpq(err, len, db->name))
		return -1;
	c = PQconnectdb(where);
	if (!c || PQstatus(c) != CONNECTION_OK) {
		snprintf(err, len, "%s: cannot connect to PostgreSQL: %s: check that the server runs and the URL (host or socket folder, port, database, user)",
			 db->name, c ? first_line(PQerrorMessage(c), line, sizeof(line)) : "out of memory");
		PQfinish(c);
		return -1;
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	db->h = c;
	snprintf(set, sizeof(set), "SET lock_timeout = '%us'", wait_s);
	if (pb_db_query(db, set, 0, NULL, NULL, err, len) ||
	    pb_db_query(db, "SET client_min_messages = warning", 0, NULL, NULL, err, len)) {
		PQfinish(c);
		db->h = NULL;
		return -1;
	}
	return 0;
}

static void pg_close(struct pb_db *db)
{
	PQfinish(db->h);
	db->h = NULL;
}

const struct pb_db_driver pb_db_postgresql = {
	.name = "postgresql",
	.serial = "BIGSERIAL",
	.begin = "BEGIN",
	.tables = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
	.has_table = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
	.lock = "SELECT pg_advisory_xact_lock(7201206)",
	.open = pg_open,
	.query = pg_query,
	.close = pg_close,
};
#else
const struct pb_db_driver pb_db_postgresql = {
	.name = "postgresql",
	.missing = "libpq-dev (run ci/install-deps, then make)",
};
#endif
