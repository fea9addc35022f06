// SPDX-License-Identifier: MIT
/*
 * procbench compare BASE NEW: for every benchmark in both, the ratio of
 * medians NEW/BASE with a bootstrap CI from the raw samples, a Mann-Whitney
 * U p-value with Holm's correction across benchmarks, and a verdict against
 * a threshold. BASE and NEW may each be several runs (comma-separated
 * files); runs then resample as units, so run-to-run drift widens the CI.
 *
 * Exit: 0 nothing slower, 1 something slower, 2 unusable input.
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "../protocol/counters.h"
#include "../report/outfile.h"
#include "results_read.h"
#include "stats.h"

#define MAX_RUNS 64
#define MIN_SAMPLES 20

/* --match method: pair benchmarks by method, not by full point name. */
static int match_method;

struct side {
	struct pb_results runs[MAX_RUNS];
	size_t nruns;
};

struct row {
	const char *name;
	double med_a, med_b, ratio, lo, hi, p, p_adj;
	size_t n_a, n_b;
	const char *verdict;
	char why[128];
};

/* JSON has no NaN: an undefined number is null. */
static json_object *jnum(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static int fail(const char *fmt, const char *a, const char *b)
{
	fputs("procbench compare: ", stderr);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return -1;
}

static const char *str_of(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

static struct pb_rbench *find(struct pb_results *r, const char *name)
{
	for (size_t i = 0; i < r->nb; i++)
		if (!strcmp(r->b[i].name, name))
			return &r->b[i];
	return NULL;
}

static int load_side(struct side *s, const char *list)
{
	char buf[16384], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (s->nruns == MAX_RUNS)
			return fail("at most 64 runs per side%s%s", "", "");
		char err[5000];

		if (pb_results_load(&s->runs[s->nruns++], tok, match_method, err, sizeof(err))) {
			fprintf(stderr, "procbench compare: %s\n", err);
			return -1;
		}
	}
	if (!s->nruns)
		return fail("no results file given%s%s", "", "");
	return 0;
}

/* Instruction time and wall time measure different things: never one ratio of the two. */
static int same_time_base(struct side *a, struct side *b)
{
	const char *base = pb_results_time_base(&a->runs[0]);
	struct side *sides[2] = { a, b };

	for (int k = 0; k < 2; k++)
		for (size_t r = 0; r < sides[k]->nruns; r++) {
			const char *tb = pb_results_time_base(&sides[k]->runs[r]);

			if (strcmp(tb, base)) {
				fprintf(stderr, "procbench compare: %s was timed in %s and %s in %s: "
						"results of different time bases cannot be compared; "
						"re-run one side the other way\n",
					a->runs[0].path, !strcmp(base, "wall") ? "wall time" : "instructions",
					sides[k]->runs[r].path,
					!strcmp(tb, "wall") ? "wall time" : "instructions (qemu icount)");
				return -1;
			}
		}
	return 0;
}

/* Context fields whose difference makes a comparison suspect. */
static void context_diffs(struct side *a, struct side *b, json_object *out, FILE *warn)
{
	static const char *const keys[][3] = {
		{ "environment", "cpu_model", "CPU model" },
		{ "counter", "source", "counter source" },
		{ "creator", "linkage", "creator linkage" },
		{ "", "arch", "architecture" },
		{ "environment", "hypervisor", "virtualization" },
		{ "environment", "cpufreq_governor", "frequency governor" },
		{ "environment", "thp_enabled", "THP setting" },
		{ "", "kernel_release", "kernel release (expected when comparing kernels)" },
	};
	json_object *ca = a->runs[0].context, *cb = b->runs[0].context;
	int header = 0;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_object *pa = ca, *pb = cb, *va = NULL, *vb = NULL;
		const char *sa, *sb;

		if (keys[i][0][0] && (!json_object_object_get_ex(ca, keys[i][0], &pa) ||
				      !json_object_object_get_ex(cb, keys[i][0], &pb)))
			continue;
		json_object_object_get_ex(pa, keys[i][1], &va);
		json_object_object_get_ex(pb, keys[i][1], &vb);
		sa = va ? json_object_get_string(va) : "(absent)";
		sb = vb ? json_object_get_string(vb) : "(absent)";
		if (!strcmp(sa, sb))
			continue;
		if (!header++)
			fprintf(warn, "WARNING: the two runs differ in ways that can invalidate the "
				      "comparison:\n");
		fprintf(warn, "  %s: %s -> %s\n", keys[i][2], sa, sb);
		{
			json_object *d = json_object_new_object();

			json_object_object_add(d, "what", json_object_new_string(keys[i][2]));
			json_object_object_add(d, "base", json_object_new_string(sa));
			json_object_object_add(d, "new", json_object_new_string(sb));
			json_object_array_add(out, d);
		}
	}
}

