// SPDX-License-Identifier: MIT
/* A finished comparison as a console table, warnings and JSON (compare_out.h). */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "compare_out.h"
#include "../analysis/safe_text.h"

/* JSON has no NaN: an undefined number is null. */
static json_object *jnum(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static int warn_text(FILE *f, const void *arg)
{
	const struct pb_comparison *c = arg;

	for (size_t i = 0; i < c->ndiffs; i++) {
		const struct pb_cmp_diff *d = &c->diffs[i];

		if (i >= c->ncontext_diffs)
			fprintf(f, "WARNING: %s\n", d->what);
		else if (!i)
			fprintf(f, "WARNING: the two runs differ in ways that can invalidate the "
				   "comparison:\n");
		if (i < c->ncontext_diffs)
			fprintf(f, "  %s: %s -> %s\n", d->what, d->base, d->new_);
	}
	if (c->a.nruns < PB_GATE_MIN_RUNS || c->b.nruns < PB_GATE_MIN_RUNS)
		fprintf(f, "note: with one run on a side the drift between runs is unknown: the CIs "
			   "below cover the noise within a run only and give no verdict; pass 3 or "
			   "more runs a side (a1.json,a2.json,a3.json)\n");
	return 0;
}

/* Names, paths and context strings come from the files: escaped for the terminal. */
void pb_compare_warn(FILE *f, const struct pb_comparison *c)
{
	pb_safe_print(f, warn_text, c);
}

static void print_head(FILE *f, const struct pb_comparison *c)
{
	fprintf(f, "comparing %s (%zu run%s) -> %s (%zu run%s); threshold %g%%, alpha %g (Holm)\n",
		c->a.runs[0].path, c->a.nruns, c->a.nruns > 1 ? "s" : "", c->b.runs[0].path,
		c->b.nruns, c->b.nruns > 1 ? "s" : "", c->threshold * 100, c->alpha);
	fprintf(f, "time base: %s\n\n",
		pb_time_bases[pb_compare_time_base(c)].compare);
	fprintf(f, "%-32s %11s %11s %8s %19s %10s %7s  %s\n", "benchmark", "base us", "new us",
		"new/base", "95% CI", "p (Holm)", "detects", "verdict");
}

/* "7 runs a side would detect +5%, 3 +10%": the advice, where it can be given. */
static void print_advice(FILE *f, const unsigned *runs, double threshold)
{
	const char *sep = "about ";

	for (int k = 0; k < PB_CMP_NADVICE; k++) {
		if (!runs[k] || pb_cmp_advice[k] <= threshold)
			continue;
		if (runs[k] == UINT_MAX)
			fprintf(f, "%sover 1000 runs a side for +%g%%", sep, pb_cmp_advice[k] * 100);
		else
			fprintf(f, "%s%u runs a side would detect +%g%%", sep, runs[k],
				pb_cmp_advice[k] * 100);
		sep = ", ";
	}
	fputs(sep[0] == 'a' ? "no advice: the spread is unknown\n" : "\n", f);
}

/* What these runs can see: the spread between runs and the smallest change they detect. */
static void print_power(FILE *f, const struct pb_comparison *c)
{
	if (!c->ngated)
		return;
	fprintf(f, "\nwith %zu and %zu runs and a between-run spread of %.2f%% (median over %zu "
		   "benchmarks), a change under %.1f%% cannot be told from noise (%.0f%% power; "
		   "'detects' per benchmark);\n",
		c->a.nruns, c->b.nruns, c->sd_median * 100, c->ngated, c->mde_median * 100,
		PB_GATE_POWER * 100);
	print_advice(f, c->runs_needed, c->threshold);
}

struct print_args {
	const struct pb_comparison *c;
	int show_counters;
};

static int print_table(FILE *f, const void *arg)
{
	const struct pb_comparison *c = ((const struct print_args *)arg)->c;
	int show_counters = ((const struct print_args *)arg)->show_counters;
	char nb[1100]; /* a name made one line (a newline in it would shift the table) */

	print_head(f, c);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct pb_cmp_row *r = &c->rows[i];

		char mde[16] = "-", ratio[48] = "       -                   -";

		if (!isnan(r->gate.mde))
			snprintf(mde, sizeof(mde), ">%.1f%%", r->gate.mde * 100);
		if (isfinite(r->ratio)) /* no ratio where a median is 0: a dash, never inf or nan */
			snprintf(ratio, sizeof(ratio), "%8.4f [%7.4f, %7.4f]", r->ratio, r->lo, r->hi);
		fprintf(f, "%-32s %11.2f %11.2f %s %10.2g %7s  %s (%s)\n",
			pb_safe(r->name, nb, sizeof(nb)), r->med_a / 1000, r->med_b / 1000, ratio,
			r->p_adj, mde, r->verdict, r->why);
		for (unsigned k = 0; show_counters && k < r->ncounters; k++) {
			const struct pb_cmp_counter *o = &r->counters[k];

			fprintf(f, "    %-28s %11.3f %11.3f %8.4f [%7.4f, %7.4f] %10.2g  (per creation)\n",
				o->name, o->base, o->new_, o->ratio, o->lo, o->hi, o->p);
		}
		if (r->nphases)
			fprintf(f, "    kernel phases (--trace: where it moved; never the verdict)%s\n",
				r->phases[0].within_run ? "; one run a side: intervals from the medians' CIs"
							: "");
		for (unsigned k = 0; k < r->nphases; k++) {
			const struct pb_cmp_phase *o = &r->phases[k];

			char iv[40];

			if (isnan(o->lo) || isnan(o->hi))
				snprintf(iv, sizeof(iv), "%19s", "-");
			else
				snprintf(iv, sizeof(iv), "[%7.4f, %7.4f]", o->lo, o->hi);
			fprintf(f, "      %-26s %11.2f %11.2f %8.4f %s %10s  %s\n", o->name,
				o->base / 1000, o->new_ / 1000, o->ratio, iv, "",
				o->moved > 0 ? "slower" : o->moved < 0 ? "faster" : "-");
		}
	}
	if (c->nrows)
		fprintf(f, "%-32s %11s %11s %8.4f %19s %10s %7s  %d slower, %d faster, %d no change, %d "
			   "inconclusive\n",
			"geometric mean", "", "", c->geomean, "", "", "", c->counts[PB_SLOWER],
			c->counts[PB_FASTER], c->counts[PB_SAME], c->counts[PB_INCONCLUSIVE]);
	print_power(f, c);
	if (c->nmodels)
		fprintf(f, "\ncost models (both sides' sweeps fitted as procbench model fits them; ns per "
			   "unit; never the verdict)\n%-24s %-10s %24s %24s %28s\n", "model", "term",
			"BASE [95%]", "NEW [95%]", "NEW/BASE [95%]");
	for (size_t i = 0; i < c->nmodels; i++) {
		const struct pb_cmp_model *o = &c->models[i];
		char a[64], b[64], r[64];

		snprintf(a, sizeof(a), "%.1f [%.1f, %.1f]", o->base, o->base_lo, o->base_hi);
		snprintf(b, sizeof(b), "%.1f [%.1f, %.1f]", o->new_, o->new_lo, o->new_hi);
		if (isnan(o->ratio) && isnan(o->diff))
			snprintf(r, sizeof(r), "-");
		else if (isnan(o->ratio))
			snprintf(r, sizeof(r), "diff %+.1f [%+.1f, %+.1f]", o->diff, o->diff_lo, o->diff_hi);
		else
			snprintf(r, sizeof(r), "%.4f [%.4f, %.4f]", o->ratio, o->lo, o->hi);
		fprintf(f, "%-24s %-10s %24s %24s %28s  %s (%s)\n", pb_safe(o->name, nb, sizeof(nb)),
			o->term, a, b, r, o->verdict, o->why);
	}
	for (size_t i = 0; i < c->nunpaired; i++)
		if (!c->unpaired[i].new_status)
			fprintf(f, "only in BASE: %s\n", pb_safe(c->unpaired[i].name, nb, sizeof(nb)));
	for (size_t i = 0; i < c->nunpaired; i++)
		if (!c->unpaired[i].base_status)
			fprintf(f, "only in NEW: %s\n", pb_safe(c->unpaired[i].name, nb, sizeof(nb)));
	for (size_t i = 0; i < c->nunpaired; i++)
		if (c->unpaired[i].base_status && c->unpaired[i].new_status)
			fprintf(f, "not compared: %s (BASE %s, NEW %s)\n",
				pb_safe(c->unpaired[i].name, nb, sizeof(nb)),
				c->unpaired[i].base_status, c->unpaired[i].new_status);
	return 0;
}

