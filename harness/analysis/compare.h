/* SPDX-License-Identifier: MIT */
/*
 * Comparing finished results, as pure steps on a struct pb_comparison:
 * load both sides (each one or more runs), pair their benchmarks, then for
 * every pair the gate of gate.h: runs are the units, the ratio NEW/BASE of
 * typical run medians with Welch's t interval, its p-value with Holm's
 * correction across benchmarks, a verdict against the threshold, and the
 * change these runs could detect. With one run on a side the interval is
 * a bootstrap within that run, shown but never a verdict. Nothing here
 * prints; report/compare_out.c does, and controller/compare_main.c is the
 * command.
 */
#ifndef PB_COMPARE_H
#define PB_COMPARE_H

#include <stddef.h>

#include "gate.h"
#include "ktrace.h"
#include "results_read.h"
#include "../protocol/counters.h"

#define PB_CMP_MAX_RUNS 64
#define PB_CMP_MIN_SAMPLES 20 /* a run with fewer says little about its own median */

struct pb_cmp_side {
	struct pb_results runs[PB_CMP_MAX_RUNS];
	size_t nruns;
	const char *given;            /* the comma list as given */
};

/* Changes the runs-needed advice is given for: +5%, +10%, +20%. */
#define PB_CMP_NADVICE 3
extern const double pb_cmp_advice[PB_CMP_NADVICE];

/* A perf counter's per-creation values, BASE vs NEW (secondary: never a verdict). */
struct pb_cmp_counter {
	const char *name;
	double base, new_, ratio, lo, hi, p;
};

/*
 * A --trace kernel phase, BASE vs NEW: secondary, it says where a change is,
 * never the verdict. With runs on both sides the gate's interval over their
 * phase medians; with one run a side, the conservative ratio of the two
 * medians' confidence intervals (within_run).
 */
struct pb_cmp_phase {
	const char *name;
	double base, new_, ratio, lo, hi;
	int within_run;
	int moved;                    /* +1 slower, -1 faster (interval off 1 and beyond the threshold), 0 */
};

struct pb_cmp_row {
	const char *name;
	double med_a, med_b;          /* typical run median: geometric mean of the runs' medians */
	double ratio, lo, hi, p, p_adj;
	size_t n_a, n_b;              /* samples */
	struct pb_gate gate;          /* runs, spread, detectable change */
	double run_med_a[PB_CMP_MAX_RUNS], run_med_b[PB_CMP_MAX_RUNS]; /* each run's median, ns */
	int run_meds;                 /* every run's median is known (positive) */
	int within_run;               /* lo, hi and p are from within one run (no verdict) */
	unsigned runs_needed[PB_CMP_NADVICE]; /* to detect each pb_cmp_advice change; 0: never */
	enum pb_verdict v;
	const char *verdict;          /* pb_verdict_names[v] */
	char why[160];
	struct pb_cmp_counter counters[PB_NCOUNTERS];
	unsigned ncounters;
	struct pb_cmp_phase phases[PB_KPHASES_MAX];
	unsigned nphases;
};

/* A context field that differs between the sides, or a benchmark's shape or placement. */
struct pb_cmp_diff {
	char what[320];
	char base[128], new_[128];    /* "" for a benchmark's difference (all in what) */
};

struct pb_cmp_unpaired {
	const char *name;
	const char *base_status, *new_status; /* NULL: absent on that side */
};

/*
 * A cost model's coefficient, BASE vs NEW (model_set.h: both sides' sweeps
 * fitted as procbench model fits them): the ratio NEW/BASE with its interval
 * (log scale, from each side's 95% interval) and the gate's rule on it; the
 * difference NEW - BASE where a side's coefficient is not above 0 beyond its
 * interval (a ratio would mean nothing); nothing where the two sides' models
 * have different terms (each side's base, say, holds a different part of the
 * cost). Explains; never changes the exit.
 */
struct pb_cmp_model {
	char name[600];
	const char *term;             /* pb_mterm_names */
	double base, base_lo, base_hi, new_, new_lo, new_hi;
	double ratio, lo, hi, p, p_adj; /* NAN: no ratio (why says) */
	double diff, diff_lo, diff_hi;
	enum pb_verdict v;
	const char *verdict;
	char why[200];
};

enum { PB_CMP_NVERDICTS = PB_NVERDICTS };

struct pb_comparison {
	/* Settings (filled by the caller before pb_compare_load). */
	double threshold, alpha;
	unsigned iters;
	int match_method;             /* pair by method, not by full point name */
	/* Inputs and results. */
	struct pb_cmp_side a, b;
	struct pb_cmp_row *rows;
	size_t nrows;
	struct pb_cmp_diff *diffs;
	size_t ndiffs, ncontext_diffs; /* the first ncontext_diffs are the context's */
	struct pb_cmp_unpaired *unpaired; /* only on one side, or not ok on one */
	size_t nunpaired;
	int counts[PB_CMP_NVERDICTS];
	double geomean;
	int regressed;
	/* Over the benchmarks with an interval from runs: medians of their spread and MDE. */
	size_t ngated;
	double sd_median, mde_median;
	unsigned runs_needed[PB_CMP_NADVICE];
	/* Both sides sweeps: their models' coefficients (none otherwise). */
	struct pb_cmp_model *models;
	size_t nmodels;
};

/* Load both sides (comma lists of results files): 0, or -1 with a one-line reason in err. */
int pb_compare_load(struct pb_comparison *c, const char *base, const char *new_, char *err,
		    size_t errlen);
/* Pair, measure and decide: 0, or -1 when out of memory. */
int pb_compare_run(struct pb_comparison *c);
void pb_compare_free(struct pb_comparison *c);
/* enum pb_time_base (schema/schema.h). */
int pb_compare_time_base(const struct pb_comparison *c);

#endif
