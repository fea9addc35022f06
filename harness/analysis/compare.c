// SPDX-License-Identifier: MIT
/*
 * The comparison itself (compare.h): load, pair, measure, decide. BASE and
 * NEW may each be several runs; runs are the units (gate.h), so run-to-run
 * drift widens the CI. Pure but for reading the files: nothing prints.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "model_set.h"
#include "stats.h"

static int load_side(struct pb_cmp_side *s, const char *list, int by_method, char *err,
		     size_t errlen)
{
	char *buf = strdup(list), *save = NULL, *tok;
	int rc = 0;

	s->given = list;
	if (!buf)
		return pb_read_fail(err, errlen, "out of memory");
	for (tok = strtok_r(buf, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		if (s->nruns == PB_CMP_MAX_RUNS)
			rc = pb_read_fail(err, errlen, "at most %d runs per side", PB_CMP_MAX_RUNS);
		else
			rc = pb_results_load(&s->runs[s->nruns++], tok, by_method, err, errlen);
	}
	free(buf);
	if (!rc && !s->nruns)
		rc = pb_read_fail(err, errlen, "no results file given");
	return rc;
}

/*
 * A run counts once: the same file twice (by its inode, whatever the path),
 * or two files of one run (the same run id: a copy), on one side would count
 * it as two runs and shrink the interval; on both sides it compares a run
 * with itself. ci/kernel-run gives every boot an id drawn on the host, so two
 * deterministic boots never share one.
 */
static int runs_distinct(const struct pb_comparison *c, char *err, size_t errlen)
{
	const struct pb_results *run[2 * PB_CMP_MAX_RUNS];
	size_t n = 0, nbase = c->a.nruns;

	for (size_t i = 0; i < c->a.nruns; i++)
		run[n++] = &c->a.runs[i];
	for (size_t i = 0; i < c->b.nruns; i++)
		run[n++] = &c->b.runs[i];
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			const char *ix = pb_results_run_id(run[i]), *iy = pb_results_run_id(run[j]);
			int same_file = run[i]->ino && run[i]->dev == run[j]->dev &&
					run[i]->ino == run[j]->ino;
			char why[128];

			if (!same_file && !(ix && iy && *ix && !strcmp(ix, iy)))
				continue;
			snprintf(why, sizeof(why), "%s%.64s", same_file ? "the same file" : "run id ",
				 same_file ? "" : ix);
			if ((i < nbase) != (j < nbase))
				return pb_read_fail(err, errlen, "%s (BASE) and %s (NEW) are the same run "
								 "(%s): compare two different runs",
						    run[i]->path, run[j]->path, why);
			return pb_read_fail(err, errlen, "%s lists one run twice (%s and %s, %s): a run "
							 "counts once; list each run once",
					    i < nbase ? "BASE" : "NEW", run[i]->path, run[j]->path, why);
		}
	return 0;
}

int pb_compare_time_base(const struct pb_comparison *c)
{
	return pb_results_time_base(&c->a.runs[0]);
}

/* Instruction time and wall time measure different things: never one ratio of the two. */
static int same_time_base(struct pb_comparison *c, char *err, size_t errlen)
{
	int base = pb_compare_time_base(c);
	struct pb_cmp_side *sides[2] = { &c->a, &c->b };

	for (int k = 0; k < 2; k++)
		for (size_t r = 0; r < sides[k]->nruns; r++) {
			int tb = pb_results_time_base(&sides[k]->runs[r]);

			if (tb != base)
				return pb_read_fail(err, errlen, "%s was timed in %s and %s in %s: results of "
						      "different time bases cannot be compared; re-run "
						      "one side the other way",
					 c->a.runs[0].path, pb_time_bases[base].words,
					 sides[k]->runs[r].path, pb_time_bases[tb].words);
		}
	return 0;
}