/* Per benchmark: parent shape and placement should match between sides. */
static void bench_diffs(const char *name, struct pb_rbench *a, struct pb_rbench *b, json_object *out,
			FILE *warn)
{
	json_object *sa, *sb, *pa, *pb, *va, *vb;
	char what[320];

	if (json_object_object_get_ex(a->obj, "parent_shape", &sa) &&
	    json_object_object_get_ex(b->obj, "parent_shape", &sb) &&
	    json_object_object_get_ex(sa, "vm_rss_kib", &va) &&
	    json_object_object_get_ex(sb, "vm_rss_kib", &vb)) {
		double x = json_object_get_double(va), y = json_object_get_double(vb);

		if (fabs(x - y) > 0.1 * (x > y ? x : y) + 1024) {
			snprintf(what, sizeof(what), "%s: parent RSS %.0f KiB -> %.0f KiB", name, x, y);
			fprintf(warn, "WARNING: %s\n", what);
			json_object_array_add(out, json_object_new_string(what));
		}
	}
	if (json_object_object_get_ex(a->obj, "placement", &pa) &&
	    json_object_object_get_ex(b->obj, "placement", &pb) &&
	    json_object_object_get_ex(pa, "parent_pus", &va) &&
	    json_object_object_get_ex(pb, "parent_pus", &vb) &&
	    strcmp(json_object_get_string(va), json_object_get_string(vb))) {
		snprintf(what, sizeof(what), "%s: parent PUs %s -> %s", name, json_object_get_string(va),
			 json_object_get_string(vb));
		fprintf(warn, "WARNING: %s\n", what);
		json_object_array_add(out, json_object_new_string(what));
	}
}

static double *pooled(double **x, size_t *n, size_t runs, size_t total)
{
	double *all = malloc((total ? total : 1) * sizeof(double));
	size_t k = 0;

	if (all)
		for (size_t r = 0; r < runs; r++)
			for (size_t i = 0; i < n[r]; i++)
				all[k++] = x[r][i];
	return all;
}

static double pooled_median(double **x, size_t *n, size_t runs, size_t total)
{
	double *all = pooled(x, n, runs, total), m;

	if (!all)
		return NAN;
	m = pb_median_inplace(all, total);
	free(all);
	return m;
}

static void compare_one(struct row *row, struct side *A, struct side *B, unsigned iters)
{
	double *xa[MAX_RUNS], *xb[MAX_RUNS], *pa, *pb;
	size_t na[MAX_RUNS], nb[MAX_RUNS], ra = 0, rb = 0;

	row->n_a = row->n_b = 0;
	for (size_t r = 0; r < A->nruns; r++) {
		struct pb_rbench *b = find(&A->runs[r], row->name);

		if (b && b->n) {
			xa[ra] = b->x;
			na[ra] = b->n;
			row->n_a += b->n;
			ra++;
		}
	}
	for (size_t r = 0; r < B->nruns; r++) {
		struct pb_rbench *b = find(&B->runs[r], row->name);

		if (b && b->n) {
			xb[rb] = b->x;
			nb[rb] = b->n;
			row->n_b += b->n;
			rb++;
		}
	}
	row->med_a = pooled_median(xa, na, ra, row->n_a);
	row->med_b = pooled_median(xb, nb, rb, row->n_b);
	row->ratio = row->med_b / row->med_a;
	{
		struct pb_runs sa = { (const double *const *)xa, na, ra };
		struct pb_runs sb = { (const double *const *)xb, nb, rb };

		if (pb_bootstrap_ratio_ci(&sa, &sb, iters, 0.95, 0x9b0c5eedull, &row->lo, &row->hi))
			row->lo = row->hi = NAN;
	}
	pa = pooled(xa, na, ra, row->n_a);
	pb = pooled(xb, nb, rb, row->n_b);
	row->p = pa && pb ? pb_mann_whitney_p(pa, row->n_a, pb, row->n_b) : NAN;
	free(pa);
	free(pb);
}