static json_object *ci_pair(double lo, double hi)
{
	json_object *a = json_object_new_array();

	json_object_array_add(a, jnum(lo));
	json_object_array_add(a, jnum(hi));
	return a;
}

/* NEW/BASE and its interval, as every comparison row has them. */
void pb_compare_print(FILE *f, const struct pb_comparison *c, int show_counters)
{
	struct print_args a = { c, show_counters };

	pb_safe_print(f, print_table, &a);
}

static int by_value(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/*
 * A side's run medians (ns per creation, in the order given) and their
 * spread, (max - min) / median (the upper middle one): how far runs of one
 * build drift. null where a median is unknown or with one run.
 */
static void add_runs(json_object *o, const char *side, const double *med, size_t n, int known)
{
	json_object *arr = json_object_new_array();
	double s[PB_CMP_MAX_RUNS];
	char key[48];

	for (size_t r = 0; known && r < n; r++) {
		json_object_array_add(arr, jnum(med[r]));
		s[r] = med[r];
	}
	snprintf(key, sizeof(key), "%s_run_medians_ns", side);
	json_object_object_add(o, key, known ? arr : NULL);
	if (!known)
		json_object_put(arr);
	snprintf(key, sizeof(key), "%s_spread", side);
	if (!known || n < 2) {
		json_object_object_add(o, key, NULL);
		return;
	}
	qsort(s, n, sizeof(s[0]), by_value);
	json_object_object_add(o, key, jnum((s[n - 1] - s[0]) / s[n / 2]));
}

static void add_ratio(json_object *o, double ratio, double lo, double hi)
{
	json_object_object_add(o, "ratio", jnum(ratio));
	json_object_object_add(o, "ratio_ci_lo", jnum(lo));
	json_object_object_add(o, "ratio_ci_hi", jnum(hi));
}

/* {"0.05": runs, ...}: null where the change is at or below the threshold or needs over 1000. */
static json_object *advice_json(const unsigned *runs)
{
	json_object *o = json_object_new_object();

	for (int k = 0; k < PB_CMP_NADVICE; k++) {
		char key[16];

		snprintf(key, sizeof(key), "%g", pb_cmp_advice[k]);
		json_object_object_add(o, key, runs[k] && runs[k] != UINT_MAX
						       ? json_object_new_int64(runs[k])
						       : NULL);
	}
	return o;
}

static json_object *row_json(const struct pb_cmp_row *r)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();

	json_object_object_add(o, "name", json_object_new_string(r->name));
	json_object_object_add(o, "base_median_ns", jnum(r->med_a));
	json_object_object_add(o, "new_median_ns", jnum(r->med_b));
	json_object_object_add(o, "n_base", json_object_new_int64((int64_t)r->n_a));
	json_object_object_add(o, "n_new", json_object_new_int64((int64_t)r->n_b));
	add_ratio(o, r->ratio, r->lo, r->hi);
	json_object_object_add(o, "p_value", jnum(r->p));
	json_object_object_add(o, "p_holm", jnum(r->p_adj));
	json_object_object_add(o, "verdict", json_object_new_string(r->verdict));
	json_object_object_add(o, "why", json_object_new_string(r->why));
	json_object_object_add(o, "ci_method",
			       json_object_new_string(r->within_run ? "within one run (bootstrap)"
								    : "runs (Welch t on log run medians)"));
	json_object_object_add(o, "runs_base", json_object_new_int64((int64_t)r->gate.na));
	json_object_object_add(o, "runs_new", json_object_new_int64((int64_t)r->gate.nb));
	json_object_object_add(o, "df", jnum(r->gate.df));
	json_object_object_add(o, "between_run_sd", jnum(r->gate.sd));
	json_object_object_add(o, "mde", jnum(r->gate.mde));
	json_object_object_add(o, "runs_needed", advice_json(r->runs_needed));
	add_runs(o, "base", r->run_med_a, r->gate.na, r->run_meds);
	add_runs(o, "new", r->run_med_b, r->gate.nb, r->run_meds);
	for (unsigned k = 0; k < r->ncounters; k++) {
		const struct pb_cmp_counter *c = &r->counters[k];
		json_object *co = json_object_new_object();

		json_object_object_add(co, "counter", json_object_new_string(c->name));
		json_object_object_add(co, "base_per_creation", jnum(c->base));
		json_object_object_add(co, "new_per_creation", jnum(c->new_));
		add_ratio(co, c->ratio, c->lo, c->hi);
		json_object_object_add(co, "p_value", jnum(c->p));
		json_object_array_add(arr, co);
	}
	json_object_object_add(o, "counters", arr);
	arr = json_object_new_array();
	for (unsigned k = 0; k < r->nphases; k++) {
		const struct pb_cmp_phase *ph = &r->phases[k];
		json_object *x = json_object_new_object();

		json_object_object_add(x, "phase", json_object_new_string(ph->name));
		json_object_object_add(x, "base_ns", jnum(ph->base));
		json_object_object_add(x, "new_ns", jnum(ph->new_));
		add_ratio(x, ph->ratio, ph->lo, ph->hi);
		json_object_object_add(x, "moved", json_object_new_string(ph->moved > 0	  ? "slower"
									  : ph->moved < 0 ? "faster"
											  : "no"));
		json_object_object_add(x, "ci_method",
				       json_object_new_string(ph->within_run
								      ? "one run a side: the medians' CIs"
								      : "runs (Welch t on log run medians)"));
		json_object_array_add(arr, x);
	}
	json_object_object_add(o, "kernel_phases", arr);
	return o;
}