int pb_compare_load(struct pb_comparison *c, const char *base, const char *new_, char *err,
		    size_t errlen)
{
	if (load_side(&c->a, base, c->match_method, err, errlen) ||
	    load_side(&c->b, new_, c->match_method, err, errlen) || runs_distinct(c, err, errlen) ||
	    same_time_base(c, err, errlen))
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

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct pb_cmp_diff *d;
		const char *sa = pb_results_context_text(&c->a.runs[0], keys[i][0], keys[i][1]);
		const char *sb = pb_results_context_text(&c->b.runs[0], keys[i][0], keys[i][1]);

		if (!sa || !sb)
			continue; /* the part itself is missing on a side */
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
	const char *pa = pb_rbench_parent_pus(a), *pb = pb_rbench_parent_pus(b);
	struct pb_cmp_diff *d;
	double x, y;

	if (!pb_rbench_parent_rss_kib(a, &x) && !pb_rbench_parent_rss_kib(b, &y) &&
	    fabs(x - y) > 0.1 * (x > y ? x : y) + 1024 && (d = add_diff(c)))
		snprintf(d->what, sizeof(d->what), "%s: parent RSS %.0f KiB -> %.0f KiB", name, x, y);
	if (pa && pb && strcmp(pa, pb) && (d = add_diff(c)))
		snprintf(d->what, sizeof(d->what), "%s: parent PUs %s -> %s", name, pa, pb);
}

const double pb_cmp_advice[PB_CMP_NADVICE] = { 0.05, 0.10, 0.20 };

/* One metric on one side: its values in each run that has it. */
struct metric {
	double *x[PB_CMP_MAX_RUNS];
	size_t n[PB_CMP_MAX_RUNS];
	size_t runs, total;
};

/* All of a side's values in one new array. */
static double *pooled(const struct metric *m)
{
	double *all = malloc((m->total ? m->total : 1) * sizeof(double));
	size_t k = 0;

	if (all)
		for (size_t r = 0; r < m->runs; r++)
			for (size_t i = 0; i < m->n[r]; i++)
				all[k++] = m->x[r][i];
	return all;
}

/*
 * Each run's median into med (when not NULL) and its log into y: 0, or -1
 * when a median is not positive (or no memory).
 */
static int run_logs(const struct metric *m, double *y, double *meds)
{
	for (size_t r = 0; r < m->runs; r++) {
		double *c = malloc(m->n[r] * sizeof(double)), med;

		if (!c)
			return -1;
		memcpy(c, m->x[r], m->n[r] * sizeof(double));
		med = pb_median_inplace(c, m->n[r]);
		free(c);
		if (!(med > 0))
			return -1;
		y[r] = log(med);
		if (meds)
			meds[r] = med;
	}
	return 0;
}

struct measured {
	double ma, mb, lo, hi, p;
	struct pb_gate gate;
	int within_run;
};

/*
 * One metric, BASE vs NEW. With runs on both sides, gate.h's interval over
 * the runs' log medians, and the typical run median of each side. With one
 * run on a side the drift between runs is unknown: the interval is a
 * percentile bootstrap within the run and p a Mann-Whitney U of its samples,
 * shown for what they are, never a verdict.
 */
static void measure(const struct metric *a, const struct metric *b, const struct pb_comparison *c,
		    uint64_t seed, struct measured *m, double *meds_a, double *meds_b)
{
	double ya[PB_CMP_MAX_RUNS], yb[PB_CMP_MAX_RUNS], *pa, *pb;
	struct pb_runs sa = { (const double *const *)a->x, a->n, a->runs };
	struct pb_runs sb = { (const double *const *)b->x, b->n, b->runs };
	int logs = !run_logs(a, ya, meds_a) && !run_logs(b, yb, meds_b);

	memset(m, 0, sizeof(*m));
	m->lo = m->hi = m->p = NAN;
	/* Without every run's log median, the gate has no runs to work on: all unknown. */
	if (!pb_gate_interval(ya, logs ? a->runs : 0, yb, logs ? b->runs : 0, 0.95, c->threshold,
			      &m->gate)) {
		m->ma = m->gate.typical_a;
		m->mb = m->gate.typical_b;
		m->lo = m->gate.lo;
		m->hi = m->gate.hi;
		m->p = m->gate.p;
		return;
	}
	m->gate.na = a->runs;
	m->gate.nb = b->runs;
	m->within_run = 1;
	pa = pooled(a);
	pb = pooled(b);
	m->p = pa && pb ? pb_mann_whitney_p(pa, a->total, pb, b->total) : NAN;
	m->ma = pa ? pb_median_inplace(pa, a->total) : NAN;
	m->mb = pb ? pb_median_inplace(pb, b->total) : NAN;
	free(pa);
	free(pb);
	if (!(m->ma > 0) || pb_bootstrap_ratio_ci(&sa, &sb, c->iters, 0.95, seed, &m->lo, &m->hi))
		m->lo = m->hi = NAN;
}

