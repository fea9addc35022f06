// SPDX-License-Identifier: MIT
/*
 * The history store (store.h) on either driver: its schema, made once under
 * the writers' lock; a results file added as one transaction; the queries
 * the history commands read. Every statement is the same text on SQLite and
 * PostgreSQL, so both give the same answers.
 */
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../analysis/stats.h"

#define STORE_FORMAT "procbench-history"

/* The schema; %s is the driver's generated-key type. */
static const char *const schema[] = {
	"CREATE TABLE pb_store (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
	"CREATE TABLE pb_runs (seq %s PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, added TEXT NOT NULL, "
	"run_date TEXT NOT NULL, machine TEXT NOT NULL, time_base TEXT NOT NULL, "
	"kernel TEXT NOT NULL, kernel_append TEXT NOT NULL, kernel_commit TEXT NOT NULL, "
	"kernel_build TEXT NOT NULL, procbench_version TEXT NOT NULL, "
	"procbench_commit TEXT NOT NULL, labels TEXT NOT NULL, source TEXT NOT NULL, "
	"context TEXT NOT NULL)",
	"CREATE TABLE pb_series (id %s PRIMARY KEY, bench TEXT NOT NULL, params TEXT NOT NULL, "
	"machine TEXT NOT NULL, time_base TEXT NOT NULL, UNIQUE (bench, params, machine, time_base))",
	"CREATE TABLE pb_points (series BIGINT NOT NULL REFERENCES pb_series (id), "
	"run BIGINT NOT NULL REFERENCES pb_runs (seq), status TEXT NOT NULL, "
	"median_ns DOUBLE PRECISION, ci_lo_ns DOUBLE PRECISION, ci_hi_ns DOUBLE PRECISION, "
	"samples BIGINT NOT NULL, note TEXT NOT NULL, PRIMARY KEY (series, run))",
	"CREATE INDEX pb_points_run ON pb_points (run)",
};

static int q(struct pb_store *st, const char *sql, int n, const char *const *p, struct pb_rows *rows,
	     char *err, size_t len)
{
	return pb_db_query(&st->db, sql, n, p, rows, err, len);
}

static long long count_of(struct pb_store *st, const char *sql, const char *arg, char *err, size_t len)
{
	struct pb_rows r = { 0 };
	long long n = -1;

	if (!q(st, sql, arg ? 1 : 0, &arg, &r, err, len) && r.n == 1 && pb_rows_at(&r, 0, 0))
		n = atoll(pb_rows_at(&r, 0, 0));
	else if (!err[0])
		snprintf(err, len, "%s: cannot count its tables", st->db.name);
	pb_rows_free(&r);
	return n;
}

static void rollback(struct pb_store *st)
{
	char ignored[200];

	pb_db_query(&st->db, "ROLLBACK", 0, NULL, NULL, ignored, sizeof(ignored));
}

/* The store's own marks: 0 ours, -1 with err (another program's, or a newer procbench's). */
static int check_marks(struct pb_store *st, char *err, size_t len)
{
	struct pb_rows r = { 0 };
	const char *format = NULL, *version = NULL;

	if (q(st, "SELECT key, value FROM pb_store", 0, NULL, &r, err, len))
		return -1;
	for (size_t i = 0; i < r.n; i++) {
		const char *k = pb_rows_at(&r, i, 0);

		if (k && !strcmp(k, "format"))
			format = pb_rows_at(&r, i, 1);
		if (k && !strcmp(k, "version"))
			version = pb_rows_at(&r, i, 1);
	}
	if (!format || strcmp(format, STORE_FORMAT) || !version || atoi(version) < 1) {
		snprintf(err, len, "%s: not a procbench history store (its pb_store table does not say %s): name another store with --db",
			 st->db.name, STORE_FORMAT);
		pb_rows_free(&r);
		return -1;
	}
	if (atoi(version) > PB_STORE_VERSION) {
		snprintf(err, len, "%s: made by a newer procbench (store version %d, this one knows up to %d): use that procbench, or a store of this one's",
			 st->db.name, atoi(version), PB_STORE_VERSION);
		pb_rows_free(&r);
		return -1;
	}
	pb_rows_free(&r);
	return 0;
}