/* One counter's per-creation batch values of a benchmark in one run, or 0 values. */
static size_t counter_batches(struct pb_rbench *b, const char *counter, double **out)
{
	json_object *c, *k, *v;
	size_t n;

	*out = NULL;
	if (!b || !json_object_object_get_ex(b->obj, "counters", &c) ||
	    !json_object_object_get_ex(c, counter, &k) ||
	    !json_object_object_get_ex(k, "batch_values", &v) ||
	    !json_object_is_type(v, json_type_array))
		return 0;
	n = json_object_array_length(v);
	*out = malloc((n ? n : 1) * sizeof(double));
	if (!*out)
		return 0;
	for (size_t i = 0; i < n; i++)
		(*out)[i] = json_object_get_double(json_object_array_get_idx(v, i));
	return n;
}

/*
 * Counters as secondary metrics: per-creation values of each counter batch
 * are the samples (runs resample as units, as for times). They inform; they
 * never change the verdict or the exit status.
 */
static json_object *compare_counters(const char *name, struct side *A, struct side *B,
				     unsigned iters, int print)
{
	json_object *arr = json_object_new_array();

	for (int c = 0; c < PB_NCOUNTERS; c++) {
		const char *cn = pb_counter_defs[c].name;
		double *xa[MAX_RUNS], *xb[MAX_RUNS], lo, hi, p, ma, mb, *pa, *pb;
		size_t na[MAX_RUNS], nb[MAX_RUNS], ra = 0, rb = 0, ta = 0, tb = 0;

		for (size_t r = 0; r < A->nruns; r++)
			if ((na[ra] = counter_batches(find(&A->runs[r], name), cn, &xa[ra])))
				ta += na[ra++];
			else
				free(xa[ra]);
		for (size_t r = 0; r < B->nruns; r++)
			if ((nb[rb] = counter_batches(find(&B->runs[r], name), cn, &xb[rb])))
				tb += nb[rb++];
			else
				free(xb[rb]);
		if (ta >= 2 && tb >= 2) {
			struct pb_runs sa = { (const double *const *)xa, na, ra };
			struct pb_runs sb = { (const double *const *)xb, nb, rb };
			json_object *o = json_object_new_object();

			ma = pooled_median(xa, na, ra, ta);
			mb = pooled_median(xb, nb, rb, tb);
			if (ma <= 0 || pb_bootstrap_ratio_ci(&sa, &sb, iters, 0.95, 0xc0c0ull, &lo, &hi))
				lo = hi = NAN;
			pa = pooled(xa, na, ra, ta);
			pb = pooled(xb, nb, rb, tb);
			p = pa && pb ? pb_mann_whitney_p(pa, ta, pb, tb) : NAN;
			free(pa);
			free(pb);
			if (print)
				printf("    %-28s %11.3f %11.3f %8.4f [%7.4f, %7.4f] %10.2g  (per creation)\n",
				       cn, ma, mb, ma > 0 ? mb / ma : NAN, lo, hi, p);
			json_object_object_add(o, "counter", json_object_new_string(cn));
			json_object_object_add(o, "base_per_creation", jnum(ma));
			json_object_object_add(o, "new_per_creation", jnum(mb));
			json_object_object_add(o, "ratio", jnum(ma > 0 ? mb / ma : NAN));
			json_object_object_add(o, "ratio_ci_lo", jnum(lo));
			json_object_object_add(o, "ratio_ci_hi", jnum(hi));
			json_object_object_add(o, "p_value", jnum(p));
			json_object_array_add(arr, o);
		}
		for (size_t r = 0; r < ra; r++)
			free(xa[r]);
		for (size_t r = 0; r < rb; r++)
			free(xb[r]);
	}
	return arr;
}