/* The round-trip samples of one benchmark in each run of a side that has it. */
static void side_samples(struct pb_cmp_side *s, const char *name, struct metric *m)
{
	m->runs = m->total = 0;
	for (size_t r = 0; r < s->nruns; r++) {
		struct pb_rbench *b = pb_results_find(&s->runs[r], name);

		if (b && b->n) {
			m->x[m->runs] = b->x;
			m->n[m->runs++] = b->n;
			m->total += b->n;
		}
	}
}

static void compare_one(struct pb_comparison *c, struct pb_cmp_row *row)
{
	struct metric a, b;
	struct measured m;

	side_samples(&c->a, row->name, &a);
	side_samples(&c->b, row->name, &b);
	row->n_a = a.total;
	row->n_b = b.total;
	measure(&a, &b, c, 0x9b0c5eedull, &m, row->run_med_a, row->run_med_b);
	row->run_meds = 1;
	for (size_t r = 0; r < a.runs; r++)
		row->run_meds &= row->run_med_a[r] > 0;
	for (size_t r = 0; r < b.runs; r++)
		row->run_meds &= row->run_med_b[r] > 0;
	row->med_a = m.ma;
	row->med_b = m.mb;
	/* A median of 0 (a creation shorter than the counter's tick) has no ratio: never inf or nan. */
	row->ratio = m.ma > 0 && m.mb > 0 ? m.mb / m.ma : NAN;
	row->lo = isnan(row->ratio) ? NAN : m.lo;
	row->hi = isnan(row->ratio) ? NAN : m.hi;
	row->p = m.p;
	row->gate = m.gate;
	row->within_run = m.within_run;
	for (int k = 0; k < PB_CMP_NADVICE; k++)
		row->runs_needed[k] = pb_gate_runs_needed(m.gate.sd, pb_cmp_advice[k], c->threshold,
							  0.95);
}


/* A counter's batch values in each run of a side that has at least one. */
static void side_counter(struct pb_cmp_side *s, const char *name, const char *cn, struct metric *m)
{
	m->runs = m->total = 0;
	for (size_t r = 0; r < s->nruns; r++)
		if ((m->n[m->runs] = pb_rbench_counter_batches(pb_results_find(&s->runs[r], name), cn, &m->x[m->runs])))
			m->total += m->n[m->runs++];
		else
			free(m->x[m->runs]);
}

/*
 * Counters as secondary metrics: per-creation values of each counter batch
 * are the samples, measured as times are. They inform; they never change
 * the verdict or the exit status.
 */
static void compare_counters(struct pb_comparison *c, struct pb_cmp_row *row)
{
	for (int k = 0; k < PB_NCOUNTERS; k++) {
		struct metric a, b;
		struct measured m;

		side_counter(&c->a, row->name, pb_counter_defs[k].name, &a);
		side_counter(&c->b, row->name, pb_counter_defs[k].name, &b);
		if (a.total >= 2 && b.total >= 2) {
			struct pb_cmp_counter *o = &row->counters[row->ncounters++];

			measure(&a, &b, c, 0xc0c0ull, &m, NULL, NULL);
			*o = (struct pb_cmp_counter){ pb_counter_defs[k].name, m.ma, m.mb,
						      m.ma > 0 ? m.mb / m.ma : NAN, m.lo, m.hi, m.p };
		}
		for (size_t r = 0; r < a.runs; r++)
			free(a.x[r]);
		for (size_t r = 0; r < b.runs; r++)
			free(b.x[r]);
	}
}

