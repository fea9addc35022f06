// SPDX-License-Identifier: MIT
/*
 * procbench history COMMAND: results over time (history/store.h).
 *   add FILE...   results files (with their samples) into the store, one
 *                 transaction each; a run already stored is a no-op
 *   list          the series and their run counts
 *   show [BENCH]  a series' runs: when, kernel, commit or labels, median, CI
 *   check         change points in every series (analysis/changepoint.h);
 *                 exit 1 when the newest runs of a series start a regression
 *                 beyond the threshold
 * Exit: 0, 1 (check: a regression), 2 bad input or a store that cannot be
 * used (one line naming the problem and its fix; the store is unchanged).
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_values.h"
#include "history_main.h"
#include "../analysis/changepoint.h"
#include "../analysis/gate.h"
#include "../analysis/results_read.h"
#include "../analysis/safe_text.h"
#include "../history/store.h"

#define DEFAULT_DB "results/history.db"
#define MAX_LABELS 32

enum command { C_ADD, C_LIST, C_SHOW, C_CHECK };

struct hargs {
	enum command cmd;
	const char *db, *machine, *time_base, *bench;
	unsigned wait_s, window, last;
	double threshold, alpha;
	int json;
	json_object *labels;
	regex_t machine_re;
	int have_machine_re;
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	char msg[4096], shown[4096];
	va_list ap;

	/* One line, safe for a terminal whatever a file, a store or a server put in it. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "procbench history: %s\n", pb_safe(msg, shown, sizeof(shown)));
	return 2;
}

static void usage(FILE *f)
{
	fputs("usage: procbench history COMMAND [options] [ARGS]\n"
	      "Results over time: runs kept in a store, one series per benchmark, machine and time\n"
	      "base, in the order the runs were added; change points found by E-divisive.\n"
	      "Commands:\n"
	      "  add FILE...        add results files (each with its raw samples beside it), one\n"
	      "                     transaction each; a run already stored is left as it is\n"
	      "  list               the series and how many runs each has\n"
	      "  show [BENCH]       the runs of BENCH's series (every series without BENCH): when,\n"
	      "                     kernel, commit or labels, median and its 95% CI\n"
	      "  check              change points in every series; exit 1 when the newest runs of\n"
	      "                     one start a regression beyond the threshold\n"
	      "Options:\n"
	      "      --db PATH|URL     the store: an SQLite file (default " DEFAULT_DB ", made on\n"
	      "                        the first add) or postgresql://... for a shared server\n"
	      "      --wait SECONDS    how long to wait for another writer's lock (default 30)\n"
	      "      --format F        text or json (default text)\n"
	      "  add:\n"
	      "      --label KEY=VALUE an attribute of the added runs (repeatable): the kernel's\n"
	      "                        commit, a CI job; `commit` names the kernel commit when the\n"
	      "                        results do not\n"
	      "      --machine NAME    the machine the series belong to (default: from each file:\n"
	      "                        host name, arch, CPU model, CPUs, and qemu's mode in a guest)\n"
	      "  show, check:\n"
	      "      --machine REGEX   only machines matching REGEX\n"
	      "      --time-base T     only series in time base T (wall or instructions)\n"
	      "  show:\n"
	      "      --last N          only each series' newest N runs\n"
	      "  check:\n"
	      "      --window N        only each series' newest N runs (default: all)\n"
	      "      --threshold PCT   smallest slowdown that fails the check (default 2)\n"
	      "      --alpha A         significance of a change point (default 0.03)\n"
	      "Exit status: 0 ok, 1 (check) a regression at the newest runs, 2 bad input or store.\n"
	      "See docs/history.md.\n",
	      f);
}

static int parse_label(struct hargs *a, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char key[65];
	size_t kl = eq ? (size_t)(eq - arg) : 0;

	if (!eq || kl == 0 || kl >= sizeof(key))
		return fail("--label '%.60s' is not KEY=VALUE (a key of 1 to 64 letters, digits, '_', '-' or '.')",
			    arg);
	memcpy(key, arg, kl);
	key[kl] = 0;
	if (strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != kl)
		return fail("--label key '%.64s' has a character other than letters, digits, '_', '-' or '.'",
			    key);
	if (!pb_text_is_utf8(eq + 1) || strlen(eq + 1) > 1000)
		return fail("--label %s: its value is not UTF-8 text of at most 1000 bytes", key);
	if (!a->labels)
		a->labels = json_object_new_object();
	if (json_object_object_get_ex(a->labels, key, NULL))
		return fail("--label %s is given twice: give each key once", key);
	if (json_object_object_length(a->labels) >= MAX_LABELS)
		return fail("more than %d --label pairs: keep the ones a reader needs", MAX_LABELS);
	json_object_object_add(a->labels, key, json_object_new_string(eq + 1));
	return 0;
}

static int parse(int argc, char **argv, struct hargs *a)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },	       { "wait", required_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' },    { "label", required_argument, NULL, 'l' },
		{ "machine", required_argument, NULL, 'm' },   { "time-base", required_argument, NULL, 'T' },
		{ "last", required_argument, NULL, 'n' },      { "window", required_argument, NULL, 'W' },
		{ "threshold", required_argument, NULL, 't' }, { "alpha", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },	       { 0, 0, 0, 0 }
	};
	static const char *const cmds[] = { "add", "list", "show", "check" };
	int c, i;

	a->db = DEFAULT_DB;
	a->wait_s = 30;
	a->threshold = 0.02;
	a->alpha = PB_CP_ALPHA;
	if (argc < 2)
		return fail("a command is needed: add, list, show or check (see procbench history --help)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 1;
	}
	for (i = 0; i < 4 && strcmp(argv[1], cmds[i]); i++)
		;
	if (i == 4 && argv[1][0] == '-')
		return fail("the command comes first: procbench history add|list|show|check [options], not '%.40s' before it",
			    argv[1]);
	if (i == 4)
		return fail("unknown command '%.40s': one of add, list, show, check (see procbench history --help)",
			    argv[1]);
	a->cmd = (enum command)i;
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		const char *arg = optarg;

		/* Each option belongs to some commands; elsewhere it is a mistake, never ignored. */
		if ((c == 'l' && a->cmd != C_ADD) || (c == 'n' && a->cmd != C_SHOW) ||
		    ((c == 'W' || c == 't' || c == 'a') && a->cmd != C_CHECK) ||
		    (c == 'T' && a->cmd != C_SHOW && a->cmd != C_CHECK) ||
		    (c == 'm' && a->cmd == C_LIST))
			return fail("%s does not take %s (see procbench history --help)", cmds[a->cmd],
				    argv[optind - 1 - (optarg && optarg == argv[optind - 1])]);
		switch (c) {
		case 'd':
			if (!arg[0])
				return fail("--db is empty: name an SQLite file or a postgresql:// URL");
			a->db = arg;
			break;
		case 'w':
			if (pb_cli_parse_uint(arg, 0, 86400, &a->wait_s))
				return fail("--wait '%.40s' is not a whole number of seconds from 0 to 86400", arg);
			break;
		case 'f':
			if (strcmp(arg, "text") && strcmp(arg, "json"))
				return fail("--format '%.40s' is not text or json", arg);
			a->json = !strcmp(arg, "json");
			break;
		case 'l':
			if (parse_label(a, arg))
				return 2;
			break;
		case 'm':
			if (a->cmd == C_ADD) {
				if (!arg[0] || strlen(arg) > 200 || !pb_text_is_safe(arg))
					return fail("--machine '%.40s' must be 1 to 200 bytes of printable UTF-8", arg);
				a->machine = arg;
			} else {
				if (!pb_cli_regex_affordable(arg) || regcomp(&a->machine_re, arg, REG_EXTENDED | REG_NOSUB))
					return fail("--machine '%.60s' is not a usable extended regular expression", arg);
				a->have_machine_re = 1;
			}
			break;
		case 'T':
			if (pb_time_base_parse(arg) < 0)
				return fail("--time-base '%.40s' is not %s or %s", arg, pb_time_base_name(PB_TB_WALL),
					    pb_time_base_name(PB_TB_INSTRUCTIONS));
			a->time_base = arg;
			break;
		case 'n':
		case 'W':
			if (pb_cli_parse_uint(arg, c == 'W' ? 4 : 1, 100000000, c == 'n' ? &a->last : &a->window))
				return fail("--%s '%.40s' is not a whole number of runs from %d to 100000000",
					    c == 'n' ? "last" : "window", arg, c == 'W' ? 4 : 1);
			break;
		case 't': {
			double v;

			if (pb_cli_parse_double(arg, 0, 100, &v) || !(v > 0 && v < 100))
				return fail("--threshold '%.40s' is not a percentage in (0, 100)", arg);
			a->threshold = v / 100;
			break;
		}
		case 'a':
			if (pb_cli_parse_double(arg, 0, 1, &a->alpha) || !(a->alpha > 0 && a->alpha < 0.5))
				return fail("--alpha '%.40s' is not a significance in (0, 0.5)", arg);
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			return fail("%s needs a value (see procbench history --help)", argv[optind - 1]);
		default:
			return fail("unknown option '%.60s' (see procbench history --help)", argv[optind - 1]);
		}
	}
	if (a->cmd == C_ADD && optind >= argc)
		return fail("add needs results files: procbench history add FILE...");
	if (a->cmd == C_SHOW && optind < argc)
		a->bench = argv[optind++];
	if (a->cmd != C_ADD && optind < argc)
		return fail("%s takes no argument '%.60s' (see procbench history --help)", cmds[a->cmd],
			    argv[optind]);
	return 0;
}