static void decide(struct row *r, double threshold, double alpha)
{
	double up = 1 + threshold, down = 1 - threshold;

	if (r->n_a < MIN_SAMPLES || r->n_b < MIN_SAMPLES || isnan(r->lo)) {
		r->verdict = "inconclusive";
		snprintf(r->why, sizeof(r->why), "too few samples (%zu and %zu; %d needed)", r->n_a,
			 r->n_b, MIN_SAMPLES);
	} else if (r->p_adj < alpha && r->lo > up) {
		r->verdict = "slower";
		snprintf(r->why, sizeof(r->why), "CI above +%g%% and significant", threshold * 100);
	} else if (r->p_adj < alpha && r->hi < down) {
		r->verdict = "faster";
		snprintf(r->why, sizeof(r->why), "CI below -%g%% and significant", threshold * 100);
	} else if (r->lo >= down && r->hi <= up) {
		r->verdict = "no change";
		snprintf(r->why, sizeof(r->why), "CI within +-%g%%", threshold * 100);
	} else {
		r->verdict = "inconclusive";
		snprintf(r->why, sizeof(r->why), "CI straddles the +-%g%% threshold%s", threshold * 100,
			 r->p_adj < alpha ? "" : " and the difference is not significant");
	}
}

static void free_side(struct side *s)
{
	for (size_t r = 0; r < s->nruns; r++)
		pb_results_free(&s->runs[r]);
	s->nruns = 0;
}

static int write_json_doc(FILE *f, const void *doc)
{
	const char *t = json_object_to_json_string_ext((json_object *)doc,
						       JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE);

	return fputs(t, f) < 0 || fputc('\n', f) < 0 ? -1 : 0;
}

static void usage(FILE *f)
{
	fputs("usage: procbench compare [options] BASE NEW\n"
	      "Compare two procbench results files benchmark by benchmark. BASE and NEW may each be\n"
	      "several runs joined by commas (a.json,b.json): runs then resample as units, so\n"
	      "run-to-run drift widens the confidence interval. Raw samples must be beside each file.\n"
	      "\n"
	      "      --threshold PCT   smallest change that matters (default 2)\n"
	      "      --alpha A         significance level after Holm's correction (default 0.05)\n"
	      "      --bootstrap N     bootstrap iterations (default 1000)\n"
	      "  -F, --format FMT      console (default) or json\n"
	      "  -o, --out FILE        also write the comparison as JSON to FILE\n"
	      "      --counters        also print perf counters per creation under each benchmark\n"
	      "                        (always in the JSON; secondary: they never change a verdict)\n"
	      "      --match method    pair benchmarks by method instead of by full name, to compare\n"
	      "                        runs taken with different parameters (one point per method)\n"
	      "\n"
	      "Exit status: 0 nothing slower beyond the threshold with significance, 1 something is,\n"
	      "2 unusable input.\n",
	      f);
}