/*
 * A phase's log median in each run of a side that has it above 0 (a median of 0, a phase
 * shorter than the clock's step, has no ratio); the last such run's median and CI in ci.
 */
static size_t side_phase(struct pb_cmp_side *s, const char *bench, const char *phase, double *y,
			 double *ci)
{
	size_t runs = 0;
	double v[3];

	for (size_t r = 0; r < s->nruns; r++)
		if (!pb_rbench_phase(pb_results_find(&s->runs[r], bench), phase, v)) {
			memcpy(ci, v, sizeof(v));
			y[runs++] = log(v[0]);
		}
	return runs;
}

/* Each kernel phase of BASE's first run that both sides have, in its order (compare.h). */
static void compare_phases(struct pb_comparison *c, struct pb_cmp_row *row)
{
	struct pb_rbench *b0 = pb_results_find(&c->a.runs[0], row->name);
	const char *name;

	for (size_t i = 0; b0 && (name = pb_rbench_phase_name(b0, i)) && row->nphases < PB_KPHASES_MAX; i++) {
		double ya[PB_CMP_MAX_RUNS], yb[PB_CMP_MAX_RUNS], ca[3], cb[3];
		size_t na = side_phase(&c->a, row->name, name, ya, ca);
		size_t nb = side_phase(&c->b, row->name, name, yb, cb);
		struct pb_cmp_phase *o = &row->phases[row->nphases];
		struct pb_gate g;

		if (!na || !nb)
			continue;
		row->nphases++;
		o->name = name;
		if (!pb_gate_interval(ya, na, yb, nb, 0.95, c->threshold, &g)) {
			o->lo = g.lo;
			o->hi = g.hi;
		} else if (c->a.nruns == 1 && c->b.nruns == 1 && ca[1] > 0 && cb[1] > 0 &&
			   isfinite(ca[2]) && isfinite(cb[2])) {
			/* one run a side: the ratio of the medians' CIs, at its widest */
			o->within_run = 1;
			o->lo = cb[1] / ca[2];
			o->hi = cb[2] / ca[1];
		} else { /* runs with a median of 0 left out, too few remain: no interval */
			o->lo = o->hi = NAN;
		}
		o->base = g.typical_a;
		o->new_ = g.typical_b;
		o->ratio = g.ratio;
		if (o->lo > 1 && o->ratio > 1 + c->threshold)
			o->moved = 1;
		else if (o->hi < 1 && o->ratio < 1 - c->threshold)
			o->moved = -1;
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
		struct pb_rbench *a = &a0->b[i], *b = pb_results_find(b0, a->name);

		if (!b || strcmp(a->status, "ok") || strcmp(b->status, "ok")) {
			c->unpaired[c->nunpaired++] = (struct pb_cmp_unpaired){
				a->name, a->status, b ? b->status : NULL };
			continue;
		}
		bench_diffs(c, a->name, a, b);
		c->rows[c->nrows++].name = a->name;
	}
	for (size_t i = 0; i < b0->nb; i++)
		if (!pb_results_find(a0, b0->b[i].name))
			c->unpaired[c->nunpaired++] =
				(struct pb_cmp_unpaired){ b0->b[i].name, NULL, b0->b[i].status };
	return 0;
}

static void decide(struct pb_comparison *c, struct pb_cmp_row *r)
{
	if (!(r->med_a > 0 && r->med_b > 0)) {
		r->v = PB_INCONCLUSIVE;
		snprintf(r->why, sizeof(r->why), "a median of 0 on a side: shorter than the counter's "
						 "tick, no ratio");
	} else if (r->n_a < PB_CMP_MIN_SAMPLES || r->n_b < PB_CMP_MIN_SAMPLES) {
		r->v = PB_INCONCLUSIVE;
		snprintf(r->why, sizeof(r->why), "too few samples (%zu and %zu; %d needed)", r->n_a,
			 r->n_b, PB_CMP_MIN_SAMPLES);
	} else {
		r->v = pb_gate_verdict(&r->gate, r->p_adj, c->threshold, c->alpha, r->why,
				       sizeof(r->why));
	}
	r->verdict = pb_verdict_names[r->v];
	c->counts[r->v]++;
}

