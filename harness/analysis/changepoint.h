/* SPDX-License-Identifier: MIT */
/*
 * Change points in a series of runs, pure: E-divisive with means (Matteson
 * and James, "A nonparametric approach for multiple change point analysis of
 * multivariate data", JASA 2014), alpha = 1, on one number per run (the
 * history store gives the log of each run's median).
 *
 * A segment's best split is the tau that maximizes
 *   Q(tau) = m k / (m + k) * (2/(m k) sum|x_i - y_j| - mean pair distance
 *            within the left - mean pair distance within the right),
 * m and k the runs on each side (both at least min_size). Its significance is
 * a permutation test: the segment's runs shuffled, the best split found
 * again, p = (1 + shuffles at least as extreme) / (1 + shuffles). Segments of
 * at most PB_CP_EXACT_MAX runs are tested against every ordering (an exact
 * p); longer ones against `perms` seeded random shuffles, stopped early once
 * the p can no longer fall below alpha. A significant split splits its
 * segment and both halves are tested again (binary segmentation).
 *
 * Nothing divides by a spread: runs that agree exactly (a deterministic
 * instruction-time guest) give Q = 0 where they agree and p = 1 when a
 * segment is all one value, and the smallest p that m against k runs can
 * reach is 2 m! k! / (m + k)! (4 against 4: 2/70 = 0.029).
 */
#ifndef PB_CHANGEPOINT_H
#define PB_CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>

/* Segments this short are tested against all of their orderings (8! = 40,320). */
#define PB_CP_EXACT_MAX 8

struct pb_cp_opts {
	size_t min_size; /* fewest runs on either side of a change (at least 2) */
	double alpha;    /* a split is a change point when its p is at most this */
	unsigned perms;  /* random shuffles per test of a longer segment */
	uint64_t seed;   /* of those shuffles: the same series gives the same answer */
};

/* The defaults `procbench history check` uses (docs/history.md says why). */
#define PB_CP_MIN_SIZE 2
#define PB_CP_ALPHA 0.03
#define PB_CP_PERMS 199

struct pb_changepoint {
	size_t at;  /* index of the first run after the change */
	double q;   /* the split's statistic */
	double p;   /* its permutation p */
	int exact;  /* p counted over every ordering */
};

/*
 * The change points of y[0..n), in index order, at most max of them.
 * Returns how many, or -1 when memory runs out. y is not modified.
 */
long pb_edivisive(const double *y, size_t n, const struct pb_cp_opts *o,
		  struct pb_changepoint *cp, size_t max);

/* The best split of y[0..n) (tau: runs on the left) and its Q; -1 when n < 2 min_size. */
int pb_edivisive_split(const double *y, size_t n, size_t min_size, size_t *tau, double *q);

#endif