/* ---- add ---- */

static int do_add(struct hargs *a, int nfiles, char **files)
{
	struct pb_store st = { 0 };
	char err[1200], abs[PATH_MAX];
	int added = 0, already = 0, open = 0;

	/* Each file is read and checked whole before its one transaction; the first that cannot
	 * be used or stored stops the add, and the store keeps what it had plus the files before.
	 * The store is opened (and made) only once the first file has passed. */
	for (int i = 0; i < nfiles; i++) {
		struct pb_results r = { 0 };
		int lock = pb_pair_lock(files[i], err, sizeof(err)), rc;
		char safe[300], rid[80];

		if (lock == -1 || pb_results_load(&r, files[i], 0, err, sizeof(err))) {
			if (lock != -1) {
				pb_pair_hint(files[i], err, sizeof(err));
				pb_pair_unlock(lock);
			}
			pb_results_free(&r);
			pb_store_close(&st);
			return fail("%s (%d of %d files added before it; it and the rest were not)", err,
				    added + already, nfiles);
		}
		pb_pair_unlock(lock);
		if (!open && pb_store_open(&st, a->db, 1, a->wait_s, err, sizeof(err))) {
			pb_results_free(&r);
			return fail("%s", err);
		}
		open = 1;
		rc = pb_store_add(&st, &r, a->machine, a->labels,
				  realpath(files[i], abs) ? abs : files[i], err, sizeof(err));
		pb_safe(files[i], safe, sizeof(safe));
		pb_safe(pb_results_run_id(&r), rid, sizeof(rid));
		if (rc < 0) {
			pb_results_free(&r);
			pb_store_close(&st);
			return fail("%s: %s (%d of %d files added before it; it and the rest were not)", safe,
				    err, added + already, nfiles);
		}
		if (!a->json)
			printf(rc ? "%s: added run %s (%zu benchmarks)\n"
				  : "%s: run %s is already in the store: nothing added\n",
			       safe, rid, r.nb);
		added += rc == 1;
		already += rc == 0;
		pb_results_free(&r);
	}
	if (a->json)
		printf("{\"added\": %d, \"already_stored\": %d}\n", added, already);
	else
		printf("%d added, %d already stored, in %s\n", added, already, st.db.name);
	pb_store_close(&st);
	return 0;
}

