/* SPDX-License-Identifier: MIT */
/*
 * Statistics: pure functions over arrays of doubles. Nothing here reads a
 * clock or allocates behind the caller's back except pb_summarize's sort
 * copy. Summaries refuse fewer than two samples.
 */
#ifndef PB_STATS_H
#define PB_STATS_H

#include <stddef.h>
#include <stdint.h>

struct pb_summary {
	size_t n;
	double min, p50, p90, p99, p999, max;
	double mean, stddev;
	double ci_lo, ci_hi;  /* distribution-free CI of the median */
	double ci_level;      /* its actual coverage (>= the level asked for) */
	int ci_valid;         /* 0 when n is too small for the level */
};

/* Quantile q in [0,1] of sorted x (linear interpolation, Hyndman-Fan type 7). */
double pb_quantile_sorted(const double *x, size_t n, double q);

/*
 * Ranks (0-based, into sorted data) of the order statistics bounding a
 * confidence interval of the median at `level`, from the Binomial(n, 1/2)
 * distribution. Returns the exact coverage, or 0 when n is too small.
 */
double pb_median_ci_ranks(size_t n, double level, size_t *lo, size_t *hi);

/* Summarize x (not modified). Returns 0, or -1 when n < 2 or memory fails. */
int pb_summarize(const double *x, size_t n, double ci_level, struct pb_summary *out);

/* (ci_hi - ci_lo) / p50, or INFINITY when the CI is not valid. */
double pb_ci_rel_width(const struct pb_summary *s);

/* Median of x, reordering x (quickselect); NAN for n == 0. */
double pb_median_inplace(double *x, size_t n);

/* The next number of a seeded SplitMix64 stream (the same seed, the same draws): resampling. */
uint64_t pb_splitmix64(uint64_t *state);

/*
 * Two-sided Mann-Whitney U test of a against b: normal approximation with
 * tie correction and continuity correction (scipy's mannwhitneyu with
 * method="asymptotic"). Returns the p-value, NAN when either side is empty.
 */
double pb_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

/* Holm's step-down adjustment of n p-values (family-wise error). */
void pb_holm(const double *p, size_t n, double *adjusted);

/* Samples of one side of a comparison, grouped by run (runs resample as units). */
struct pb_runs {
	const double *const *x;
	const size_t *n;
	size_t runs;
};

/*
 * Percentile bootstrap CI of median(b) / median(a): each iteration draws
 * runs with replacement, then samples with replacement within each drawn
 * run (a hierarchical bootstrap; with one run it is the plain bootstrap).
 * Deterministic for a seed. Returns 0, or -1 on empty input or no memory.
 */
int pb_bootstrap_ratio_ci(const struct pb_runs *a, const struct pb_runs *b, unsigned iters,
			  double level, uint64_t seed, double *lo, double *hi);

#endif
