// SPDX-License-Identifier: MIT
/* E-divisive's known answers: its statistic against the definition, one step found at its run, two steps both, pure noise rarely split, and runs that agree exactly (no spread) split where they change. */
/* test-scope: native */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../harness/analysis/changepoint.h"
#include "helpers.h"

static uint64_t rng = 0x5eed2025;

static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

/* A series of log run medians: 2% log-normal noise around 100 us, times step[i]. */
static void series(double *y, size_t n, double sd, const double *step)
{
	for (size_t i = 0; i < n; i++)
		y[i] = log(100000.0 * step[i]) + sd * gauss();
}

/* Q(tau) by its definition, O(n^2). */
static double q_direct(const double *y, size_t n, size_t tau)
{
	double a = 0, b = 0, c = 0;
	size_t m = tau, k = n - tau;

	for (size_t i = 0; i < m; i++)
		for (size_t j = m; j < n; j++)
			a += fabs(y[i] - y[j]);
	for (size_t i = 0; i < m; i++)
		for (size_t j = i + 1; j < m; j++)
			b += fabs(y[i] - y[j]);
	for (size_t i = m; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			c += fabs(y[i] - y[j]);
	return (double)m * k / (m + k) *
	       (2 * a / (m * k) - b / (m * (m - 1) / 2.0) - c / (k * (k - 1) / 2.0));
}

int main(void)
{
	struct pb_cp_opts o = { PB_CP_MIN_SIZE, PB_CP_ALPHA, PB_CP_PERMS, 42 };
	struct pb_changepoint cp[16];
	double y[200], step[200];
	long n;

	/* The fast statistic is the definition's, at its best split. */
	for (int trial = 0; trial < 20; trial++) {
		size_t len = 5 + (size_t)(uniform() * 40), tau, best_tau = 0;
		double q, best = -INFINITY;

		for (size_t i = 0; i < len; i++)
			y[i] = trial % 3 ? gauss() : (double)(int)(uniform() * 3); /* with ties */
		for (size_t t = 2; t + 2 <= len; t++)
			if (q_direct(y, len, t) > best + 1e-12) {
				best = q_direct(y, len, t);
				best_tau = t;
			}
		T_CHECK(!pb_edivisive_split(y, len, 2, &tau, &q), "split of %zu runs", len);
		T_CHECK(fabs(q - best) <= 1e-9 * (1 + fabs(best)) && tau == best_tau,
			"trial %d (%zu runs): Q %.12g at %zu, by definition %.12g at %zu", trial, len, q,
			tau, best, best_tau);
	}

	/* 80 runs, +5% at run 40: one change point, at 40 +- 1. */
	for (size_t i = 0; i < 80; i++)
		step[i] = i < 40 ? 1 : 1.05;
	series(y, 80, 0.02, step);
	n = pb_edivisive(y, 80, &o, cp, 16);
	T_CHECK(n == 1 && cp[0].at >= 39 && cp[0].at <= 41 && cp[0].p <= PB_CP_ALPHA,
		"+5%% at 40: %ld change points, the first at %zu (p %.3f)", n, n > 0 ? cp[0].at : 0,
		n > 0 ? cp[0].p : NAN);

	/* Two steps: +5% at 30, -8% at 60: both. */
	for (size_t i = 0; i < 90; i++)
		step[i] = i < 30 ? 1 : i < 60 ? 1.05 : 1.05 * 0.92;
	series(y, 90, 0.02, step);
	n = pb_edivisive(y, 90, &o, cp, 16);
	T_CHECK(n == 2 && cp[0].at >= 29 && cp[0].at <= 31 && cp[1].at >= 59 && cp[1].at <= 61,
		"steps at 30 and 60: %ld change points at %zu, %zu", n, n > 0 ? cp[0].at : 0,
		n > 1 ? cp[1].at : 0);

	/* Pure noise, 1,000 series of 80 runs: a change point in at most 5% of them. */
	unsigned false_series = 0;
	for (size_t i = 0; i < 80; i++)
		step[i] = 1;
	for (int s = 0; s < 1000; s++) {
		series(y, 80, 0.02, step);
		o.seed = (uint64_t)s;
		n = pb_edivisive(y, 80, &o, cp, 16);
		T_CHECK(n >= 0, "series %d", s);
		false_series += n > 0;
	}
	printf("# pure noise: %u of 1000 series with a change point (alpha %.2f)\n", false_series,
	       PB_CP_ALPHA);
	T_CHECK(false_series <= 50, "pure noise: %u of 1000 series split", false_series);

	/* Deterministic runs (an icount guest): 4 runs at each of 3 kernels, no noise. */
	const double lvl[3] = { 1, 1.07, 0.97 };
	for (size_t i = 0; i < 12; i++)
		y[i] = log(250000.0 * lvl[i / 4]);
	o.seed = 1;
	n = pb_edivisive(y, 12, &o, cp, 16);
	T_CHECK(n == 2 && cp[0].at == 4 && cp[1].at == 8, "4+4+4 exact runs: %ld change points at %zu, %zu",
		n, n > 0 ? cp[0].at : 0, n > 1 ? cp[1].at : 0);
	for (long i = 0; i < n; i++)
		T_CHECK(isfinite(cp[i].q) && cp[i].p > 0 && cp[i].p <= PB_CP_ALPHA, "change %ld: q %g p %g", i,
			cp[i].q, cp[i].p);
	/* A kernel that changes nothing: one value throughout, no change point and no NaN. */
	for (size_t i = 0; i < 12; i++)
		y[i] = log(250000.0);
	T_CHECK(pb_edivisive(y, 12, &o, cp, 16) == 0, "constant runs: no change point");
	/* Only the last 4 runs differ: found, and not before them. */
	for (size_t i = 0; i < 12; i++)
		y[i] = log(250000.0 * (i < 8 ? 1 : 1.001));
	n = pb_edivisive(y, 12, &o, cp, 16);
	T_CHECK(n == 1 && cp[0].at == 8, "last 4 exact runs slower: %ld at %zu", n, n ? cp[0].at : 0);
	/* Too few runs to split: none, never an error. */
	T_CHECK(pb_edivisive(y, 3, &o, cp, 16) == 0, "3 runs: nothing to split");
	return t_result();
}