static int create_schema(struct pb_store *st, char *err, size_t len)
{
	const char *marks[] = { "format", STORE_FORMAT, "version", "1" };
	char sql[1024];
	long long have;

	if (q(st, st->db.drv->begin, 0, NULL, NULL, err, len))
		return -1;
	if (st->db.drv->lock && q(st, st->db.drv->lock, 0, NULL, NULL, err, len))
		goto fail;
	/* Another writer may have made it while this one waited for the lock. */
	have = count_of(st, st->db.drv->has_table, "pb_store", err, len);
	if (have < 0)
		goto fail;
	if (have) {
		rollback(st);
		return check_marks(st, err, len);
	}
	if (count_of(st, st->db.drv->tables, NULL, err, len) != 0) {
		if (!err[0])
			snprintf(err, len, "%s: holds tables that are not procbench's (no pb_store table): name another store with --db",
				 st->db.name);
		goto fail;
	}
	for (size_t i = 0; i < sizeof(schema) / sizeof(schema[0]); i++) {
		snprintf(sql, sizeof(sql), schema[i], st->db.drv->serial);
		if (q(st, sql, 0, NULL, NULL, err, len))
			goto fail;
	}
	if (q(st, "INSERT INTO pb_store (key, value) VALUES ($1, $2)", 2, marks, NULL, err, len) ||
	    q(st, "INSERT INTO pb_store (key, value) VALUES ($1, $2)", 2, marks + 2, NULL, err, len) ||
	    q(st, "COMMIT", 0, NULL, NULL, err, len))
		goto fail;
	return 0;
fail:
	rollback(st);
	return -1;
}

/* The driver's settings for writing, only once the store is known to be procbench's. */
static int write_setup(struct pb_store *st, char *err, size_t len)
{
	for (const char *const *sql = st->db.drv->write_setup; sql && *sql; sql++)
		if (q(st, *sql, 0, NULL, NULL, err, len)) {
			pb_store_close(st);
			return -1;
		}
	return 0;
}

int pb_store_open(struct pb_store *st, const char *where, int write, unsigned wait_s, char *err,
		  size_t len)
{
	const struct pb_db_driver *drv = pb_db_driver_for(where);
	long long have;

	memset(st, 0, sizeof(*st));
	err[0] = 0;
	if (drv->missing) {
		snprintf(err, len, "%s: this procbench was built without %s stores: install %s", where,
			 drv->name, drv->missing);
		return -1;
	}
	st->db.drv = drv;
	if (drv->open(&st->db, where, write, wait_s, err, len))
		return -1;
	have = count_of(st, drv->has_table, "pb_store", err, len);
	if (have > 0 && !check_marks(st, err, len))
		return write ? write_setup(st, err, len) : 0;
	if (have == 0) {
		long long tables = count_of(st, drv->tables, NULL, err, len);

		/* Another writer may have made the schema (one transaction) between the two counts. */
		if (tables > 0 && (have = count_of(st, drv->has_table, "pb_store", err, len)) > 0) {
			if (!check_marks(st, err, len))
				return write ? write_setup(st, err, len) : 0;
		} else if (tables > 0 && have == 0)
			snprintf(err, len, "%s: holds tables that are not procbench's (no pb_store table): name another store with --db",
				 st->db.name);
		else if (tables == 0 && !write) {
			st->empty = 1;
			return 0;
		} else if (tables == 0 && !create_schema(st, err, len))
			return write_setup(st, err, len);
	}
	pb_store_close(st);
	return -1;
}

void pb_store_close(struct pb_store *st)
{
	if (st->db.h)
		st->db.drv->close(&st->db);
}

char *pb_store_machine_of(const struct pb_results *r)
{
	const char *host = pb_results_context_text(r, "", "host_name");
	const char *arch = pb_results_context_text(r, "", "arch");
	const char *cpu = pb_results_context_text(r, "environment", "cpu_model");
	const char *cpus = pb_results_context_text(r, "", "num_cpus");
	json_object *m;
	char *out = NULL;
	int n;

	/* a guest booted by ci/kernel-run: the emulator is part of the machine */
	if (json_object_object_get_ex(r->context, "qemu_mode", &m) && json_object_is_type(m, json_type_string))
		n = asprintf(&out, "%s (%s, %s, %s CPUs, qemu %s)", host ? host : "?", arch ? arch : "?",
			     cpu ? cpu : "?", cpus ? cpus : "?", json_object_get_string(m));
	else
		n = asprintf(&out, "%s (%s, %s, %s CPUs)", host ? host : "?", arch ? arch : "?",
			     cpu ? cpu : "?", cpus ? cpus : "?");
	return n < 0 ? NULL : out;
}