/* ---- reading series ---- */

static int series_wanted(const struct hargs *a, const struct pb_rows *s, size_t i)
{
	if (a->bench && strcmp(pb_rows_at(s, i, PB_SER_BENCH), a->bench))
		return 0;
	if (a->time_base && strcmp(pb_rows_at(s, i, PB_SER_TIME_BASE), a->time_base))
		return 0;
	if (a->have_machine_re && regexec(&a->machine_re, pb_rows_at(s, i, PB_SER_MACHINE), 0, NULL, 0))
		return 0;
	return 1;
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *jnum(const char *s)
{
	return s ? json_object_new_double(strtod(s, NULL)) : NULL;
}

/*
 * What tells series i from the others of its benchmark, for a table: the parameters whose
 * values differ among them ("" when the benchmark has one series).
 */
static const char *params_words(const struct pb_rows *s, json_object *const *parsed, size_t i,
				char *buf, size_t len)
{
	json_object *mine = parsed[i];
	size_t n = 0;

	buf[0] = 0;
	if (!mine || !json_object_is_type(mine, json_type_object))
		return buf;
	json_object_object_foreach(mine, key, val) {
		const char *v = json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN);
		int differs = 0;

		for (size_t j = 0; j < s->n && !differs; j++) {
			json_object *ov;

			if (j == i || strcmp(pb_rows_at(s, j, PB_SER_BENCH), pb_rows_at(s, i, PB_SER_BENCH)))
				continue;
			differs = !parsed[j] || !json_object_object_get_ex(parsed[j], key, &ov) ||
				  strcmp(json_object_to_json_string_ext(ov, JSON_C_TO_STRING_PLAIN), v);
		}
		if (differs && n + 2 < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s=%s", n ? " " : "", key, v);
	}
	return buf;
}

static json_object *series_json(const struct pb_rows *s, json_object *const *parsed, size_t i)
{
	json_object *o = json_object_new_object(), *params = json_tokener_parse(pb_rows_at(s, i, PB_SER_PARAMS));
	char words[600];

	json_object_object_add(o, "id", json_object_new_int64(atoll(pb_rows_at(s, i, PB_SER_ID))));
	json_object_object_add(o, "bench", jstr(pb_rows_at(s, i, PB_SER_BENCH)));
	json_object_object_add(o, "params", params ? params : json_object_new_object());
	/* what a table or a chart names it by (the report takes it from here) */
	json_object_object_add(o, "distinct_params",
			       json_object_new_string(params_words(s, parsed, i, words, sizeof(words))));
	json_object_object_add(o, "machine", jstr(pb_rows_at(s, i, PB_SER_MACHINE)));
	json_object_object_add(o, "time_base", jstr(pb_rows_at(s, i, PB_SER_TIME_BASE)));
	json_object_object_add(o, "runs", json_object_new_int64(atoll(pb_rows_at(s, i, PB_SER_RUNS))));
	json_object_object_add(o, "first_date", jstr(pb_rows_at(s, i, PB_SER_FIRST)));
	json_object_object_add(o, "last_date", jstr(pb_rows_at(s, i, PB_SER_LAST)));
	return o;
}

static json_object *point_json(const struct pb_rows *p, size_t k)
{
	json_object *o = json_object_new_object(), *labels = json_tokener_parse(pb_rows_at(p, k, PB_PT_LABELS));

	json_object_object_add(o, "run", json_object_new_int64(atoll(pb_rows_at(p, k, PB_PT_SEQ))));
	json_object_object_add(o, "run_id", jstr(pb_rows_at(p, k, PB_PT_RUN_ID)));
	json_object_object_add(o, "date", jstr(pb_rows_at(p, k, PB_PT_DATE)));
	json_object_object_add(o, "kernel", jstr(pb_rows_at(p, k, PB_PT_KERNEL)));
	json_object_object_add(o, "kernel_append", jstr(pb_rows_at(p, k, PB_PT_APPEND)));
	json_object_object_add(o, "kernel_commit", jstr(pb_rows_at(p, k, PB_PT_COMMIT)));
	json_object_object_add(o, "procbench_version", jstr(pb_rows_at(p, k, PB_PT_VERSION)));
	json_object_object_add(o, "labels", labels ? labels : json_object_new_object());
	json_object_object_add(o, "status", jstr(pb_rows_at(p, k, PB_PT_STATUS)));
	json_object_object_add(o, "median_ns", jnum(pb_rows_at(p, k, PB_PT_MEDIAN)));
	json_object_object_add(o, "ci_lo_ns", jnum(pb_rows_at(p, k, PB_PT_CI_LO)));
	json_object_object_add(o, "ci_hi_ns", jnum(pb_rows_at(p, k, PB_PT_CI_HI)));
	json_object_object_add(o, "samples", json_object_new_int64(atoll(pb_rows_at(p, k, PB_PT_SAMPLES))));
	json_object_object_add(o, "note", jstr(pb_rows_at(p, k, PB_PT_NOTE)));
	return o;
}

static void print_json(json_object *o)
{
	pb_json_utf8(o);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* The points of series id in rows p (ordered by series id): [*from, *to). */
static void span_of(const struct pb_rows *p, const char *id, size_t *from, size_t *to)
{
	long long want = atoll(id);
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (atoll(pb_rows_at(p, mid, PB_PT_SERIES)) < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	while (lo < p->n && atoll(pb_rows_at(p, lo, PB_PT_SERIES)) == want)
		lo++;
	*to = lo;
}

/* What names a run for a reader: the kernel's commit, else the labels, else "-". */
static const char *run_words(const struct pb_rows *p, size_t k, char *buf, size_t len)
{
	const char *commit = pb_rows_at(p, k, PB_PT_COMMIT), *labels = pb_rows_at(p, k, PB_PT_LABELS);
	const char *append = pb_rows_at(p, k, PB_PT_APPEND);
	char t[400];

	snprintf(t, sizeof(t), "%s%s%s%s%s", pb_rows_at(p, k, PB_PT_KERNEL), append[0] ? " " : "", append,
		 commit[0] ? " " : "", commit);
	if (strcmp(labels, "{}"))
		snprintf(t + strlen(t), sizeof(t) - strlen(t), " %s", labels);
	return pb_safe(t, buf, len);
}

/* The store opened to read: its series (and every point, but for list), and the series'
 * parameters parsed once. 0, or 2 with the reason said. */
static int open_read(struct hargs *a, struct pb_store *st, struct pb_rows *s, struct pb_rows *p,
		     json_object ***parsed)
{
	char err[1200];

	memset(s, 0, sizeof(*s));
	memset(p, 0, sizeof(*p));
	if (pb_store_open(st, a->db, 0, a->wait_s, err, sizeof(err)))
		return fail("%s", err);
	if (pb_store_series(st, s, err, sizeof(err)) ||
	    (a->cmd != C_LIST && pb_store_points(st, -1, p, err, sizeof(err)))) {
		pb_rows_free(s);
		pb_store_close(st);
		return fail("%s", err);
	}
	*parsed = calloc(s->n + 1, sizeof(**parsed));
	if (!*parsed) {
		pb_rows_free(s);
		pb_rows_free(p);
		pb_store_close(st);
		return fail("out of memory");
	}
	for (size_t i = 0; i < s->n; i++)
		(*parsed)[i] = json_tokener_parse(pb_rows_at(s, i, PB_SER_PARAMS));
	return 0;
}

/* What open_read gave, given back. */
static void close_read(struct pb_store *st, struct pb_rows *s, struct pb_rows *p, json_object **parsed)
{
	for (size_t i = 0; i < s->n; i++)
		json_object_put(parsed[i]);
	free(parsed);
	pb_rows_free(s);
	pb_rows_free(p);
	pb_store_close(st);
}

/* ---- list, show ---- */

static int do_list_show(struct hargs *a)
{
	struct pb_store st;
	struct pb_rows s, p;
	size_t shown = 0;
	json_object **parsed, *all;

	if (open_read(a, &st, &s, &p, &parsed))
		return 2;
	all = json_object_new_array();
	for (size_t i = 0; i < s.n; i++) {
		const char *id = pb_rows_at(&s, i, PB_SER_ID);
		size_t from, to;
		char b[300], m[300], pr[300];

		span_of(&p, id, &from, &to);
		if (!series_wanted(a, &s, i))
			continue;
		shown++;
		if (a->last && to - from > a->last)
			from = to - a->last;
		if (a->json) {
			json_object *o = series_json(&s, parsed, i), *runs = json_object_new_array();

			for (size_t k = from; a->cmd == C_SHOW && k < to; k++)
				json_object_array_add(runs, point_json(&p, k));
			if (a->cmd == C_SHOW)
				json_object_object_add(o, "points", runs);
			else
				json_object_put(runs);
			json_object_array_add(all, o);
			continue;
		}
		pb_safe(pb_rows_at(&s, i, PB_SER_BENCH), b, sizeof(b));
		pb_safe(pb_rows_at(&s, i, PB_SER_MACHINE), m, sizeof(m));
		params_words(&s, parsed, i, pr, sizeof(pr));
		pb_safe_inplace(pr, sizeof(pr));
		if (a->cmd == C_LIST) {
			printf("%-24s %5s runs  %-12s  %s%s%s\n", b, pb_rows_at(&s, i, PB_SER_RUNS),
			       pb_rows_at(&s, i, PB_SER_TIME_BASE), m, pr[0] ? "  " : "", pr);
			continue;
		}
		printf("%s%s%s%s on %s, %s: %s runs (times in us%s)\n", shown > 1 ? "\n" : "", b,
		       pr[0] ? " " : "", pr, m, pb_rows_at(&s, i, PB_SER_TIME_BASE), pb_rows_at(&s, i, PB_SER_RUNS),
		       strcmp(pb_rows_at(&s, i, PB_SER_TIME_BASE), "instructions") ? ""
										   : ": 1 ns = 1 guest instruction");
		printf("%6s  %-24s  %12s  %-25s  %s\n", "run", "date", "median", "95% CI", "kernel, commit, labels");
		for (size_t k = from; k < to; k++) {
			const char *med = pb_rows_at(&p, k, PB_PT_MEDIAN), *lo = pb_rows_at(&p, k, PB_PT_CI_LO);
			char ci[80] = "-", w[600], d[64], note[200];

			pb_safe(pb_rows_at(&p, k, PB_PT_DATE), d, sizeof(d));
			if (med && lo)
				snprintf(ci, sizeof(ci), "[%.3f, %.3f]", strtod(lo, NULL) / 1000,
					 strtod(pb_rows_at(&p, k, PB_PT_CI_HI), NULL) / 1000);
			if (med)
				printf("%6s  %-24s  %12.3f  %-25s  %s\n", pb_rows_at(&p, k, PB_PT_SEQ), d,
				       strtod(med, NULL) / 1000, ci, run_words(&p, k, w, sizeof(w)));
			else
				printf("%6s  %-24s  %12s  %-25s  %s (%s)\n", pb_rows_at(&p, k, PB_PT_SEQ), d,
				       pb_rows_at(&p, k, PB_PT_STATUS), "-", run_words(&p, k, w, sizeof(w)),
				       pb_safe(pb_rows_at(&p, k, PB_PT_NOTE), note, sizeof(note)));
		}
	}
	if (a->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "store", json_object_new_string(st.db.name));
		json_object_object_add(o, "series", all);
		print_json(o);
	} else if (!shown && a->bench) {
		char b[300];

		json_object_put(all);
		fail("%s: no series of '%s'%s: `procbench history list` shows what it holds", st.db.name,
		     pb_safe(a->bench, b, sizeof(b)), a->time_base || a->have_machine_re ? " that the filters keep" : "");
	} else if (!shown) {
		json_object_put(all);
		printf("no series in %s\n", st.db.name);
	} else {
		json_object_put(all);
	}
	close_read(&st, &s, &p, parsed);
	return a->bench && !shown ? 2 : 0;
}

/* ---- check ---- */

static uint64_t fnv(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static json_object *side_json(const struct pb_rows *p, size_t k, size_t runs, double typical)
{
	json_object *o = point_json(p, k);

	json_object_object_add(o, "segment_runs", json_object_new_int64((int64_t)runs));
	json_object_object_add(o, "segment_typical_median_ns", json_object_new_double(typical));
	return o;
}

static int do_check(struct hargs *a)
{
	struct pb_store st;
	struct pb_rows s, p;
	size_t nseries = 0, nruns = 0, ncp = 0, nminor = 0, nreg = 0;
	struct pb_cp_opts o = { PB_CP_MIN_SIZE, a->alpha, PB_CP_PERMS, 0 };
	json_object **parsed, *all;

	if (open_read(a, &st, &s, &p, &parsed))
		return 2;
	all = json_object_new_array();
	/* One series' runs, change points and their sizes: no series has more runs than the store. */
	double *y = malloc((p.n + 1) * sizeof(*y));
	size_t *at = malloc((p.n + 1) * sizeof(*at));
	struct pb_changepoint *cp = malloc((p.n + 1) * sizeof(*cp));
	struct pb_gate *gates = malloc((p.n + 1) * sizeof(*gates));
	int *beyond = malloc((p.n + 1) * sizeof(*beyond)), r = 0;

	for (size_t i = 0; i < s.n && y && at && cp && gates && beyond; i++) {
		const char *id = pb_rows_at(&s, i, PB_SER_ID);
		size_t from, to, n = 0;
		long found;
		json_object *js, *jcp;

		span_of(&p, id, &from, &to);
		if (!series_wanted(a, &s, i))
			continue;
		/* The runs with a median above 0 (a skipped or failed run has none). */
		for (size_t k = from; k < to; k++) {
			const char *m = pb_rows_at(&p, k, PB_PT_MEDIAN);

			if (m && strtod(m, NULL) > 0) {
				y[n] = log(strtod(m, NULL));
				at[n++] = k;
			}
		}
		if (a->window && n > a->window) {
			memmove(y, y + n - a->window, a->window * sizeof(*y));
			memmove(at, at + n - a->window, a->window * sizeof(*at));
			n = a->window;
		}
		nseries++;
		nruns += n;
		/* Seeded by what the series is, so every store holding it gives the same answer. */
		o.seed = fnv(pb_rows_at(&s, i, PB_SER_TIME_BASE),
			     fnv(pb_rows_at(&s, i, PB_SER_MACHINE),
				 fnv(pb_rows_at(&s, i, PB_SER_PARAMS),
				     fnv(pb_rows_at(&s, i, PB_SER_BENCH), 0xcbf29ce484222325ull))));
		found = pb_edivisive(y, n, &o, cp, n + 1);
		if (found < 0) {
			r = fail("out of memory");
			break;
		}
		js = series_json(&s, parsed, i);
		jcp = json_object_new_array();
		json_object_object_add(js, "runs_checked", json_object_new_int64((int64_t)n));
		/*
		 * Each change's size: the ratio of the typical run medians of the segments around it,
		 * with Welch's interval (the gate's, analysis/gate.h). A change whose whole interval
		 * lies within +-threshold is real (significant) but smaller than what matters, as
		 * compare's "no change": it still bounds its neighbours' segments, and is listed in
		 * the JSON, not in the table.
		 */
		for (long c = 0; c < found; c++) {
			size_t lo = c ? cp[c - 1].at : 0, mid = cp[c].at, hi = c + 1 < found ? cp[c + 1].at : n;

			pb_gate_interval(y + lo, mid - lo, y + mid, hi - mid, 0.95, a->threshold, &gates[c]);
			beyond[c] = !(gates[c].lo >= 1 - a->threshold && gates[c].hi <= 1 + a->threshold);
		}
		/*
		 * The gate: the newest runs against the runs before the changes since the last fix
		 * (a change beyond the threshold that made it faster). A slowdown followed by more
		 * slowdown, or by changes within the threshold, is still there; small steps that
		 * add up beyond it are one too. Regression when that whole interval lies above
		 * 1 + threshold (the gate's rule); it is named at the first slowdown since the fix.
		 */
		struct pb_gate since = { 0 };
		long first = found, reg_at = -1;
		while (first > 0 && !(beyond[first - 1] && gates[first - 1].ratio < 1))
			first--;
		if (first < found) {
			size_t ref_lo = first ? cp[first - 1].at : 0, ref_hi = cp[first].at, newest = cp[found - 1].at;

			pb_gate_interval(y + ref_lo, ref_hi - ref_lo, y + newest, n - newest, 0.95, a->threshold,
					 &since);
			if (since.lo > 1 + a->threshold) {
				reg_at = first;
				for (long c = first; c < found; c++)
					if (beyond[c] && gates[c].ratio > 1) {
						reg_at = c;
						break;
					}
				nreg++;
			}
		}
		for (long c = 0, shown = 0; c < found; c++) {
			size_t lo = c ? cp[c - 1].at : 0, mid = cp[c].at, hi = c + 1 < found ? cp[c + 1].at : n;
			struct pb_gate g = gates[c];
			char bw[600], aw[600], b[300], m[300];
			int newest = c == found - 1, regression = c == reg_at;

			ncp += beyond[c];
			nminor += !beyond[c];
			if (a->json) {
				json_object *j = json_object_new_object();

				json_object_object_add(j, "index", json_object_new_int64((int64_t)mid));
				json_object_object_add(j, "run", json_object_new_int64(
									atoll(pb_rows_at(&p, at[mid], PB_PT_SEQ))));
				json_object_object_add(j, "ratio", json_object_new_double(g.ratio));
				json_object_object_add(j, "ratio_ci_lo",
						       isfinite(g.lo) ? json_object_new_double(g.lo) : NULL);
				json_object_object_add(j, "ratio_ci_hi",
						       isfinite(g.hi) ? json_object_new_double(g.hi) : NULL);
				json_object_object_add(j, "p", json_object_new_double(cp[c].p));
				json_object_object_add(j, "p_exact", json_object_new_boolean(cp[c].exact));
				json_object_object_add(j, "beyond_threshold", json_object_new_boolean(beyond[c]));
				json_object_object_add(j, "before", side_json(&p, at[mid - 1], mid - lo, g.typical_a));
				json_object_object_add(j, "after", side_json(&p, at[mid], hi - mid, g.typical_b));
				json_object_object_add(j, "newest", json_object_new_boolean(newest));
				json_object_object_add(j, "regression", json_object_new_boolean(regression));
				json_object_array_add(jcp, j);
				continue;
			}
			if (!beyond[c] && !regression)
				continue;
			if (shown++ == 0) {
				params_words(&s, parsed, i, bw, sizeof(bw));
				pb_safe_inplace(bw, sizeof(bw));
				printf("%s%s%s on %s, %s: %zu runs checked\n",
				       pb_safe(pb_rows_at(&s, i, PB_SER_BENCH), b, sizeof(b)), bw[0] ? " " : "", bw,
				       pb_safe(pb_rows_at(&s, i, PB_SER_MACHINE), m, sizeof(m)),
				       pb_rows_at(&s, i, PB_SER_TIME_BASE), n);
			}
			printf("  change at run %s: x%.4f", pb_rows_at(&p, at[mid], PB_PT_SEQ), g.ratio);
			if (isfinite(g.lo))
				printf(" [%.4f, %.4f]", g.lo, g.hi);
			printf(" (%zu runs at %.3f us, then %zu at %.3f us; p %s%.3f)%s\n", mid - lo,
			       g.typical_a / 1000, hi - mid, g.typical_b / 1000, cp[c].exact ? "" : "~",
			       cp[c].p, beyond[c] ? "" : " within the threshold");
			printf("    before: run %s %s\n    after:  run %s %s\n",
			       pb_rows_at(&p, at[mid - 1], PB_PT_SEQ), run_words(&p, at[mid - 1], bw, sizeof(bw)),
			       pb_rows_at(&p, at[mid], PB_PT_SEQ), run_words(&p, at[mid], aw, sizeof(aw)));
			if (regression)
				printf("  REGRESSION at the newest runs: x%.4f [%.4f, %.4f] since run %s (the newest %zu runs against the %zu before run %s)\n",
				       since.ratio, since.lo, since.hi, pb_rows_at(&p, at[mid], PB_PT_SEQ),
				       n - cp[found - 1].at, since.na, pb_rows_at(&p, at[cp[first].at], PB_PT_SEQ));
		}
		json_object_object_add(js, "change_points", jcp);
		if (reg_at >= 0) {
			json_object *r = json_object_new_object();

			json_object_object_add(r, "since_run", json_object_new_int64(
							atoll(pb_rows_at(&p, at[cp[reg_at].at], PB_PT_SEQ))));
			json_object_object_add(r, "ratio", json_object_new_double(since.ratio));
			json_object_object_add(r, "ratio_ci_lo", json_object_new_double(since.lo));
			json_object_object_add(r, "ratio_ci_hi", json_object_new_double(since.hi));
			json_object_object_add(r, "runs_before", json_object_new_int64((int64_t)since.na));
			json_object_object_add(r, "runs_newest", json_object_new_int64((int64_t)since.nb));
			json_object_object_add(js, "regression", r);
		} else {
			json_object_object_add(js, "regression", NULL);
		}
		json_object_array_add(all, js);
	}
	if (!r && !(y && at && cp && gates && beyond))
		r = fail("out of memory");
	free(y);
	free(at);
	free(cp);
	free(gates);
	free(beyond);
	if (r) {
		json_object_put(all);
		close_read(&st, &s, &p, parsed);
		return r;
	}
	if (a->json) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "store", json_object_new_string(st.db.name));
		json_object_object_add(j, "method", json_object_new_string("e-divisive means, permutation test"));
		json_object_object_add(j, "alpha", json_object_new_double(a->alpha));
		json_object_object_add(j, "threshold", json_object_new_double(a->threshold));
		json_object_object_add(j, "window", json_object_new_int64(a->window));
		json_object_object_add(j, "series", all);
		json_object_object_add(j, "regressed", json_object_new_boolean(nreg > 0));
		print_json(j);
	} else {
		json_object_put(all);
		printf("%zu series, %zu runs checked in %s: %zu change point%s beyond +-%g%%",
		       nseries, nruns, st.db.name, ncp, ncp == 1 ? "" : "s", a->threshold * 100);
		if (nminor)
			printf(" (and %zu within it)", nminor);
		printf(", %zu regression%s at the newest runs (alpha %g)\n", nreg, nreg == 1 ? "" : "s",
		       a->alpha);
	}
	close_read(&st, &s, &p, parsed);
	return nreg ? 1 : 0;
}

int pb_history_main(int argc, char **argv)
{
	struct hargs a = { 0 };
	int r = parse(argc, argv, &a);

	if (r == 0) {
		switch (a.cmd) {
		case C_ADD:
			r = do_add(&a, argc - optind, argv + optind);
			break;
		case C_LIST:
		case C_SHOW:
			r = do_list_show(&a);
			break;
		case C_CHECK:
			r = do_check(&a);
			break;
		}
	} else if (r == 1) {
		r = 0;
	}
	if (a.labels)
		json_object_put(a.labels);
	if (a.have_machine_re)
		regfree(&a.machine_re);
	return r;
}
