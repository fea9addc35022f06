/* SPDX-License-Identifier: MIT */
/*
 * The regression gate's statistics, pure: runs are the units. Each run of a
 * side gives one number, the log of its median; the ratio NEW/BASE is
 * exp(mean log median NEW - mean log median BASE), and its interval is
 * Welch's t interval on those run values, with Welch-Satterthwaite degrees
 * of freedom. So run-to-run drift (which on a VM dwarfs the noise within a
 * run) is what the interval measures, and with few runs the t quantile
 * widens it as it should: 3 runs a side have about 4 degrees of freedom,
 * not the 10 distinct resamples a bootstrap over 3 units would have.
 * docs/comparing.md says why this and not a bootstrap.
 */
#ifndef PB_GATE_H
#define PB_GATE_H

#include <stddef.h>

/* Fewer runs than this on a side: the between-run variance is unknown, so no verdict. */
#define PB_GATE_MIN_RUNS 2
/* The power the detectable effect and the runs-needed advice are stated at. */
#define PB_GATE_POWER 0.8

/* Student's t: P(T <= t) with df degrees of freedom (df > 0, not necessarily whole). */
double pb_t_cdf(double t, double df);
/* Its quantile: the t with pb_t_cdf(t, df) == p, for 0 < p < 1. */
double pb_t_quantile(double p, double df);

struct pb_gate {
	size_t na, nb;        /* runs a side */
	double typical_a;     /* exp(mean log median): BASE's typical run median */
	double typical_b;     /* and NEW's */
	double ratio;         /* typical_b / typical_a */
	double lo, hi;        /* its interval at the level asked for; NAN when unknown */
	double p;             /* Welch's two-sided p of "no difference"; NAN when unknown */
	double df, se;        /* of the difference of mean logs */
	double sd;            /* between-run standard deviation of log medians, pooled */
	double mde;           /* relative change called slower with PB_GATE_POWER at these runs */
};

/*
 * The interval from the log run medians of each side (ya: BASE, yb: NEW).
 * Returns 0, or -1 when a side has fewer than PB_GATE_MIN_RUNS runs (the
 * typical medians and ratio are still set when both have one; lo, hi, p,
 * df, se, sd and mde are NAN).
 */
int pb_gate_interval(const double *ya, size_t na, const double *yb, size_t nb, double level,
		     double threshold, struct pb_gate *g);

/*
 * Runs a side (equal on both) for a change of `change` (0.05: +5%) to be
 * called slower with PB_GATE_POWER, given a between-run standard deviation
 * sd of log medians: 0 when the change is not above the threshold (never
 * called), UINT_MAX beyond 1000 runs.
 */
unsigned pb_gate_runs_needed(double sd, double change, double threshold, double level);

enum pb_verdict { PB_SLOWER, PB_FASTER, PB_SAME, PB_INCONCLUSIVE, PB_NVERDICTS };

extern const char *const pb_verdict_names[PB_NVERDICTS];

/*
 * The rule: slower when the interval lies above +threshold and the Holm-
 * adjusted p is below alpha; faster when below -threshold and significant;
 * no change when inside +-threshold; otherwise inconclusive. Fewer than
 * PB_GATE_MIN_RUNS runs on a side (lo unknown) is inconclusive. why gets
 * the reason in words.
 */
enum pb_verdict pb_gate_verdict(const struct pb_gate *g, double p_adj, double threshold,
				double alpha, char *why, size_t len);

#endif
