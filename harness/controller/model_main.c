// SPDX-License-Identifier: MIT
/*
 * procbench model FILE...: a cost model per method over a sweep's points
 * (analysis/model.h): the round trip as base + per resident MiB + per
 * mapping (+ per thread, per open file where swept), with 95% intervals,
 * R^2 and each point's residual. Points of one method are fitted together
 * when they differ only in what the terms measure; other parameters (THP,
 * placement, jobs, fds' O_CLOEXEC, memory node) make models of their own.
 * Exit: 0, 2 bad input (one line naming the problem and its fix).
 */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_values.h"
#include "model_main.h"
#include "../analysis/model_set.h"
#include "../analysis/results_read.h"
#include "../analysis/safe_text.h"

#define MAX_FILES 256
#define BOOT_DEFAULT 1000

struct margs {
	int json;
	unsigned boot, terms;
	int terms_given;
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	char msg[2048], shown[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "procbench model: %s\n", pb_safe(msg, shown, sizeof(shown)));
	return 2;
}

static void usage(FILE *f)
{
	fputs("usage: procbench model [options] FILE...\n"
	      "A cost model per method over a sweep's points (procbench sweep, or runs of --rss,\n"
	      "--vmas, --threads, --fds): the round trip as\n"
	      "  base + per_mib x resident MiB + per_vma x mappings [+ per_thread x threads\n"
	      "  + per_fd x open files]\n"
	      "with the terms the points vary, each a measured value of the parent (its\n"
	      "parent_shape), fitted by weighted least squares, with 95% intervals, R^2 and\n"
	      "each point's residual. Points of one method differing in another parameter\n"
	      "(--thp, --pin, --jobs, --fds-cloexec, --mem-node) are models of their own. Files\n"
	      "must share a machine, kernel and time base.\n"
	      "Options:\n"
	      "      --terms LIST   fit these terms: mib, vma, thread, fd, comma-separated\n"
	      "                     (default: those the points vary)\n"
	      "      --boot N       bootstrap replicates over the raw samples (default 1000;\n"
	      "                     0, or a file without samples: normal intervals from the fit)\n"
	      "      --format F     text or json (default text)\n"
	      "Exit status: 0, 2 bad input (a file without a sweep, a term the points do not\n"
	      "vary or separate). See docs/shaping.md.\n",
	      f);
}

static int parse_terms(const char *arg, unsigned *terms)
{
	static const char *const names[PB_MT_COUNT] = { "", "mib", "vma", "thread", "fd" };
	char buf[200], *save = NULL;

	if (strlen(arg) >= sizeof(buf) || !arg[0])
		return fail("--terms '%.60s' is not a list of mib, vma, thread, fd", arg);
	strcpy(buf, arg);
	*terms = 0;
	if (buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,"))
		return fail("--terms '%.60s' has an empty term: name mib, vma, thread or fd, comma-separated", arg);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned i;

		for (i = 1; i < PB_MT_COUNT && strcmp(t, names[i]); i++)
			;
		if (i == PB_MT_COUNT)
			return fail("--terms: '%.40s' is not a term: mib, vma, thread or fd", t);
		if (*terms & (1u << i))
			return fail("--terms names %s twice: name each term once", t);
		*terms |= 1u << i;
	}
	return 0;
}

static int parse(int argc, char **argv, struct margs *a)
{
	static const struct option opts[] = { { "terms", required_argument, NULL, 't' },
					      { "boot", required_argument, NULL, 'b' },
					      { "format", required_argument, NULL, 'f' },
					      { "help", no_argument, NULL, 'h' },
					      { 0, 0, 0, 0 } };
	int c;

	a->boot = BOOT_DEFAULT;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_terms(optarg, &a->terms))
				return 2;
			a->terms_given = 1;
			break;
		case 'b':
			if (pb_cli_parse_uint(optarg, 0, 10000, &a->boot) || (a->boot && a->boot < 100))
				return fail("--boot '%.40s' is not 0 or a count of replicates from 100 to 10000",
					    optarg);
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return fail("--format '%.40s' is not text or json", optarg);
			a->json = !strcmp(optarg, "json");
			break;
		case 'h':
			usage(stdout);
			return 1;
		case ':':
			return fail("%s needs a value (see procbench model --help)", argv[optind - 1]);
		default:
			return fail("unknown option '%.60s' (see procbench model --help)", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return fail("results files are needed: procbench model FILE... (a sweep's results: "
			    "procbench sweep --out FILE)");
	if (argc - optind > MAX_FILES)
		return fail("%d files: at most %d in one model", argc - optind, MAX_FILES);
	return 0;
}