int pb_compare_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' }, { "alpha", required_argument, NULL, 'a' },
		{ "bootstrap", required_argument, NULL, 'b' }, { "format", required_argument, NULL, 'F' },
		{ "out", required_argument, NULL, 'o' },       { "help", no_argument, NULL, 'h' },
		{ "match", required_argument, NULL, 'm' },
		{ "counters", no_argument, NULL, 'c' },
		{ 0 },
	};
	double threshold = 0.02, alpha = 0.05;
	unsigned iters = 1000;
	int c, json_out = 0, slower = 0, counts[4] = { 0 }, status, show_counters = 0;
	const char *outfile = NULL;
	static struct side A, B;
	struct pb_out out;
	char errbuf[4600];
	struct row *rows;
	size_t nrows = 0;
	json_object *root, *arr, *diffs, *only_a, *only_b, *notcmp;
	double log_sum = 0;
	char *end;

	opterr = 0;
	optind = 0; /* glibc: start afresh */
	while ((c = getopt_long(argc, argv, ":hF:o:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			threshold = strtod(optarg, &end) / 100;
			if (*end || !(threshold > 0 && threshold < 1))
				return fail("--threshold '%s' is not a percentage in (0, 100)%s", optarg,
					    ""),
				       2;
			break;
		case 'a':
			alpha = strtod(optarg, &end);
			if (*end || !(alpha > 0 && alpha < 1))
				return fail("--alpha '%s' is not in (0, 1)%s", optarg, ""), 2;
			break;
		case 'b': {
			unsigned long long v = strtoull(optarg, &end, 10);

			/* strtoull accepts "-5" and wraps; a count is digits only. */
			iters = (unsigned)v;
			if (*end || end == optarg || !(optarg[0] >= '0' && optarg[0] <= '9') ||
			    v < 100 || v > 100000)
				return fail("--bootstrap '%s' is not a count in 100..100000%s", optarg, ""),
				       2;
			break;
		}
		case 'F':
			if (!strcmp(optarg, "json"))
				json_out = 1;
			else if (strcmp(optarg, "console"))
				return fail("--format '%s' is not console or json%s", optarg, ""), 2;
			break;
		case 'o':
			outfile = optarg;
			break;
		case 'c':
			show_counters = 1;
			break;
		case 'm':
			if (!strcmp(optarg, "method"))
				match_method = 1;
			else if (!strcmp(optarg, "name"))
				match_method = 0;
			else
				return fail("--match '%s' is not name or method%s", optarg, ""), 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			return fail("option '%s' needs a value (see procbench compare --help)%s",
				    argv[optind - 1], ""),
			       2;
		default:
			return fail("unknown option '%s' (see procbench compare --help)%s",
				    argv[optind - 1], ""),
			       2;
		}
	}
	if (argc - optind != 2)
		return fail("needs exactly two results files, BASE and NEW (see procbench compare "
			    "--help)%s%s",
			    "", ""),
		       2;
	/* Decided before the work: a bad --out path is an error at once, not after it. */
	if (outfile && pb_out_prepare(&out, outfile, errbuf, sizeof(errbuf)))
		return fail("%s%s", errbuf, ""), 2;
	if (outfile && out.kind == PB_OUT_STDOUT && json_out)
		return fail("--out - and --format json both write to standard output; pick one%s%s",
			    "", ""),
		       2;
	if (load_side(&A, argv[optind]) || load_side(&B, argv[optind + 1]) ||
	    same_time_base(&A, &B)) {
		free_side(&A);
		free_side(&B);
		return 2;
	}

	root = json_object_new_object();
	arr = json_object_new_array();
	diffs = json_object_new_array();
	only_a = json_object_new_array();
	only_b = json_object_new_array();
	notcmp = json_object_new_array();
	context_diffs(&A, &B, diffs, stderr);
	if (A.nruns == 1 || B.nruns == 1)
		fprintf(stderr, "note: with one run on a side, the CI covers the noise within a run, "
				"not drift between runs; pass several runs per side (a1.json,a2.json) "
				"to include it\n");

	rows = calloc(A.runs[0].nb + 1, sizeof(*rows));
	if (!rows) {
		json_object_put(root);
		free_side(&A);
		free_side(&B);
		return 2;
	}
	for (size_t i = 0; i < A.runs[0].nb; i++) {
		struct pb_rbench *a = &A.runs[0].b[i], *b = find(&B.runs[0], a->name);

		if (!b) {
			json_object_array_add(only_a, json_object_new_string(a->name));
			continue;
		}
		if (strcmp(a->status, "ok") || strcmp(b->status, "ok")) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "name", json_object_new_string(a->name));
			json_object_object_add(o, "base_status", json_object_new_string(a->status));
			json_object_object_add(o, "new_status", json_object_new_string(b->status));
			json_object_array_add(notcmp, o);
			continue;
		}
		bench_diffs(a->name, a, b, diffs, stderr);
		rows[nrows].name = a->name;
		compare_one(&rows[nrows], &A, &B, iters);
		nrows++;
	}
	for (size_t i = 0; i < B.runs[0].nb; i++)
		if (!find(&A.runs[0], B.runs[0].b[i].name))
			json_object_array_add(only_b, json_object_new_string(B.runs[0].b[i].name));
	{
		double *p = malloc((nrows + 1) * sizeof(double)), *adj = malloc((nrows + 1) * sizeof(double));

		for (size_t i = 0; i < nrows; i++)
			p[i] = isnan(rows[i].p) ? 1 : rows[i].p;
		pb_holm(p, nrows, adj);
		for (size_t i = 0; i < nrows; i++) {
			rows[i].p_adj = adj[i];
			decide(&rows[i], threshold, alpha);
		}
		free(p);
		free(adj);
	}

	if (!json_out) {
		printf("comparing %s (%zu run%s) -> %s (%zu run%s); threshold %g%%, alpha %g (Holm)\n",
		       A.runs[0].path, A.nruns, A.nruns > 1 ? "s" : "", B.runs[0].path, B.nruns,
		       B.nruns > 1 ? "s" : "", threshold * 100, alpha);
		printf("time base: %s\n\n",
		       !strcmp(pb_results_time_base(&A.runs[0]), "instructions")
			       ? "guest instructions (qemu icount; us below are instruction-us)"
			       : "wall time");
		printf("%-32s %11s %11s %8s %19s %10s  %s\n", "benchmark", "base us", "new us", "new/base",
		       "95% CI", "p (Holm)", "verdict");
	}
	for (size_t i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		json_object *o = json_object_new_object();

		slower |= !strcmp(r->verdict, "slower");
		counts[!strcmp(r->verdict, "slower") ? 0 : !strcmp(r->verdict, "faster") ? 1
							 : !strcmp(r->verdict, "no change") ? 2 : 3]++;
		log_sum += log(r->ratio);
		if (!json_out)
			printf("%-32s %11.2f %11.2f %8.4f [%7.4f, %7.4f] %10.2g  %s (%s)\n", r->name,
			       r->med_a / 1000, r->med_b / 1000, r->ratio, r->lo, r->hi, r->p_adj,
			       r->verdict, r->why);
		json_object_object_add(o, "name", json_object_new_string(r->name));
		json_object_object_add(o, "base_median_ns", jnum(r->med_a));
		json_object_object_add(o, "new_median_ns", jnum(r->med_b));
		json_object_object_add(o, "n_base", json_object_new_int64((int64_t)r->n_a));
		json_object_object_add(o, "n_new", json_object_new_int64((int64_t)r->n_b));
		json_object_object_add(o, "ratio", jnum(r->ratio));
		json_object_object_add(o, "ratio_ci_lo", jnum(r->lo));
		json_object_object_add(o, "ratio_ci_hi", jnum(r->hi));
		json_object_object_add(o, "p_value", jnum(r->p));
		json_object_object_add(o, "p_holm", jnum(r->p_adj));
		json_object_object_add(o, "verdict", json_object_new_string(r->verdict));
		json_object_object_add(o, "why", json_object_new_string(r->why));
		json_object_object_add(o, "counters",
				       compare_counters(r->name, &A, &B, iters, !json_out && show_counters));
		json_object_array_add(arr, o);
	}
	if (!json_out) {
		if (nrows)
			printf("%-32s %11s %11s %8.4f %19s %10s  %d slower, %d faster, %d no change, %d "
			       "inconclusive\n",
			       "geometric mean", "", "", exp(log_sum / (double)nrows), "", "", counts[0],
			       counts[1], counts[2], counts[3]);
		for (size_t i = 0; i < json_object_array_length(only_a); i++)
			printf("only in BASE: %s\n",
			       json_object_get_string(json_object_array_get_idx(only_a, i)));
		for (size_t i = 0; i < json_object_array_length(only_b); i++)
			printf("only in NEW: %s\n",
			       json_object_get_string(json_object_array_get_idx(only_b, i)));
		for (size_t i = 0; i < json_object_array_length(notcmp); i++) {
			json_object *o = json_object_array_get_idx(notcmp, i);

			printf("not compared: %s (BASE %s, NEW %s)\n", str_of(o, "name"),
			       str_of(o, "base_status"), str_of(o, "new_status"));
		}
	}
	json_object_object_add(root, "base", json_object_new_string(argv[optind]));
	json_object_object_add(root, "new", json_object_new_string(argv[optind + 1]));
	json_object_object_add(root, "time_base",
			       json_object_new_string(pb_results_time_base(&A.runs[0])));
	json_object_object_add(root, "threshold", jnum(threshold));
	json_object_object_add(root, "alpha", jnum(alpha));
	json_object_object_add(root, "bootstrap_iterations", json_object_new_int((int)iters));
	json_object_object_add(root, "context_differences", diffs);
	json_object_object_add(root, "benchmarks", arr);
	json_object_object_add(root, "geomean_ratio",
			       jnum(nrows ? exp(log_sum / (double)nrows) : NAN));
	json_object_object_add(root, "only_in_base", only_a);
	json_object_object_add(root, "only_in_new", only_b);
	json_object_object_add(root, "not_compared", notcmp);
	json_object_object_add(root, "regressed", json_object_new_boolean(slower));
	if (json_out)
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	status = slower ? 1 : 0;
	if (outfile) {
		/* Whole or not at all: a failed write keeps the previous comparison. */
		int r = pb_out_write(&out, write_json_doc, root);

		if (r) {
			fail("cannot write %s: %s (any previous file is kept)", outfile, strerror(-r));
			status = 2;
		}
	}
	json_object_put(root);
	free(rows);
	free_side(&A);
	free_side(&B);
	return status;
}