/*
 * What these runs can see, over the benchmarks with an interval from runs:
 * the median between-run spread, the median detectable change, and the
 * runs a side that spread would need for each advised change.
 */
static void summarize_gate(struct pb_comparison *c)
{
	double *sd = malloc((c->nrows + 1) * sizeof(double));
	double *mde = malloc((c->nrows + 1) * sizeof(double));

	c->sd_median = c->mde_median = NAN;
	for (size_t i = 0; sd && mde && i < c->nrows; i++)
		if (!c->rows[i].within_run && !isnan(c->rows[i].gate.sd)) {
			sd[c->ngated] = c->rows[i].gate.sd;
			mde[c->ngated++] = c->rows[i].gate.mde;
		}
	if (c->ngated) {
		c->sd_median = pb_median_inplace(sd, c->ngated);
		c->mde_median = pb_median_inplace(mde, c->ngated);
		for (int k = 0; k < PB_CMP_NADVICE; k++)
			c->runs_needed[k] = pb_gate_runs_needed(c->sd_median, pb_cmp_advice[k],
								c->threshold, 0.95);
	}
	free(sd);
	free(mde);
}

/* A side's 95% interval as a standard error, on the log scale where both ends are above 0. */
static double log_se(double v, double lo, double hi)
{
	return fmax(log(hi) - log(v), log(v) - log(lo)) / 1.959963984540054;
}

/* One coefficient of a model both sides fitted. */
static void compare_coef(struct pb_cmp_model *o, const struct pb_mfit *a, const struct pb_mfit *b,
			 unsigned t)
{
	double sa = fmax(a->hi[t] - a->coef[t], a->coef[t] - a->lo[t]) / 1.959963984540054;
	double sb = fmax(b->hi[t] - b->coef[t], b->coef[t] - b->lo[t]) / 1.959963984540054;
	double sd = sqrt(sa * sa + sb * sb);

	o->term = pb_mterm_names[t];
	o->base = a->coef[t], o->base_lo = a->lo[t], o->base_hi = a->hi[t];
	o->new_ = b->coef[t], o->new_lo = b->lo[t], o->new_hi = b->hi[t];
	o->diff = o->new_ - o->base;
	o->diff_lo = o->diff - 1.959963984540054 * sd;
	o->diff_hi = o->diff + 1.959963984540054 * sd;
	o->ratio = o->lo = o->hi = o->p = o->p_adj = NAN;
	if (!(a->lo[t] > 0) || !(b->lo[t] > 0)) {
		snprintf(o->why, sizeof(o->why), "%s's %s is not above 0 beyond its interval: no ratio, "
			 "the difference is given", !(a->lo[t] > 0) ? "BASE" : "NEW", o->term);
		return;
	}
	{
		double l = log(o->new_) - log(o->base);
		double s = hypot(log_se(o->base, o->base_lo, o->base_hi), log_se(o->new_, o->new_lo, o->new_hi));

		o->ratio = exp(l);
		o->lo = exp(l - 1.959963984540054 * s);
		o->hi = exp(l + 1.959963984540054 * s);
		o->p = s > 0 ? erfc(fabs(l) / s / M_SQRT2) : (l == 0 ? 1 : 0);
	}
}