/* The files must be distinct runs of one machine, kernel and time base. */
static int same_run_kind(struct pb_results *rs, int n)
{
	static const char *const keys[][2] = { { "", "kernel_release" }, { "", "host_name" },
					       { "", "arch" },		 { "", "num_cpus" },
					       { "environment", "cpu_model" } };

	for (int i = 1; i < n; i++) {
		const char *ta = pb_time_base_name(pb_results_time_base(&rs[0]));
		const char *tb = pb_time_base_name(pb_results_time_base(&rs[i]));

		if (strcmp(ta ? ta : "?", tb ? tb : "?"))
			return fail("%s and %s differ in time base (%s, %s): a model pools points of one "
				    "time base; fit each on its own and compare them",
				    rs[0].path, rs[i].path, ta ? ta : "?", tb ? tb : "?");
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const char *a = pb_results_context_text(&rs[0], keys[k][0], keys[k][1]);
			const char *b = pb_results_context_text(&rs[i], keys[k][0], keys[k][1]);

			if (strcmp(a ? a : "", b ? b : ""))
				return fail("%s and %s differ in %s ('%.60s', '%.60s'): a model pools "
					    "points of one machine, kernel and time base; fit each on "
					    "its own and compare them",
					    rs[0].path, rs[i].path, keys[k][1], a ? a : "", b ? b : "");
		}
		for (int j = 0; j < i; j++) {
			const char *ia = pb_results_run_id(&rs[j]), *ib = pb_results_run_id(&rs[i]);

			if ((rs[j].dev && rs[j].dev == rs[i].dev && rs[j].ino == rs[i].ino) ||
			    (ia && ib && *ia && !strcmp(ia, ib)))
				return fail("%s and %s are the same run: pooled twice its points would "
					    "count double; give each run once",
					    rs[j].path, rs[i].path);
		}
	}
	return 0;
}

static void print_text(const struct pb_model_set *s, const struct pb_model *m, const char *tb)
{
	const struct pb_mfit *f = &m->fit;
	const struct pb_mpoint *p = s->p + m->first;
	char name[300];

	pb_safe(m->name, name, sizeof(name));
	printf("%s (%zu points, %s): round trip = %.1f", name, m->n, tb, f->coef[PB_MT_BASE] + 0.0);
	for (unsigned t = 1; t < PB_MT_COUNT; t++)
		if (f->terms & (1u << t))
			printf(" %c %.2f x %s", f->coef[t] < 0 ? '-' : '+', fabs(f->coef[t]), pb_mterm_units[t]);
	printf(" ns\n  %-11s %-14s %14s   %s\n", "term", "per", "coefficient", "95% interval");
	for (unsigned t = 0; t < PB_MT_COUNT; t++) /* (+ 0.0: never a -0.00) */
		if (f->terms & (1u << t))
			printf("  %-11s %-14s %14.2f   [%.2f, %.2f]\n", pb_mterm_names[t], pb_mterm_units[t],
			       f->coef[t] + 0.0, f->lo[t] + 0.0, f->hi[t] + 0.0);
	if (isfinite(f->r2))
		printf("  R^2 %.6f, ", f->r2);
	else
		printf("  R^2 undefined (every point's median is the same), ");
	printf("chi^2/dof %.3g%s; intervals: %s\n", f->chi2_dof,
	       f->widen > 1 ? " (the line misses the points beyond their noise: intervals widened)" : "",
	       f->boot ? "bootstrap over the raw samples" : "normal, from the points' CIs");
	printf("  %-40s %9s %7s %7s %7s %14s %14s %9s\n", "point", "MiB", "maps", "threads", "fds",
	       "measured", "fitted", "residual");
	for (size_t i = 0; i < m->n; i++) {
		double fit = pb_model_predict(f, p[i].x);
		char res[32] = "-"; /* no residual against a fitted 0: never a nan */

		if (fit != 0 && isfinite(fit))
			snprintf(res, sizeof(res), "%+.3f%%", 100 * (p[i].y - fit) / fit);
		pb_safe(s->b[m->first + i]->name, name, sizeof(name));
		printf("  %-40s %9.1f %7.0f %7.0f %7.0f %14.1f %14.1f %9s\n", name, p[i].x[PB_MT_MIB],
		       p[i].x[PB_MT_VMA], p[i].x[PB_MT_THREAD], p[i].x[PB_MT_FD], p[i].y, fit + 0.0, res);
	}
}