/* Text cut by snprintf ends on a whole UTF-8 character: a partial one at its end goes. */
static void whole_utf8(char *s)
{
	size_t n = strlen(s), i = n;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0) {
		unsigned char lead = (unsigned char)s[i - 1];
		size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;

		if (n - (i - 1) < want)
			s[i - 1] = 0;
	}
}

/* A benchmark's parameters as one text, its keys sorted: the same parameters are the same
 * series however a file orders them. */
static char *params_text(json_object *params)
{
	json_object *sorted = json_object_new_object();
	const char **keys = NULL;
	size_t n = 0;
	char *text;

	if (params && json_object_is_type(params, json_type_object)) {
		keys = calloc((size_t)json_object_object_length(params) + 1, sizeof(*keys));
		if (keys) {
			json_object_object_foreach(params, k, v) {
				(void)v;
				keys[n++] = k;
			}
			for (size_t i = 1; i < n; i++)
				for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
					const char *t = keys[j];

					keys[j] = keys[j - 1];
					keys[j - 1] = t;
				}
			for (size_t i = 0; i < n; i++)
				json_object_object_add(sorted, keys[i],
						       json_object_get(json_object_object_get(params, keys[i])));
		}
	}
	text = strdup(json_object_to_json_string_ext(sorted, JSON_C_TO_STRING_PLAIN |
								    JSON_C_TO_STRING_NOSLASHESCAPE));
	free(keys);
	json_object_put(sorted);
	return text;
}