/* The unpaired names: only in BASE (which 0), only in NEW (1), or not ok on a side (2). */
static json_object *unpaired_json(const struct pb_comparison *c, int which)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < c->nunpaired; i++) {
		const struct pb_cmp_unpaired *u = &c->unpaired[i];
		int kind = !u->new_status ? 0 : !u->base_status ? 1 : 2;
		json_object *o;

		if (kind != which)
			continue;
		if (kind < 2) {
			json_object_array_add(arr, json_object_new_string(u->name));
			continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(u->name));
		json_object_object_add(o, "base_status", json_object_new_string(u->base_status));
		json_object_object_add(o, "new_status", json_object_new_string(u->new_status));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* What the runs can see, over the benchmarks with an interval from runs. */
static json_object *gate_json(const struct pb_comparison *c)
{
	json_object *g = json_object_new_object();

	json_object_object_add(g, "method", json_object_new_string("Welch t on log run medians"));
	json_object_object_add(g, "min_runs", json_object_new_int(PB_GATE_MIN_RUNS));
	json_object_object_add(g, "power", jnum(PB_GATE_POWER));
	json_object_object_add(g, "runs_base", json_object_new_int64((int64_t)c->a.nruns));
	json_object_object_add(g, "runs_new", json_object_new_int64((int64_t)c->b.nruns));
	json_object_object_add(g, "benchmarks_with_runs", json_object_new_int64((int64_t)c->ngated));
	json_object_object_add(g, "between_run_sd_median", jnum(c->sd_median));
	json_object_object_add(g, "mde_median", jnum(c->mde_median));
	json_object_object_add(g, "runs_needed", advice_json(c->runs_needed));
	return g;
}

json_object *pb_compare_json(const struct pb_comparison *c)
{
	json_object *root = json_object_new_object(), *arr = json_object_new_array();
	json_object *diffs = json_object_new_array();

	for (size_t i = 0; i < c->ndiffs; i++) {
		const struct pb_cmp_diff *d = &c->diffs[i];
		json_object *o;

		if (i >= c->ncontext_diffs) {
			json_object_array_add(diffs, json_object_new_string(d->what));
			continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "what", json_object_new_string(d->what));
		json_object_object_add(o, "base", json_object_new_string(d->base));
		json_object_object_add(o, "new", json_object_new_string(d->new_));
		json_object_array_add(diffs, o);
	}
	for (size_t i = 0; i < c->nrows; i++)
		json_object_array_add(arr, row_json(&c->rows[i]));
	json_object_object_add(root, "base", json_object_new_string(c->a.given));
	json_object_object_add(root, "new", json_object_new_string(c->b.given));
	json_object_object_add(root, "time_base", json_object_new_string(pb_time_bases[pb_compare_time_base(c)].name));
	json_object_object_add(root, "threshold", jnum(c->threshold));
	json_object_object_add(root, "alpha", jnum(c->alpha));
	json_object_object_add(root, "bootstrap_iterations", json_object_new_int((int)c->iters));
	json_object_object_add(root, "context_differences", diffs);
	json_object_object_add(root, "benchmarks", arr);
	json_object_object_add(root, "geomean_ratio", jnum(c->geomean));
	json_object_object_add(root, "only_in_base", unpaired_json(c, 0));
	json_object_object_add(root, "only_in_new", unpaired_json(c, 1));
	json_object_object_add(root, "not_compared", unpaired_json(c, 2));
	json_object_object_add(root, "regressed", json_object_new_boolean(c->regressed));
	json_object_object_add(root, "gate", gate_json(c));
	if (c->nmodels) {
		json_object *ms = json_object_new_array();

		for (size_t i = 0; i < c->nmodels; i++) {
			const struct pb_cmp_model *o = &c->models[i];
			json_object *x = json_object_new_object();

			json_object_object_add(x, "name", json_object_new_string(o->name));
			json_object_object_add(x, "term", json_object_new_string(o->term));
			json_object_object_add(x, "base_ns", jnum(o->base));
			json_object_object_add(x, "base_ci", ci_pair(o->base_lo, o->base_hi));
			json_object_object_add(x, "new_ns", jnum(o->new_));
			json_object_object_add(x, "new_ci", ci_pair(o->new_lo, o->new_hi));
			json_object_object_add(x, "difference_ns", jnum(o->diff));
			json_object_object_add(x, "difference_ci", ci_pair(o->diff_lo, o->diff_hi));
			if (!isnan(o->ratio)) {
				add_ratio(x, o->ratio, o->lo, o->hi);
				json_object_object_add(x, "p_adjusted", jnum(o->p_adj));
			}
			json_object_object_add(x, "verdict", json_object_new_string(o->verdict));
			json_object_object_add(x, "why", json_object_new_string(o->why));
			json_object_array_add(ms, x);
		}
		json_object_object_add(root, "models", ms);
	}
	pb_json_utf8(root); /* paths as given, names: text, whatever their bytes */
	return root;
}