static json_object *dbl(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static json_object *model_json(const struct pb_model_set *s, const struct pb_model *m)
{
	const struct pb_mfit *f = &m->fit;
	const struct pb_mpoint *p = s->p + m->first;
	json_object *o = json_object_new_object(), *terms, *pts;

	json_object_object_add(o, "name", json_object_new_string(m->name));
	json_object_object_add(o, "method", json_object_new_string(m->method ? m->method : ""));
	json_object_object_add(o, "points", json_object_new_int64((int64_t)m->n));
	if (m->why[0]) {
		json_object_object_add(o, "status", json_object_new_string("skipped"));
		json_object_object_add(o, "reason", json_object_new_string(m->why));
		return o;
	}
	json_object_object_add(o, "status", json_object_new_string("ok"));
	terms = json_object_new_array();
	for (unsigned t = 0; t < PB_MT_COUNT; t++) {
		json_object *x;

		if (!(f->terms & (1u << t)))
			continue;
		x = json_object_new_object();
		json_object_object_add(x, "name", json_object_new_string(pb_mterm_names[t]));
		json_object_object_add(x, "per", json_object_new_string(pb_mterm_units[t]));
		json_object_object_add(x, "coefficient_ns", dbl(f->coef[t]));
		json_object_object_add(x, "ci_lo", dbl(f->lo[t]));
		json_object_object_add(x, "ci_hi", dbl(f->hi[t]));
		json_object_array_add(terms, x);
	}
	json_object_object_add(o, "terms", terms);
	json_object_object_add(o, "r2", dbl(f->r2));
	json_object_object_add(o, "chi2_per_dof", dbl(f->chi2_dof));
	json_object_object_add(o, "interval_widening", dbl(f->widen));
	json_object_object_add(o, "interval",
			       json_object_new_string(f->boot ? "bootstrap" : "normal"));
	json_object_object_add(o, "bootstrap_replicates", json_object_new_int64(f->boot));
	pts = json_object_new_array();
	for (size_t i = 0; i < m->n; i++) {
		json_object *x = json_object_new_object();
		double fit = pb_model_predict(f, p[i].x);

		json_object_object_add(x, "name", json_object_new_string(s->b[m->first + i]->name));
		json_object_object_add(x, "resident_mib", dbl(p[i].x[PB_MT_MIB]));
		json_object_object_add(x, "mappings", dbl(p[i].x[PB_MT_VMA]));
		json_object_object_add(x, "threads", dbl(p[i].x[PB_MT_THREAD]));
		json_object_object_add(x, "fds", dbl(p[i].x[PB_MT_FD]));
		json_object_object_add(x, "measured_ns", dbl(p[i].y));
		json_object_object_add(x, "fitted_ns", dbl(fit));
		json_object_object_add(x, "residual", fit != 0 ? dbl((p[i].y - fit) / fit) : NULL);
		json_object_array_add(pts, x);
	}
	json_object_object_add(o, "residuals", pts);
	return o;
}

int pb_model_main(int argc, char **argv)
{
	struct margs a = { 0 };
	struct pb_results *rs;
	struct pb_model_set set = { 0 };
	int nf, rc = 2;
	char err[1200];
	json_object *out = NULL, *models = NULL;
	const char *tb;

	if ((rc = parse(argc, argv, &a)))
		return rc == 1 ? 0 : 2;
	rc = 2;
	nf = argc - optind;
	rs = calloc((size_t)nf, sizeof(*rs));
	if (!rs)
		return fail("out of memory");
	for (int i = 0; i < nf; i++) {
		/* The file and its raw samples (the bootstrap's input), read as one pair. */
		if (pb_results_load(&rs[i], argv[optind + i], 0, err, sizeof(err))) {
			fail("%s", err);
			goto out;
		}
	}
	if (same_run_kind(rs, nf))
		goto out;
	tb = pb_time_base_name(pb_results_time_base(&rs[0]));
	if (pb_model_set_fit(&set, rs, (size_t)nf, a.terms_given ? a.terms : 0, a.boot, err,
			     sizeof(err))) {
		fail("%s", err);
		goto out;
	}
	/* Nothing fitted, or a term asked for that a model cannot have: bad input, one line. */
	if (!set.fitted || (a.terms_given && set.fitted < set.nm)) {
		const struct pb_model *m = set.m;

		while (!m->why[0])
			m++;
		fail("%s: %s", m->name, m->why);
		goto out;
	}
	if (a.json) {
		out = json_object_new_object();
		models = json_object_new_array();
		json_object_object_add(out, "time_base", json_object_new_string(tb ? tb : ""));
		json_object_object_add(out, "models", models);
	}
	for (size_t i = 0; i < set.nm; i++) {
		const struct pb_model *m = &set.m[i];

		if (models) {
			json_object_array_add(models, model_json(&set, m));
		} else if (m->why[0]) {
			char name[300], why[700];

			printf("%s: not fitted: %s\n", pb_safe(m->name, name, sizeof(name)),
			       pb_safe(m->why, why, sizeof(why)));
		} else {
			print_text(&set, m, tb ? tb : "");
		}
		if (!models && i + 1 < set.nm)
			printf("\n");
	}
	if (out)
		pb_json_utf8(out); /* names as the files have them: text, whatever their bytes */
	if (out)
		printf("%s\n", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	rc = 0;
out:
	json_object_put(out);
	for (int i = 0; i < nf; i++)
		pb_results_free(&rs[i]);
	free(rs);
	pb_model_set_free(&set);
	return rc;
}