static const char *context_string(const struct pb_results *r, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(r->context, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : "";
}

/* The kernel's commit as far as the file says: its build's describe or revision, or a label. */
static void kernel_commit(const struct pb_results *r, json_object *labels, char *out, size_t len)
{
	json_object *kb, *v;

	out[0] = 0;
	if (json_object_object_get_ex(r->context, "kernel_build", &kb) &&
	    json_object_is_type(kb, json_type_object)) {
		if (json_object_object_get_ex(kb, "describe", &v) && json_object_is_type(v, json_type_string) &&
		    json_object_get_string(v)[0])
			snprintf(out, len, "%s", json_object_get_string(v));
		else if (json_object_object_get_ex(kb, "revision", &v) &&
			 json_object_is_type(v, json_type_string))
			snprintf(out, len, "%.12s", json_object_get_string(v));
	}
	if (!out[0] && labels && json_object_object_get_ex(labels, "commit", &v))
		snprintf(out, len, "%s", json_object_get_string(v));
	whole_utf8(out);
}

static int add_points(struct pb_store *st, const struct pb_results *r, const char *machine,
		      const char *seq, char *err, size_t len)
{
	const char *tb = pb_time_base_name(pb_results_time_base(r));

	for (size_t k = 0; k < r->nb; k++) {
		const struct pb_rbench *b = &r->b[r->order[k]];
		json_object *params = NULL, *msg;
		char *ptext;
		const char *key[4] = { b->name, NULL, machine, tb };
		struct pb_rows id = { 0 };
		char med[32] = "", lo[32] = "", hi[32] = "", n[32], note[600] = "";
		const char *pt[8] = { NULL, seq, b->status, NULL, NULL, NULL, n, note };
		struct pb_summary s;
		int e;

		json_object_object_get_ex(b->obj, "params", &params);
		key[1] = ptext = params_text(params);
		if (!ptext) {
			snprintf(err, len, "%s: out of memory", st->db.name);
			return -1;
		}
		snprintf(n, sizeof(n), "%zu", b->n);
		if (!strcmp(b->status, "ok") && b->n >= 2 && !pb_summarize(b->x, b->n, 0.95, &s)) {
			snprintf(med, sizeof(med), "%.17g", s.p50);
			pt[3] = med;
			if (s.ci_valid) {
				snprintf(lo, sizeof(lo), "%.17g", s.ci_lo);
				snprintf(hi, sizeof(hi), "%.17g", s.ci_hi);
				pt[4] = lo;
				pt[5] = hi;
			}
		} else if (json_object_object_get_ex(b->obj, "skip_reason", &msg) ||
			   json_object_object_get_ex(b->obj, "error_message", &msg))
			snprintf(note, sizeof(note), "%s", json_object_get_string(msg));
		whole_utf8(note);
		if ((e = q(st, "INSERT INTO pb_series (bench, params, machine, time_base) VALUES ($1, $2, "
			       "$3, $4) ON CONFLICT DO NOTHING",
			   4, key, NULL, err, len)) ||
		    (e = q(st, "SELECT id FROM pb_series WHERE bench = $1 AND params = $2 AND "
			       "machine = $3 AND time_base = $4",
			   4, key, &id, err, len))) {
			pb_rows_free(&id);
			free(ptext);
			return e;
		}
		free(ptext);
		if (id.n != 1 || !pb_rows_at(&id, 0, 0)) {
			pb_rows_free(&id);
			snprintf(err, len, "%s: the series of %s cannot be found after adding it", st->db.name,
				 b->name);
			return -1;
		}
		pt[0] = pb_rows_at(&id, 0, 0);
		if ((e = q(st, "INSERT INTO pb_points (series, run, status, median_ns, ci_lo_ns, "
			       "ci_hi_ns, samples, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			   8, pt, NULL, err, len))) {
			pb_rows_free(&id);
			return e;
		}
		pb_rows_free(&id);
	}
	return 0;
}

static int add_once(struct pb_store *st, const struct pb_results *r, const char *machine,
		    json_object *labels, const char *source, char *err, size_t len)
{
	char added[40], commit[200], seq[32];
	time_t now = time(NULL);
	struct tm tm;
	json_object *kb;
	struct pb_rows id = { 0 };
	const char *run[14];
	int rc = -1, e;

	gmtime_r(&now, &tm);
	strftime(added, sizeof(added), "%Y-%m-%dT%H:%M:%SZ", &tm);
	kernel_commit(r, labels, commit, sizeof(commit));
	run[0] = pb_results_run_id(r);
	run[1] = added;
	run[2] = context_string(r, "date");
	run[3] = machine;
	run[4] = pb_time_base_name(pb_results_time_base(r));
	run[5] = context_string(r, "kernel_release");
	run[6] = context_string(r, "kernel_append");
	run[7] = commit;
	run[8] = json_object_object_get_ex(r->context, "kernel_build", &kb) &&
			 json_object_is_type(kb, json_type_object)
		 ? json_object_to_json_string_ext(kb, JSON_C_TO_STRING_PLAIN)
		 : "";
	run[9] = context_string(r, "procbench_version");
	run[10] = context_string(r, "git_commit");
	run[11] = labels ? json_object_to_json_string_ext(labels, JSON_C_TO_STRING_PLAIN |
								  JSON_C_TO_STRING_NOSLASHESCAPE)
			 : "{}";
	run[12] = source;
	run[13] = json_object_to_json_string_ext(r->context, JSON_C_TO_STRING_PLAIN |
								   JSON_C_TO_STRING_NOSLASHESCAPE);
	if ((e = q(st, st->db.drv->begin, 0, NULL, NULL, err, len)))
		return e;
	if ((rc = q(st, "INSERT INTO pb_runs (run_id, added, run_date, machine, time_base, kernel, "
		  "kernel_append, kernel_commit, kernel_build, procbench_version, procbench_commit, "
		  "labels, source, context) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
		  "$13, $14) ON CONFLICT (run_id) DO NOTHING RETURNING seq",
	      14, run, &id, err, len)))
		goto out;
	if (id.n == 0) /* stored before: nothing to do */
		goto out;
	snprintf(seq, sizeof(seq), "%s", pb_rows_at(&id, 0, 0));
	if ((rc = add_points(st, r, machine, seq, err, len)) ||
	    (rc = q(st, "COMMIT", 0, NULL, NULL, err, len)))
		goto out;
	pb_rows_free(&id);
	return 1;
out:
	pb_rows_free(&id);
	rollback(st);
	return rc;
}

int pb_store_add(struct pb_store *st, const struct pb_results *r, const char *machine,
		 json_object *labels, const char *source, char *err, size_t len)
{
	char *own = NULL;
	int rc = -1;

	if (!machine && !(machine = own = pb_store_machine_of(r))) {
		snprintf(err, len, "%s: out of memory", st->db.name);
		return -1;
	}
	/* A deadlock or serialization failure between writers is the server's to break: again. */
	for (int attempt = 0; attempt < 10; attempt++) {
		err[0] = 0;
		rc = add_once(st, r, machine, labels, source, err, len);
		if (rc != -2)
			break;
		struct timespec ts = { 0, (attempt + 1) * 20000000L };

		nanosleep(&ts, NULL);
	}
	free(own);
	return rc == -2 ? -1 : rc;
}

static int by_series_key(const void *a, const void *b)
{
	char *const *x = *(char **const *)a, *const *y = *(char **const *)b;
	static const int key[] = { PB_SER_MACHINE, PB_SER_TIME_BASE, PB_SER_BENCH, PB_SER_PARAMS };

	for (size_t k = 0; k < sizeof(key) / sizeof(key[0]); k++) {
		int c = strcmp(x[key[k]], y[key[k]]);

		if (c)
			return c;
	}
	return 0;
}

int pb_store_series(struct pb_store *st, struct pb_rows *rows, char *err, size_t len)
{
	char ***row, **v;

	if (st->empty) {
		memset(rows, 0, sizeof(*rows));
		rows->cols = PB_SER_COLS;
		return 0;
	}
	if (q(st,
	      "SELECT s.id, COALESCE(s.bench, ''), COALESCE(s.params, '{}'), COALESCE(s.machine, ''), "
	      "COALESCE(s.time_base, ''), count(p.run), COALESCE(min(r.run_date), ''), "
	      "COALESCE(max(r.run_date), '') FROM pb_series s JOIN pb_points p ON p.series = s.id "
	      "JOIN pb_runs r ON r.seq = p.run GROUP BY s.id, s.bench, s.params, s.machine, s.time_base",
	      0, NULL, rows, err, len))
		return -1;
	/* Ordered here, byte by byte: a server's collation would order names its own way. */
	row = malloc((rows->n ? rows->n : 1) * sizeof(*row));
	v = malloc((rows->cells ? rows->cells : 1) * sizeof(*v));
	if (!row || !v) {
		free(row);
		free(v);
		pb_rows_free(rows);
		snprintf(err, len, "%s: out of memory", st->db.name);
		return -1;
	}
	for (size_t i = 0; i < rows->n; i++)
		row[i] = rows->v + i * rows->cols;
	qsort(row, rows->n, sizeof(*row), by_series_key);
	for (size_t i = 0; i < rows->n; i++)
		memcpy(v + i * rows->cols, row[i], rows->cols * sizeof(*v));
	free(rows->v);
	rows->v = v;
	free(row);
	return 0;
}

int pb_store_points(struct pb_store *st, long long series, struct pb_rows *rows, char *err,
		    size_t len)
{
	char id[32];
	const char *p = id;

	if (st->empty) {
		memset(rows, 0, sizeof(*rows));
		rows->cols = PB_PT_COLS;
		return 0;
	}
	snprintf(id, sizeof(id), "%lld", series);
	return q(st,
		 "SELECT p.series, r.seq, COALESCE(r.run_id, ''), COALESCE(r.run_date, ''), "
		 "COALESCE(r.kernel, ''), COALESCE(r.kernel_append, ''), COALESCE(r.kernel_commit, ''), "
		 "COALESCE(r.procbench_version, ''), COALESCE(r.labels, '{}'), COALESCE(p.status, ''), "
		 "p.median_ns, p.ci_lo_ns, p.ci_hi_ns, COALESCE(p.samples, 0), COALESCE(p.note, '') "
		 "FROM pb_points p JOIN pb_runs r ON r.seq = p.run "
		 "WHERE (CAST($1 AS BIGINT) < 0 OR p.series = CAST($1 AS BIGINT)) ORDER BY p.series, r.seq",
		 1, &p, rows, err, len);
}

int pb_store_count_runs(struct pb_store *st, long long *n, char *err, size_t len)
{
	*n = st->empty ? 0 : count_of(st, "SELECT count(*) FROM pb_runs", NULL, err, len);
	return *n < 0 ? -1 : 0;
}
