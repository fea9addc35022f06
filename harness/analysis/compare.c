// SPDX-License-Identifier: MIT
/*
 * The comparison itself (compare.h): load, pair, measure, decide. BASE and
 * NEW may each be several runs; runs then resample as units, so run-to-run
 * drift widens the CI. Pure but for reading the files: nothing prints.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"

static struct pb_rbench *find(struct pb_results *r, const char *name)
{
	for (size_t i = 0; i < r->nb; i++)
		if (!strcmp(r->b[i].name, name))
			return &r->b[i];
	return NULL;
}

static int load_side(struct pb_cmp_side *s, const char *list, int by_method, char *err,
		     size_t errlen)
{
	char buf[16384], *save = NULL, *tok;

	s->given = list;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (s->nruns == PB_CMP_MAX_RUNS) {
			snprintf(err, errlen, "at most %d runs per side", PB_CMP_MAX_RUNS);
			return -1;
		}
		if (pb_results_load(&s->runs[s->nruns++], tok, by_method, err, errlen))
			return -1;
	}
	if (!s->nruns) {
		snprintf(err, errlen, "no results file given");
		return -1;
	}
	return 0;
}

const char *pb_compare_time_base(const struct pb_comparison *c)
{
	return pb_results_time_base(&c->a.runs[0]);
}

/* Instruction time and wall time measure different things: never one ratio of the two. */
static int same_time_base(struct pb_comparison *c, char *err, size_t errlen)
{
	const char *base = pb_compare_time_base(c);
	struct pb_cmp_side *sides[2] = { &c->a, &c->b };

	for (int k = 0; k < 2; k++)
		for (size_t r = 0; r < sides[k]->nruns; r++) {
			const char *tb = pb_results_time_base(&sides[k]->runs[r]);

			if (strcmp(tb, base)) {
				snprintf(err, errlen, "%s was timed in %s and %s in %s: results of "
						      "different time bases cannot be compared; re-run "
						      "one side the other way",
					 c->a.runs[0].path, !strcmp(base, "wall") ? "wall time" : "instructions",
					 sides[k]->runs[r].path,
					 !strcmp(tb, "wall") ? "wall time" : "instructions (qemu icount)");
				return -1;
			}
		}
	return 0;
}

int pb_compare_load(struct pb_comparison *c, const char *base, const char *new_, char *err,
		    size_t errlen)
{
	if (load_side(&c->a, base, c->match_method, err, errlen) ||
	    load_side(&c->b, new_, c->match_method, err, errlen) || same_time_base(c, err, errlen))
		return -1;
	return 0;
}

static struct pb_cmp_diff *add_diff(struct pb_comparison *c)
{
	struct pb_cmp_diff *d = realloc(c->diffs, (c->ndiffs + 1) * sizeof(*d));

	if (!d)
		return NULL;
	c->diffs = d;
	d = &c->diffs[c->ndiffs++];
	memset(d, 0, sizeof(*d));
	return d;
}

/* Context fields whose difference makes a comparison suspect. */
static void context_diffs(struct pb_comparison *c)
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
	json_object *ca = c->a.runs[0].context, *cb = c->b.runs[0].context;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_object *pa = ca, *pb = cb, *va = NULL, *vb = NULL;
		struct pb_cmp_diff *d;
		const char *sa, *sb;

		if (keys[i][0][0] && (!json_object_object_get_ex(ca, keys[i][0], &pa) ||
				      !json_object_object_get_ex(cb, keys[i][0], &pb)))
			continue;
		json_object_object_get_ex(pa, keys[i][1], &va);
		json_object_object_get_ex(pb, keys[i][1], &vb);
		sa = va ? json_object_get_string(va) : "(absent)";
		sb = vb ? json_object_get_string(vb) : "(absent)";
		if (strcmp(sa, sb) && (d = add_diff(c))) {
			snprintf(d->what, sizeof(d->what), "%s", keys[i][2]);
			snprintf(d->base, sizeof(d->base), "%s", sa);
			snprintf(d->new_, sizeof(d->new_), "%s", sb);
		}
	}
	c->ncontext_diffs = c->ndiffs;
}

/* Per benchmark: parent shape and placement should match between sides. */
static void bench_diffs(struct pb_comparison *c, const char *name, struct pb_rbench *a,
			struct pb_rbench *b)
{
	json_object *sa, *sb, *pa, *pb, *va, *vb;
	struct pb_cmp_diff *d;