/* Both sides' sweeps fitted; each coefficient of a model both have, compared. */
static int compare_models(struct pb_comparison *c)
{
	struct pb_model_set sa, sb;
	char err[600];
	double *p = NULL, *adj = NULL;
	size_t cap = 0, k = 0;

	if (pb_model_set_fit(&sa, c->a.runs, c->a.nruns, 0, 1000, err, sizeof(err)))
		return 0; /* nothing measured on a side: no model (the rows say so) */
	if (pb_model_set_fit(&sb, c->b.runs, c->b.nruns, 0, 1000, err, sizeof(err))) {
		pb_model_set_free(&sa);
		return 0;
	}
	for (size_t i = 0; i < sa.nm; i++)
		cap += PB_MT_COUNT;
	c->models = calloc(cap + 1, sizeof(*c->models));
	if (!c->models)
		goto oom;
	for (size_t i = 0; i < sa.nm; i++) {
		const struct pb_model *ma = &sa.m[i], *mb = pb_model_set_find(&sb, ma->name);

		if (ma->why[0] || !mb || mb->why[0])
			continue;
		for (unsigned t = 0; t < PB_MT_COUNT; t++) {
			struct pb_cmp_model *o = &c->models[c->nmodels];

			if (!(ma->fit.terms & mb->fit.terms & (1u << t)))
				continue;
			snprintf(o->name, sizeof(o->name), "%s", ma->name);
			compare_coef(o, &ma->fit, &mb->fit, t);
			if (ma->fit.terms != mb->fit.terms) {
				/* Each side's coefficient holds a different part of the cost. */
				o->ratio = o->lo = o->hi = o->p = NAN;
				o->diff = o->diff_lo = o->diff_hi = NAN;
				snprintf(o->why, sizeof(o->why), "the two sides' models have different terms "
					 "(their sweeps vary different parameters): sweep the same ones on both");
			}
			c->nmodels++;
		}
	}
	p = malloc((c->nmodels + 1) * sizeof(double));
	adj = malloc((c->nmodels + 1) * sizeof(double));
	if (!p || !adj)
		goto oom;
	for (size_t i = 0; i < c->nmodels; i++)
		if (!isnan(c->models[i].ratio))
			p[k++] = c->models[i].p;
	pb_holm(p, k, adj);
	k = 0;
	for (size_t i = 0; i < c->nmodels; i++) {
		struct pb_cmp_model *o = &c->models[i];
		struct pb_gate g = { .na = c->a.nruns, .nb = c->b.nruns, .ratio = o->ratio, .lo = o->lo,
				     .hi = o->hi, .p = o->p };

		if (isnan(o->ratio)) {
			o->v = PB_INCONCLUSIVE;
			o->verdict = "not compared";
			continue;
		}
		o->p_adj = adj[k++];
		/* As for the points: with one run a side the drift between runs is unknown. */
		if (c->a.nruns < PB_GATE_MIN_RUNS || c->b.nruns < PB_GATE_MIN_RUNS)
			g.lo = NAN;
		o->v = pb_gate_verdict(&g, o->p_adj, c->threshold, c->alpha, o->why, sizeof(o->why));
		o->verdict = pb_verdict_names[o->v];
	}
	free(p);
	free(adj);
	pb_model_set_free(&sa);
	pb_model_set_free(&sb);
	return 0;
oom:
	free(p);
	free(adj);
	pb_model_set_free(&sa);
	pb_model_set_free(&sb);
	return -1;
}

int pb_compare_run(struct pb_comparison *c)
{
	double *p, *adj, log_sum = 0;
	size_t nratios = 0;

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
		compare_phases(c, &c->rows[i]);
		p[i] = isnan(c->rows[i].p) ? 1 : c->rows[i].p;
	}
	pb_holm(p, c->nrows, adj);
	for (size_t i = 0; i < c->nrows; i++) {
		c->rows[i].p_adj = adj[i];
		decide(c, &c->rows[i]);
		if (c->rows[i].ratio > 0) { /* (NAN where a side's median is 0) */
			log_sum += log(c->rows[i].ratio);
			nratios++;
		}
	}
	c->regressed = c->counts[PB_SLOWER] > 0;
	c->geomean = nratios ? exp(log_sum / (double)nratios) : NAN;
	summarize_gate(c);
	free(p);
	free(adj);
	return compare_models(c);
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
	free(c->models);
	c->models = NULL;
	c->nmodels = 0;
	c->rows = NULL;
	c->diffs = NULL;
	c->unpaired = NULL;
}