	if (json_object_object_get_ex(a->obj, "parent_shape", &sa) &&
	    json_object_object_get_ex(b->obj, "parent_shape", &sb) &&
	    json_object_object_get_ex(sa, "vm_rss_kib", &va) &&
	    json_object_object_get_ex(sb, "vm_rss_kib", &vb)) {
		double x = json_object_get_double(va), y = json_object_get_double(vb);

		if (fabs(x - y) > 0.1 * (x > y ? x : y) + 1024 && (d = add_diff(c)))
			snprintf(d->what, sizeof(d->what), "%s: parent RSS %.0f KiB -> %.0f KiB", name,
				 x, y);
	}
	if (json_object_object_get_ex(a->obj, "placement", &pa) &&
	    json_object_object_get_ex(b->obj, "placement", &pb) &&
	    json_object_object_get_ex(pa, "parent_pus", &va) &&
	    json_object_object_get_ex(pb, "parent_pus", &vb) &&
	    strcmp(json_object_get_string(va), json_object_get_string(vb)) && (d = add_diff(c)))
		snprintf(d->what, sizeof(d->what), "%s: parent PUs %s -> %s", name,
			 json_object_get_string(va), json_object_get_string(vb));
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

/*
 * One metric, BASE vs NEW, runs as units: pooled medians, the ratio's
 * bootstrap CI and the Mann-Whitney p of the pooled samples.
 */
static void measure(double **xa, size_t *na, size_t ra, double **xb, size_t *nb, size_t rb,
		    unsigned iters, uint64_t seed, double *ma, double *mb, double *lo, double *hi,
		    double *p)
{
	size_t ta = 0, tb = 0;
	double *pa, *pb;
	struct pb_runs sa = { (const double *const *)xa, na, ra };
	struct pb_runs sb = { (const double *const *)xb, nb, rb };

	for (size_t r = 0; r < ra; r++)
		ta += na[r];
	for (size_t r = 0; r < rb; r++)
		tb += nb[r];
	pa = pooled(xa, na, ra, ta);
	pb = pooled(xb, nb, rb, tb);
	*p = pa && pb ? pb_mann_whitney_p(pa, ta, pb, tb) : NAN;
	*ma = pa ? pb_median_inplace(pa, ta) : NAN;
	*mb = pb ? pb_median_inplace(pb, tb) : NAN;
	free(pa);
	free(pb);
	if (!(*ma > 0) || pb_bootstrap_ratio_ci(&sa, &sb, iters, 0.95, seed, lo, hi))
		*lo = *hi = NAN;
}

/* The round-trip samples of one benchmark in each run of a side that has it. */
static size_t side_samples(struct pb_cmp_side *s, const char *name, double **x, size_t *n,
			   size_t *total)
{
	size_t runs = 0;

	*total = 0;
	for (size_t r = 0; r < s->nruns; r++) {
		struct pb_rbench *b = find(&s->runs[r], name);

		if (b && b->n) {
			x[runs] = b->x;
			n[runs] = b->n;
			*total += b->n;
			runs++;
		}
	}
	return runs;
}

static void compare_one(struct pb_comparison *c, struct pb_cmp_row *row)
{
	double *xa[PB_CMP_MAX_RUNS], *xb[PB_CMP_MAX_RUNS];
	size_t na[PB_CMP_MAX_RUNS], nb[PB_CMP_MAX_RUNS];
	size_t ra = side_samples(&c->a, row->name, xa, na, &row->n_a);
	size_t rb = side_samples(&c->b, row->name, xb, nb, &row->n_b);

	measure(xa, na, ra, xb, nb, rb, c->iters, 0x9b0c5eedull, &row->med_a, &row->med_b, &row->lo,
		&row->hi, &row->p);
	row->ratio = row->med_b / row->med_a;
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

/* A counter's batch values in each run of a side: runs kept, values total. */
static size_t side_counter(struct pb_cmp_side *s, const char *name, const char *cn, double **x,
			   size_t *n, size_t *total)
{
	size_t runs = 0;

	*total = 0;
	for (size_t r = 0; r < s->nruns; r++)
		if ((n[runs] = counter_batches(find(&s->runs[r], name), cn, &x[runs])))
			*total += n[runs++];
		else
			free(x[runs]);
	return runs;
}

/*
 * Counters as secondary metrics: per-creation values of each counter batch
 * are the samples (runs resample as units, as for times). They inform; they
 * never change the verdict or the exit status.
 */
static void compare_counters(struct pb_comparison *c, struct pb_cmp_row *row)
{
	for (int k = 0; k < PB_NCOUNTERS; k++) {
		double *xa[PB_CMP_MAX_RUNS], *xb[PB_CMP_MAX_RUNS];
		size_t na[PB_CMP_MAX_RUNS], nb[PB_CMP_MAX_RUNS], ta, tb;
		const char *cn = pb_counter_defs[k].name;
		size_t ra = side_counter(&c->a, row->name, cn, xa, na, &ta);
		size_t rb = side_counter(&c->b, row->name, cn, xb, nb, &tb);

		if (ta >= 2 && tb >= 2) {
			struct pb_cmp_counter *o = &row->counters[row->ncounters++];

			o->name = cn;
			measure(xa, na, ra, xb, nb, rb, c->iters, 0xc0c0ull, &o->base, &o->new_, &o->lo,
				&o->hi, &o->p);
			o->ratio = o->base > 0 ? o->new_ / o->base : NAN;
		}
		for (size_t r = 0; r < ra; r++)
			free(xa[r]);
		for (size_t r = 0; r < rb; r++)
			free(xb[r]);
	}
}

static void decide(struct pb_cmp_row *r, double threshold, double alpha)
{
	double up = 1 + threshold, down = 1 - threshold;

	if (r->n_a < PB_CMP_MIN_SAMPLES || r->n_b < PB_CMP_MIN_SAMPLES || isnan(r->lo)) {
		r->verdict = "inconclusive";
		snprintf(r->why, sizeof(r->why), "too few samples (%zu and %zu; %d needed)", r->n_a,
			 r->n_b, PB_CMP_MIN_SAMPLES);
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

/* BASE's first run gives the order; a name missing or not ok on a side is unpaired. */
static int pair(struct pb_comparison *c)
{
	struct pb_results *a0 = &c->a.runs[0], *b0 = &c->b.runs[0];

	c->rows = calloc(a0->nb + 1, sizeof(*c->rows));
	c->unpaired = calloc(a0->nb + b0->nb + 1, sizeof(*c->unpaired));
	if (!c->rows || !c->unpaired)
		return -1;
	for (size_t i = 0; i < a0->nb; i++) {
		struct pb_rbench *a = &a0->b[i], *b = find(b0, a->name);

		if (!b || strcmp(a->status, "ok") || strcmp(b->status, "ok")) {
			c->unpaired[c->nunpaired++] = (struct pb_cmp_unpaired){
				a->name, a->status, b ? b->status : NULL };
			continue;
		}
		bench_diffs(c, a->name, a, b);
		c->rows[c->nrows++].name = a->name;
	}
	for (size_t i = 0; i < b0->nb; i++)
		if (!find(a0, b0->b[i].name))
			c->unpaired[c->nunpaired++] =
				(struct pb_cmp_unpaired){ b0->b[i].name, NULL, b0->b[i].status };
	return 0;
}

int pb_compare_run(struct pb_comparison *c)
{
	double *p, *adj, log_sum = 0;

	context_diffs(c);
	if (pair(c))
		return -1;
	p = malloc((c->nrows + 1) * sizeof(double));
	adj = malloc((c->nrows + 1) * sizeof(double));
	if (!p || !adj) {
		free(p);
		free(adj);
		return -1;
	}
	for (size_t i = 0; i < c->nrows; i++) {
		compare_one(c, &c->rows[i]);
		compare_counters(c, &c->rows[i]);
		p[i] = isnan(c->rows[i].p) ? 1 : c->rows[i].p;
	}
	pb_holm(p, c->nrows, adj);
	for (size_t i = 0; i < c->nrows; i++) {
		struct pb_cmp_row *r = &c->rows[i];

		r->p_adj = adj[i];
		decide(r, c->threshold, c->alpha);
		c->counts[!strcmp(r->verdict, "slower")      ? PB_CMP_SLOWER
			  : !strcmp(r->verdict, "faster")    ? PB_CMP_FASTER
			  : !strcmp(r->verdict, "no change") ? PB_CMP_SAME
							     : PB_CMP_INCONCLUSIVE]++;
		log_sum += log(r->ratio);
	}
	c->regressed = c->counts[PB_CMP_SLOWER] > 0;
	c->geomean = c->nrows ? exp(log_sum / (double)c->nrows) : NAN;
	free(p);
	free(adj);
	return 0;
}

void pb_compare_free(struct pb_comparison *c)
{
	for (size_t r = 0; r < c->a.nruns; r++)
		pb_results_free(&c->a.runs[r]);
	for (size_t r = 0; r < c->b.nruns; r++)
		pb_results_free(&c->b.runs[r]);
	c->a.nruns = c->b.nruns = 0;
	free(c->rows);
	free(c->diffs);
	free(c->unpaired);
	c->rows = NULL;
	c->diffs = NULL;
	c->unpaired = NULL;
}
